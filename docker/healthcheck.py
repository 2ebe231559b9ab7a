"""Health probes of the stack's containers (the `healthcheck: test:` of docker/compose.yaml).

    python docker/healthcheck.py http http://127.0.0.1:8501/_stcore/health
    python docker/healthcheck.py heartbeat /tmp/scheduler.heartbeat 5400
    python docker/healthcheck.py sqlserver monitor

- http: the URL answers 200 (Streamlit's own health endpoint answers "ok" once the app
  server runs).
- heartbeat: the file was touched within the last SECONDS (the scheduler and the backup
  job touch theirs after each cycle).
- sqlserver APP: the app's own login (Settings.credentials_for: ETL_SQL_MONITOR_USER for
  "monitor", ETL_SQL_BI_USER for "bi") connects to the warehouse and answers a query.

Exit 0 healthy, 1 not (one line on stderr saying why).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def check_http(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if response.status != 200:
                return f"{url} answered {response.status}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{url}: {exc}"
    return None


def check_heartbeat(path: str, max_age_seconds: float) -> str | None:
    try:
        age = time.time() - os.stat(path).st_mtime
    except OSError:
        return f"no heartbeat yet at {path}"
    if age > max_age_seconds:
        return f"last heartbeat {age:.0f} s ago (limit {max_age_seconds:.0f} s)"
    return None


def check_sqlserver(app: str) -> str | None:
    import pyodbc

    from dashboards.common.settings import Settings

    os.environ["ETL_TARGET"] = "sqlserver"
    user, password = Settings.from_env(app).credentials_for()
    trust = os.environ.get("ETL_SQL_TRUST_CERT", "false").lower() in ("1", "true", "yes")
    parts = {
        "DRIVER": "{" + os.environ.get("ETL_SQL_DRIVER", "ODBC Driver 18 for SQL Server") + "}",
        "SERVER": f"{os.environ.get('ETL_SQL_SERVER', 'localhost')},"
        f"{os.environ.get('ETL_SQL_PORT', '1433')}",
        "DATABASE": os.environ.get("ETL_DW_DATABASE", "DW_ECOMMERCE"),
        "UID": user,
        "PWD": "{" + password.replace("}", "}}") + "}",
        "Encrypt": "yes",
        "TrustServerCertificate": "yes" if trust else "no",
        "APP": "ecommerce_dw healthcheck",
    }
    try:
        conn = pyodbc.connect(";".join(f"{k}={v}" for k, v in parts.items()), timeout=5)
    except pyodbc.Error as exc:
        return f"cannot connect as {user}: {str(exc).splitlines()[0]}"
    try:
        conn.cursor().execute("select 1").fetchone()
    finally:
        conn.close()
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="health probe of a stack container")
    sub = parser.add_subparsers(dest="probe", required=True)
    http = sub.add_parser("http")
    http.add_argument("url")
    heartbeat = sub.add_parser("heartbeat")
    heartbeat.add_argument("path")
    heartbeat.add_argument("max_age_seconds", type=float)
    sqlserver = sub.add_parser("sqlserver")
    sqlserver.add_argument("app", choices=("monitor", "bi"))
    args = parser.parse_args(argv)
    if args.probe == "http":
        problem = check_http(args.url)
    elif args.probe == "heartbeat":
        problem = check_heartbeat(args.path, args.max_age_seconds)
    else:
        problem = check_sqlserver(args.app)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
