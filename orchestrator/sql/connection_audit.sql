-- Connection audit on SQL Server (DW_ECOMMERCE). Installed by the orchestrator
-- (orchestrator/connection_audit.py) at run start; batches are separated by GO.
--
-- audit.usp_snapshot_connections: a snapshot of the user sessions and their connections
-- (sys.dm_exec_sessions join sys.dm_exec_connections) into audit.connection_login_events,
-- taken by the orchestrator at run start, end and failure. The login needs
-- VIEW SERVER STATE (SQL Server 2022: VIEW SERVER PERFORMANCE STATE) to see other sessions.
--
-- audit.usp_cleanup_connection_events: retention, deletes events older than @retention_days
-- (default 30), run by the orchestrator at the end of every run.
--
-- FAILED_LOGIN / SUCCESSFUL_LOGIN / LOGOUT come from SQL Server Audit (server audit
-- specification, created by the docker init), not from this snapshot.

create or alter procedure audit.usp_snapshot_connections
    @run_id nvarchar(64) = null,
    @moment nvarchar(20) = null
as
begin
    set nocount on;
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
        sysutcdatetime(),
        sessions.login_name,
        sessions.host_name,
        sessions.program_name,
        db_name(sessions.database_id),
        'success',
        connections.client_net_address,
        null,
        @run_id,
        'snapshot',
        sessions.session_id,
        concat('snapshot_', coalesce(@moment, 'manual'))
    from sys.dm_exec_sessions as sessions
    inner join sys.dm_exec_connections as connections
        on connections.session_id = sessions.session_id
    where sessions.is_user_process = 1;
end
GO

create or alter procedure audit.usp_cleanup_connection_events
    @retention_days int = 30
as
begin
    set nocount on;
    delete from audit.connection_login_events
    where event_time < dateadd(day, -@retention_days, sysutcdatetime());
end
GO
