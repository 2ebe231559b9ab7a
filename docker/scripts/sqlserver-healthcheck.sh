#!/usr/bin/env bash
# Health check of the sqlserver service: SQL Server answers a query (as sa, whose password
# the container already has in MSSQL_SA_PASSWORD; handed to sqlcmd through SQLCMDPASSWORD,
# never on a command line). The 2022 image ships sqlcmd in mssql-tools18 (older builds in
# mssql-tools).
set -euo pipefail
sqlcmd=/opt/mssql-tools18/bin/sqlcmd
[ -x "$sqlcmd" ] || sqlcmd=/opt/mssql-tools/bin/sqlcmd
SQLCMDPASSWORD="${MSSQL_SA_PASSWORD:?MSSQL_SA_PASSWORD is not set}" \
    "$sqlcmd" -C -b -l 5 -S localhost -U sa -h -1 -Q "SET NOCOUNT ON; SELECT 1" >/dev/null
