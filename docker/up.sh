#!/usr/bin/env bash
# Start the SQL Server stack (docker/compose.yaml) in the background, building the images.
#
#   docker/up.sh                 start (first time: writes docker/.env with new passwords)
#   docker/up.sh --prepare-env   only write docker/.env, start nothing
#
# docker/.env (ignored by git) starts as a copy of docker/.env.example; every empty
# *_PASSWORD in it gets a strong random password, once: an existing one is kept. Set
# DW_ENV_FILE to use another env file. Needs Docker with Compose (`docker compose`, or
# the older `docker-compose`).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="${DW_ENV_FILE:-$here/.env}"
project=ecommerce_dw
password_variables=(MSSQL_SA_PASSWORD MSSQL_ETL_PASSWORD MSSQL_MONITOR_PASSWORD MSSQL_BI_PASSWORD MSSQL_BACKUP_PASSWORD)

# 24 random letters and digits, then one upper case letter, one lower case, one digit and
# one symbol (SQL Server's password policy wants three of the four kinds), all from
# characters that .env files, sqlcmd variables, ODBC connection strings and shells take
# literally.
random_from() {
    local raw
    raw=$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc "$1")
    printf '%s' "${raw:0:$2}"
}

new_password() {
    printf '%s%s%s%s%s' "$(random_from 'A-Za-z0-9' 24)" "$(random_from 'A-Z' 1)" \
        "$(random_from 'a-z' 1)" "$(random_from '0-9' 1)" "$(random_from '_.+%@-' 1)"
}

prepare_env() {
    if [ ! -f "$env_file" ]; then
        cp "$here/.env.example" "$env_file"
        echo "created $env_file from .env.example"
    fi
    chmod 600 "$env_file"
    local name value generated=()
    for name in "${password_variables[@]}"; do
        value=$(grep -E "^${name}=" "$env_file" | tail -n 1 | cut -d= -f2- || true)
        if [ -n "$value" ]; then
            continue
        fi
        value=$(new_password)
        if grep -qE "^${name}=" "$env_file"; then
            sed -i.bak "s|^${name}=.*|${name}=${value}|" "$env_file" && rm -f "$env_file.bak"
        else
            printf '%s=%s\n' "$name" "$value" >>"$env_file"
        fi
        generated+=("$name")
    done
    if [ ${#generated[@]} -gt 0 ]; then
        echo "generated strong passwords in $env_file: ${generated[*]}"
    fi
}

compose() {
    if docker compose version >/dev/null 2>&1; then
        docker compose -p "$project" --env-file "$env_file" -f "$here/compose.yaml" "$@"
    elif command -v docker-compose >/dev/null 2>&1; then
        docker-compose -p "$project" --env-file "$env_file" -f "$here/compose.yaml" "$@"
    else
        echo "error: Docker Compose not found (docker compose or docker-compose)" >&2
        exit 1
    fi
}

prepare_env
if [ "${1:-}" = "--prepare-env" ]; then
    exit 0
fi
if ! docker info >/dev/null 2>&1; then
    echo "error: the Docker engine is not running (docker info failed)" >&2
    exit 1
fi
compose up -d --build
cat <<TEXT

Stack starting (the first start builds the images, generates the demo source and loads it:
a few minutes). Follow it with: docker logs -f dw_sql_init
  SQL Server           127.0.0.1:1433 (logins etl_user, etl_monitor, bi_reader, etl_backup)
  Monitor ETL          http://127.0.0.1:8501
  Dashboard Vendas     http://127.0.0.1:8502
  Dashboard Metas      http://127.0.0.1:8503
  Dashboard Descontos  http://127.0.0.1:8504
  Load now             docker exec dw_orchestrator python orchestrator/run.py --entity all
  Status               docker/up.sh is idempotent; docker ps shows each service's health
TEXT
