-- The connection audit after the first load (audit.connection_login_events, its snapshot
-- and retention procedures come from the orchestrator's own run: the table's DDL lives in
-- macros/control/connection_login_events_columns.sql, the procedures in
-- orchestrator/sql/connection_audit.sql).
--
-- Here: etl_monitor may insert its own connection events (the monitor records each
-- connection it opens), and audit.usp_import_server_audit copies SQL Server Audit's login
-- events (FAILED_LOGIN, SUCCESSFUL_LOGIN, LOGOUT, written by 07_server_audit.sql to
-- /var/opt/mssql/audit) into the same table, where the monitor's "Auditoria de conexoes"
-- page reads them: source 'server_audit', event_kind login | failed_login | logout. The
-- SQL Server Agent job of 07_server_audit.sql runs it every 5 minutes (as sa:
-- sys.fn_get_audit_file needs CONTROL SERVER). Run as sa; idempotent.

USE DW_ECOMMERCE;
GO

GRANT INSERT ON OBJECT::audit.connection_login_events TO etl_monitor;
GO

create or alter procedure audit.usp_import_server_audit
    @audit_path nvarchar(260) = N'/var/opt/mssql/audit/*.sqlaudit'
as
begin
    set nocount on;
    declare @since datetime2(6) = (
        select max(imported.event_time)
        from audit.connection_login_events as imported
        where imported.source = 'server_audit'
    );
    insert into audit.connection_login_events (
        event_time,
        login_name,
        host_name,
        program_name,
        database_name,
        status,
        client_address,
        error_message,
        run_id,
        source,
        session_id,
        event_kind
    )
    select
        cast(audit_file.event_time as datetime2(6)),
        audit_file.server_principal_name,
        audit_file.host_name,
        audit_file.application_name,
        audit_file.database_name,
        case when audit_file.succeeded = 1 then 'success' else 'failed' end,
        audit_file.client_ip,
        case
            when audit_file.succeeded = 1 then null
            else left(coalesce(nullif(audit_file.statement, ''), audit_file.additional_information), 3900)
        end,
        null,
        'server_audit',
        audit_file.session_id,
        case audit_file.action_id
            when 'LGIS' then 'login'
            when 'LGIF' then 'failed_login'
            else 'logout'
        end
    from sys.fn_get_audit_file(@audit_path, default, default) as audit_file
    where audit_file.action_id in ('LGIS', 'LGIF', 'LGO')
        and (@since is null or audit_file.event_time >= @since)
        and not exists (
            select 1
            from audit.connection_login_events as known
            where known.source = 'server_audit'
                and known.event_time = cast(audit_file.event_time as datetime2(6))
                and coalesce(known.session_id, -1) = coalesce(audit_file.session_id, -1)
                and known.event_kind = case audit_file.action_id
                    when 'LGIS' then 'login'
                    when 'LGIF' then 'failed_login'
                    else 'logout'
                end
        );
end
GO
