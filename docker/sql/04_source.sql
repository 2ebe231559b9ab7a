-- ECOMMERCE_OLTP: schema core and who may read it. etl_user reads every column (it
-- pseudonymises personal data on the way in); etl_monitor reads the source for counts,
-- watermarks and quality checks, and 05_source_personal_data.sql denies it the personal
-- columns once the tables exist; bi_reader has no user here at all; etl_backup backs the
-- database up. Run as sa at every start; idempotent.

USE ECOMMERCE_OLTP;
GO

IF SCHEMA_ID(N'core') IS NULL EXEC('create schema core');
GO

IF DATABASE_PRINCIPAL_ID(N'etl_user') IS NULL CREATE USER etl_user FOR LOGIN etl_user;
IF DATABASE_PRINCIPAL_ID(N'etl_monitor') IS NULL CREATE USER etl_monitor FOR LOGIN etl_monitor;
IF DATABASE_PRINCIPAL_ID(N'etl_backup') IS NULL CREATE USER etl_backup FOR LOGIN etl_backup;
GO

GRANT SELECT ON SCHEMA::core TO etl_user;
GRANT SELECT ON SCHEMA::core TO etl_monitor;
GO

ALTER ROLE db_backupoperator ADD MEMBER etl_backup;
GO
