"""The containers' health probes (docker/healthcheck.py) tell healthy from not: a served
health endpoint from a failing one, a fresh heartbeat from a stale or missing one."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docker.conftest import DOCKER

PROBE = DOCKER / "healthcheck.py"


def _probe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=30
    )


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/_stcore/health" else 503
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"ok" if status == 200 else b"down")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_http_probe_is_healthy_only_when_the_endpoint_answers_200(server: str) -> None:
    assert _probe("http", f"{server}/_stcore/health").returncode == 0
    failing = _probe("http", f"{server}/broken")
    assert failing.returncode == 1 and "unhealthy" in failing.stderr
    assert _probe("http", "http://127.0.0.1:9/_stcore/health").returncode == 1


def test_heartbeat_probe_wants_a_recent_touch(tmp_path: Path) -> None:
    beat = tmp_path / "scheduler.heartbeat"
    missing = _probe("heartbeat", str(beat), "60")
    assert missing.returncode == 1 and "no heartbeat yet" in missing.stderr
    beat.touch()
    assert _probe("heartbeat", str(beat), "60").returncode == 0
    old = time.time() - 120
    os.utime(beat, (old, old))
    stale = _probe("heartbeat", str(beat), "60")
    assert stale.returncode == 1 and "limit 60 s" in stale.stderr


def test_sqlserver_probe_reports_an_unreachable_server_as_unhealthy() -> None:
    env = {
        **os.environ,
        "ETL_SQL_SERVER": "127.0.0.1",
        "ETL_SQL_PORT": "9",
        "ETL_SQL_MONITOR_USER": "etl_monitor",
        "ETL_SQL_MONITOR_PASSWORD": "",
    }
    result = subprocess.run(
        [sys.executable, str(PROBE), "sqlserver", "monitor"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1
    assert "unhealthy: cannot connect as etl_monitor" in result.stderr
