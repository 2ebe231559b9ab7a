#!/usr/bin/env bash
# Stop the SQL Server stack.
#
#   docker/down.sh           stop and remove the containers; data, backups and docker/.env stay
#   docker/down.sh --reset   also delete the volumes: databases, backups, audit files, dbt
#                            artifacts (asks first; --yes skips the question). The next
#                            docker/up.sh starts from nothing with the same docker/.env.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
env_file="${DW_ENV_FILE:-$here/.env}"
project=ecommerce_dw

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

if [ ! -f "$env_file" ]; then
    echo "error: $env_file not found: was the stack started with docker/up.sh?" >&2
    exit 1
fi
reset=no
confirmed=no
for argument in "$@"; do
    case "$argument" in
        --reset) reset=yes ;;
        --yes) confirmed=yes ;;
        *)
            echo "usage: docker/down.sh [--reset [--yes]]" >&2
            exit 2
            ;;
    esac
done
if [ "$reset" = no ]; then
    compose down
    exit 0
fi
if [ "$confirmed" = no ]; then
    echo "This deletes the databases, the backups and the audit files of the stack."
    echo "Copy backups out first if you need them: docker cp dw_sqlserver:/var/opt/mssql/backup ./backups"
    read -r -p "Type reset to continue: " answer
    if [ "$answer" != reset ]; then
        echo "nothing deleted"
        exit 1
    fi
fi
compose down --volumes
