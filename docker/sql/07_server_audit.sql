-- SQL Server Audit of logins: FAILED_LOGIN_GROUP, SUCCESSFUL_LOGIN_GROUP and LOGOUT_GROUP
-- to files in /var/opt/mssql/audit (volume sqlserver_audit), 64 MB each, at most 30
-- files; the backup job deletes files older than CONNECTION_AUDIT_RETENTION_DAYS (30).
-- A SQL Server Agent job, every 5 minutes, imports the new events into
-- audit.connection_login_events (audit.usp_import_server_audit) and deletes the table's
-- events older than the same retention (audit.usp_cleanup_connection_events, which the
-- orchestrator also runs at the end of every load). Run as sa; idempotent.

USE master;
GO

IF NOT EXISTS (SELECT 1 FROM sys.server_audits WHERE name = N'DW_LOGIN_AUDIT') CREATE SERVER AUDIT DW_LOGIN_AUDIT TO FILE (FILEPATH = N'/var/opt/mssql/audit/', MAXSIZE = 64 MB, MAX_ROLLOVER_FILES = 30, RESERVE_DISK_SPACE = OFF) WITH (QUEUE_DELAY = 1000, ON_FAILURE = CONTINUE);
GO

IF NOT EXISTS (SELECT 1 FROM sys.server_audit_specifications WHERE name = N'DW_LOGIN_AUDIT_SPEC') CREATE SERVER AUDIT SPECIFICATION DW_LOGIN_AUDIT_SPEC FOR SERVER AUDIT DW_LOGIN_AUDIT ADD (FAILED_LOGIN_GROUP), ADD (SUCCESSFUL_LOGIN_GROUP), ADD (LOGOUT_GROUP) WITH (STATE = ON);
GO

ALTER SERVER AUDIT DW_LOGIN_AUDIT WITH (STATE = ON);
ALTER SERVER AUDIT SPECIFICATION DW_LOGIN_AUDIT_SPEC WITH (STATE = ON);
GO

USE msdb;
GO

IF EXISTS (SELECT 1 FROM msdb.dbo.sysjobs WHERE name = N'DW connection audit') EXEC msdb.dbo.sp_delete_job @job_name = N'DW connection audit';
GO

EXEC msdb.dbo.sp_add_job @job_name = N'DW connection audit', @enabled = 1, @owner_login_name = N'sa', @description = N'SQL Server Audit login events into DW_ECOMMERCE.audit.connection_login_events, and their retention';
EXEC msdb.dbo.sp_add_jobstep @job_name = N'DW connection audit', @step_name = N'import and retention', @subsystem = N'TSQL', @database_name = N'DW_ECOMMERCE', @command = N'EXEC audit.usp_import_server_audit; EXEC audit.usp_cleanup_connection_events @retention_days = $(CONNECTION_AUDIT_RETENTION_DAYS);';
EXEC msdb.dbo.sp_add_jobschedule @job_name = N'DW connection audit', @name = N'every 5 minutes', @enabled = 1, @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 5;
EXEC msdb.dbo.sp_add_jobserver @job_name = N'DW connection audit', @server_name = N'(local)';
GO

-- What the files hold already (the logins of this init among them), right away.
EXEC DW_ECOMMERCE.audit.usp_import_server_audit;
GO
