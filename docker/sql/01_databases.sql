-- The two databases of the stack: ECOMMERCE_OLTP (the source, schema core) and
-- DW_ECOMMERCE (the warehouse), created once and kept on the sqlserver_data volume.
-- Run as sa by docker/scripts/init.sh at every start; idempotent.
--
-- READ_COMMITTED_SNAPSHOT on the warehouse: the monitor and the dashboards read the last
-- committed rows instead of waiting for a load's transaction (each entity loads in one).

USE master;
GO

IF DB_ID(N'ECOMMERCE_OLTP') IS NULL CREATE DATABASE ECOMMERCE_OLTP;
IF DB_ID(N'DW_ECOMMERCE') IS NULL CREATE DATABASE DW_ECOMMERCE;
GO

IF (SELECT is_read_committed_snapshot_on FROM sys.databases WHERE name = N'DW_ECOMMERCE') = 0 ALTER DATABASE DW_ECOMMERCE SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE;
GO
