#!/usr/bin/env bash
# The stack's one-shot init (service sql-init), at every `up`; idempotent:
#   1. databases, logins, schemas, users and grants (docker/sql/01-04, as sa);
#   2. the demo source from the generator when ECOMMERCE_OLTP has no table in core
#      (ETL_DEMO_SCALE, default 0.1; ETL_DEMO_SEED, default 42);
#   3. etl_monitor denied the source's personal columns (05);
#   4. the first load, as etl_user, when the warehouse has never been loaded: it creates
#      the control rows, the audit tables and the connection-audit procedures;
#   5. the connection audit around them and SQL Server Audit of logins (06, 07).
# Passwords come from the environment only: sa's to sqlcmd through SQLCMDPASSWORD, the
# four logins' to the T-SQL as sqlcmd scripting variables (sqlcmd reads them from the
# environment variables of the same name).
set -euo pipefail
cd /app

: "${MSSQL_SA_PASSWORD:?MSSQL_SA_PASSWORD is not set (docker/.env)}"
: "${MSSQL_ETL_PASSWORD:?MSSQL_ETL_PASSWORD is not set (docker/.env)}"
: "${MSSQL_MONITOR_PASSWORD:?MSSQL_MONITOR_PASSWORD is not set (docker/.env)}"
: "${MSSQL_BI_PASSWORD:?MSSQL_BI_PASSWORD is not set (docker/.env)}"
: "${MSSQL_BACKUP_PASSWORD:?MSSQL_BACKUP_PASSWORD is not set (docker/.env)}"
export CONNECTION_AUDIT_RETENTION_DAYS="${CONNECTION_AUDIT_RETENTION_DAYS:-30}"
server="${ETL_SQL_SERVER:-sqlserver},${ETL_SQL_PORT:-1433}"
sql_dir=/app/docker/sql
rm -f /tmp/dw-init.done

sqlcmd_sa() {
    SQLCMDPASSWORD="$MSSQL_SA_PASSWORD" sqlcmd -C -b -I -l 30 -S "$server" -U sa "$@"
}

run_script() {
    echo "==> $1"
    sqlcmd_sa -i "$sql_dir/$1"
}

# One number from a query (no header, no row count).
scalar() {
    sqlcmd_sa -d "$1" -h -1 -W -Q "SET NOCOUNT ON; $2" | tr -d '[:space:]'
}

run_script 01_databases.sql
run_script 02_logins.sql
run_script 03_warehouse.sql
run_script 04_source.sql

source_tables=$(scalar ECOMMERCE_OLTP "SELECT COUNT(*) FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id WHERE s.name = N'core'")
if [ "$source_tables" = "0" ]; then
    echo "==> ECOMMERCE_OLTP is empty: generating the demo source (scale ${ETL_DEMO_SCALE:-0.1})"
    ETL_SQL_USER=sa ETL_SQL_PASSWORD="$MSSQL_SA_PASSWORD" \
        python -m generator --target sqlserver --scale "${ETL_DEMO_SCALE:-0.1}" \
        --seed "${ETL_DEMO_SEED:-42}"
else
    echo "==> ECOMMERCE_OLTP has $source_tables tables in core: kept as it is"
fi
run_script 05_source_personal_data.sql

runs_table=$(scalar DW_ECOMMERCE "SELECT COUNT(*) FROM sys.tables WHERE name = N'etl_run' AND SCHEMA_NAME(schema_id) = N'audit'")
if [ "$runs_table" = "0" ]; then
    echo "==> first load, as etl_user: python orchestrator/run.py --entity all"
    status=0
    ETL_SQL_USER=etl_user ETL_SQL_PASSWORD="$MSSQL_ETL_PASSWORD" \
        python orchestrator/run.py --entity all --target sqlserver || status=$?
    if [ "$status" -eq 1 ]; then
        echo "warning: the first load ended partial or failed (exit 1): see the monitor" >&2
    elif [ "$status" -ne 0 ]; then
        echo "error: the first load could not run (exit $status)" >&2
        exit "$status"
    fi
else
    echo "==> the warehouse has been loaded before: the orchestrator service keeps it in step"
fi

run_script 06_connection_audit.sql
run_script 07_server_audit.sql
touch /tmp/dw-init.done
echo "==> init done"
