#!/usr/bin/env bash
# The orchestrator on a schedule (service orchestrator): `python orchestrator/run.py
# --entity all` now and then every ETL_SCHEDULE_INTERVAL_SECONDS (default 1800), as
# etl_user. On demand, beside it: `docker exec dw_orchestrator python orchestrator/run.py
# --entity all`; the warehouse lock makes whichever run comes second exit 3 at once.
# The heartbeat file, touched around every run, is what the health check watches.
set -uo pipefail
cd /app || exit 2

interval="${ETL_SCHEDULE_INTERVAL_SECONDS:-1800}"
heartbeat=/tmp/scheduler.heartbeat
case "$interval" in
    '' | *[!0-9]*)
        echo "error: ETL_SCHEDULE_INTERVAL_SECONDS must be a number of seconds, got '$interval'" >&2
        exit 2
        ;;
esac
if [ "$interval" -lt 60 ]; then
    echo "error: ETL_SCHEDULE_INTERVAL_SECONDS must be at least 60, got $interval" >&2
    exit 2
fi

trap 'echo "scheduler stopped"; exit 0' TERM INT
while true; do
    touch "$heartbeat"
    echo "$(date -u '+%Y-%m-%d %H:%M:%S') scheduled run: python orchestrator/run.py --entity all"
    python orchestrator/run.py --entity all
    status=$?
    case "$status" in
        0) outcome="success" ;;
        1) outcome="partial or failed: see the monitor" ;;
        3) outcome="skipped: another run holds the warehouse" ;;
        *) outcome="could not run" ;;
    esac
    echo "$(date -u '+%Y-%m-%d %H:%M:%S') run ended with exit code $status ($outcome)"
    touch "$heartbeat"
    sleep "$interval" &
    wait $!
done
