{#- audit.VW_CONNECTION_LOGIN_EVENTS_RECENT: the 1,000 newest connection events of the
    last 30 days (the original's TOP (1000) ORDER BY connection_event_id DESC over a
    table its cleanup keeps to 30 days; here the 30 days are applied in the view, to
    reporting_now(), since only SQL Server runs the cleanup), in the original's column
    names. audit.connection_login_events has its own columns (orchestrator/audit.py):
    event_time -> event_time_utc, source -> captured_by, client_address ->
    client_net_address; it has no id, so connection_event_id numbers the events in
    time order (oldest 1). What it does not record (login_time, net_transport,
    protocol_type, client_tcp_port, encrypt_option, auth_scheme) is a typed NULL. -#}
{{ config(schema='audit') }}

with

connection_login_events as (

    select * from {{ source('audit', 'connection_login_events') }}

),

numbered as (

    select
        row_number() over (
            order by
                connection_login_events.event_time,
                connection_login_events.source,
                connection_login_events.session_id,
                connection_login_events.run_id,
                connection_login_events.login_name,
                connection_login_events.host_name,
                connection_login_events.program_name,
                connection_login_events.status
        ) as connection_event_id,
        connection_login_events.event_time,
        connection_login_events.source,
        connection_login_events.session_id,
        connection_login_events.login_name,
        connection_login_events.host_name,
        connection_login_events.program_name,
        connection_login_events.database_name,
        connection_login_events.status,
        connection_login_events.client_address
    from connection_login_events

),

recent as (

    select
        numbered.*,
        row_number() over (order by numbered.connection_event_id desc) as recency
    from numbered
    where numbered.event_time >= {{ dbt.dateadd('day', '-30', ecommerce_dw.reporting_now()) }}

),

final as (

    select
        cast(recent.connection_event_id as {{ dbt.type_bigint() }}) as connection_event_id,
        recent.event_time as event_time_utc,
        recent.source as captured_by,
        recent.session_id,
        recent.login_name,
        recent.host_name,
        recent.program_name,
        recent.database_name,
        recent.status,
        cast(null as {{ dbt.type_timestamp() }}) as login_time,
        cast(null as varchar(40)) as net_transport,
        cast(null as varchar(40)) as protocol_type,
        recent.client_address as client_net_address,
        cast(null as {{ dbt.type_int() }}) as client_tcp_port,
        cast(null as varchar(10)) as encrypt_option,
        cast(null as varchar(60)) as auth_scheme
    from recent
    where recent.recency <= 1000

)

select * from final
