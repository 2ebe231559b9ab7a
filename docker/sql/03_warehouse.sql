-- DW_ECOMMERCE: the schemas dbt and the orchestrator build in, owned by etl_user, and what
-- each login may do there. Grants are per schema, so they cover the tables and views a
-- load creates later (dbt drops and recreates views and rebuilt tables). Run as sa at
-- every start; idempotent.
--
--   schema        etl_user   etl_monitor   bi_reader   etl_backup
--   dim, fact     owner      SELECT        SELECT      (backup)
--   ctl, audit    owner      SELECT        -           (backup)
--   staging,      owner      -             -           (backup)
--   intermediate,
--   ref, snapshots
-- etl_monitor's INSERT on audit.connection_login_events comes with the table, in
-- 06_connection_audit.sql. bi_reader never reads ctl, audit or the source.

USE DW_ECOMMERCE;
GO

IF DATABASE_PRINCIPAL_ID(N'etl_user') IS NULL CREATE USER etl_user FOR LOGIN etl_user;
IF DATABASE_PRINCIPAL_ID(N'etl_monitor') IS NULL CREATE USER etl_monitor FOR LOGIN etl_monitor;
IF DATABASE_PRINCIPAL_ID(N'bi_reader') IS NULL CREATE USER bi_reader FOR LOGIN bi_reader;
IF DATABASE_PRINCIPAL_ID(N'etl_backup') IS NULL CREATE USER etl_backup FOR LOGIN etl_backup;
GO

IF SCHEMA_ID(N'dim') IS NULL EXEC('create schema dim authorization etl_user');
IF SCHEMA_ID(N'fact') IS NULL EXEC('create schema fact authorization etl_user');
IF SCHEMA_ID(N'ctl') IS NULL EXEC('create schema ctl authorization etl_user');
IF SCHEMA_ID(N'audit') IS NULL EXEC('create schema audit authorization etl_user');
IF SCHEMA_ID(N'staging') IS NULL EXEC('create schema staging authorization etl_user');
IF SCHEMA_ID(N'intermediate') IS NULL EXEC('create schema intermediate authorization etl_user');
IF SCHEMA_ID(N'ref') IS NULL EXEC('create schema ref authorization etl_user');
IF SCHEMA_ID(N'snapshots') IS NULL EXEC('create schema snapshots authorization etl_user');
GO

-- Schemas made before (by hand, by an older init) come back to etl_user.
ALTER AUTHORIZATION ON SCHEMA::dim TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::fact TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::ctl TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::audit TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::staging TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::intermediate TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::ref TO etl_user;
ALTER AUTHORIZATION ON SCHEMA::snapshots TO etl_user;
GO

-- etl_user creates its tables, views and procedures (the connection audit's) in the
-- schemas it owns.
GRANT CREATE TABLE TO etl_user;
GRANT CREATE VIEW TO etl_user;
GRANT CREATE PROCEDURE TO etl_user;
GO

GRANT SELECT ON SCHEMA::dim TO etl_monitor;
GRANT SELECT ON SCHEMA::fact TO etl_monitor;
GRANT SELECT ON SCHEMA::ctl TO etl_monitor;
GRANT SELECT ON SCHEMA::audit TO etl_monitor;
GO

GRANT SELECT ON SCHEMA::dim TO bi_reader;
GRANT SELECT ON SCHEMA::fact TO bi_reader;
GO

ALTER ROLE db_backupoperator ADD MEMBER etl_backup;
GO
