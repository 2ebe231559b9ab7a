#!/usr/bin/env bash
# The backup job (service backup), as etl_backup: every BACKUP_INTERVAL_HOURS (default 24)
# a COPY_ONLY, COMPRESSION, CHECKSUM backup of DW_ECOMMERCE and ECOMMERCE_OLTP
# (docker/sql/backup_database.sql) into /var/opt/mssql/backup (volume sqlserver_backup);
# then backups older than BACKUP_RETENTION_DAYS (14) and SQL Server Audit files older than
# CONNECTION_AUDIT_RETENTION_DAYS (30) are deleted. The heartbeat is touched only after a
# cycle whose backups all succeeded, so a failing job turns the container unhealthy.
set -uo pipefail
cd /app || exit 2

: "${MSSQL_BACKUP_PASSWORD:?MSSQL_BACKUP_PASSWORD is not set (docker/.env)}"
hours="${BACKUP_INTERVAL_HOURS:-24}"
keep_days="${BACKUP_RETENTION_DAYS:-14}"
audit_days="${CONNECTION_AUDIT_RETENTION_DAYS:-30}"
backup_dir=/var/opt/mssql/backup
audit_dir=/var/opt/mssql/audit
heartbeat=/tmp/backup.heartbeat
server="${ETL_SQL_SERVER:-sqlserver},${ETL_SQL_PORT:-1433}"
for value in "$hours" "$keep_days" "$audit_days"; do
    case "$value" in
        '' | *[!0-9]* | 0)
            echo "error: BACKUP_INTERVAL_HOURS, BACKUP_RETENTION_DAYS and CONNECTION_AUDIT_RETENTION_DAYS must be positive whole numbers" >&2
            exit 2
            ;;
    esac
done

backup_database() {
    BACKUP_DATABASE="$1" BACKUP_FILE="$2" SQLCMDPASSWORD="$MSSQL_BACKUP_PASSWORD" \
        sqlcmd -C -b -l 30 -S "$server" -U etl_backup -i /app/docker/sql/backup_database.sql
}

trap 'echo "backup job stopped"; exit 0' TERM INT
while true; do
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    ok=yes
    for database in DW_ECOMMERCE ECOMMERCE_OLTP; do
        file="$backup_dir/${database}_${stamp}.bak"
        if backup_database "$database" "$file"; then
            echo "$(date -u '+%Y-%m-%d %H:%M:%S') backup written: $file"
        else
            echo "$(date -u '+%Y-%m-%d %H:%M:%S') error: backup of $database failed" >&2
            ok=no
        fi
    done
    find "$backup_dir" -maxdepth 1 -type f -name '*.bak' -mtime +"$keep_days" -print -delete
    find "$audit_dir" -maxdepth 1 -type f -name '*.sqlaudit' -mtime +"$audit_days" -print -delete
    [ "$ok" = yes ] && touch "$heartbeat"
    sleep "$((hours * 3600))" &
    wait $!
done
