{#- The one definition of the warehouse lock: one load at a time per warehouse, whether the
    orchestrator runs it (orchestrator/lock.py holds the lock on a connection for its whole
    run) or dbt is run by hand (etl_run_claim takes it during on-run-start). Plain Jinja,
    no dbt context: the orchestrator renders this file too. Returns JSON; the statements
    exist for `dialect` postgres and sqlserver (on DuckDB the warehouse file is the lock:
    dbt and the orchestrator open it exclusively):
    - take: 1 if this session got the lock (a PostgreSQL advisory lock, an SQL Server
      application lock owned by the session: the server drops it with the session), else 0;
    - release: give it back;
    - holders: the runs still 'running' in audit.etl_run, newest first (run_id, pid,
      started_by, started_at), to name the holder;
    - direct_runs: the same, of direct dbt runs only (started_by 'dbt:<user>@<host>').
      dbt closes the hooks' session when on-run-start ends and opens a new connection for
      every node, so a direct run cannot keep the lock: its 'running' row stands for it;
    - dbt_sessions: how many other sessions dbt has open on this database. A direct run's
      row holds the warehouse while dbt is connected: looked for `polls` times, `pause`
      apart, because dbt reconnects between nodes (gaps well under a second);
    - started_by_prefix. -#}
{% macro etl_warehouse_lock(dialect) -%}
    {%- set key = 7310262015001 -%}
    {%- set resource = 'ecommerce_dw.orchestrator' -%}
    {%- set prefix = 'dbt:' -%}
    {%- set holders = "select run_id, pid, started_by, started_at from audit.etl_run"
        ~ " where status = 'running'" -%}
    {%- if dialect == 'postgres' -%}
        {%- set statements = {
            'take': 'select case when pg_try_advisory_lock(' ~ key ~ ') then 1 else 0 end',
            'release': 'select pg_advisory_unlock(' ~ key ~ ')',
            'dbt_sessions': "select pg_stat_clear_snapshot(); select count(*) from pg_stat_activity"
                ~ " where datname = current_database() and application_name = 'dbt'"
                ~ " and pid <> pg_backend_pid()",
            'pause': 'select pg_sleep(0.25)',
        } -%}
    {%- elif dialect == 'sqlserver' -%}
        {%- set statements = {
            'take': "declare @result int; exec @result = sp_getapplock @Resource = '" ~ resource
                ~ "', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0;"
                ~ " select case when @result >= 0 then 1 else 0 end",
            'release': "exec sp_releaseapplock @Resource = '" ~ resource ~ "', @LockOwner = 'Session'",
            'dbt_sessions': "select count(*) from sys.dm_exec_sessions where database_id = db_id()"
                ~ " and program_name like 'dbt-%' and session_id <> @@spid",
            'pause': "waitfor delay '00:00:00.250'",
        } -%}
    {%- else -%}
        {%- set statements = {} -%}
    {%- endif -%}
    {{- dict(statements,
        key=key,
        resource=resource,
        started_by_prefix=prefix,
        holders=holders ~ " order by started_at desc",
        direct_runs=holders ~ " and started_by like '" ~ prefix ~ "%' order by started_at desc",
        polls=20) | tojson -}}
{%- endmacro %}
