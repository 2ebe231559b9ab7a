"""The alert runner (orchestrator/alerts.py) against a local webhook: the shared SLA
rules fire, cooldowns hold across cycles (state on disk), recoveries are announced, and
an unreachable webhook is retried, never fatal."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from observability import runbook, sla
from orchestrator import alerts
from tests.dashboards.conftest import ROOT, MonitorSite, free_port, use_site

NOW = datetime(2026, 3, 1, 12, 0, 0)
RECENT = NOW - timedelta(minutes=5)


class Webhook:
    """A local HTTP server recording the JSON bodies posted to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def texts(self) -> list[str]:
        return [json.dumps(body, ensure_ascii=False) for body in self.bodies]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


def config(url: str, tmp_path: Path, fmt: str = "discord", cooldown: float = 30) -> Any:
    return alerts.AlertConfig(
        webhook_url=url,
        webhook_format=fmt,
        cooldown=timedelta(minutes=cooldown),
        state_path=tmp_path / "alert_state.json",
    )


WAREHOUSE = alerts.Warehouse.from_env()


def cycle(cfg: Any, items: list[sla.EntitySla], now: datetime = NOW) -> Any:
    return alerts.run_cycle(WAREHOUSE, cfg, now=now, alerts=sla.evaluate(items, now))


@pytest.mark.parametrize(
    ("item_at", "item_past", "rule"),
    [
        (
            sla.EntitySla("dim_cliente", freshness_minutes=120, last_execution_at=RECENT),
            sla.EntitySla("dim_cliente", freshness_minutes=121, last_execution_at=RECENT),
            sla.ATRASO_WATERMARK,
        ),
        (
            sla.EntitySla("dim_cliente", last_execution_at=NOW - timedelta(hours=24)),
            sla.EntitySla("dim_cliente", last_execution_at=NOW - timedelta(hours=25)),
            sla.SEM_EXECUCAO_RECENTE,
        ),
        (
            sla.EntitySla("fact_vendas", last_execution_at=RECENT, runs_7d=10, failures_7d=2),
            sla.EntitySla("fact_vendas", last_execution_at=RECENT, runs_7d=10, failures_7d=3),
            sla.FALHA_RECORRENTE,
        ),
    ],
)
def test_each_rule_posts_an_alert_with_its_runbook_link_past_its_threshold_and_none_at_it(
    webhook: Webhook, tmp_path: Path, item_at: sla.EntitySla, item_past: sla.EntitySla, rule: str
) -> None:
    cfg = config(webhook.url, tmp_path)
    assert cycle(cfg, [item_at]).sent == []
    assert webhook.bodies == []
    result = cycle(cfg, [item_past])
    assert result.sent == [f"{item_past.entity}:{rule}"]
    assert len(webhook.bodies) == 1
    assert rule in webhook.bodies[0]["content"] and "ATENCAO" in webhook.bodies[0]["content"]
    assert f"runbook: {runbook.url(rule)}" in webhook.bodies[0]["content"]
    assert runbook.url(rule).endswith(f"#{rule.lower()}")


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("discord", lambda body: set(body) == {"content"}),
        ("slack", lambda body: set(body) == {"text"}),
        ("teams", lambda body: body["@type"] == "MessageCard" and "text" in body),
    ],
)
def test_payload_has_the_shape_of_the_configured_webhook(
    webhook: Webhook, tmp_path: Path, fmt: str, check: Any
) -> None:
    cfg = config(webhook.url, tmp_path, fmt=fmt)
    cycle(cfg, [sla.EntitySla("dim_regiao", last_execution_at=None)])
    assert len(webhook.bodies) == 1
    assert check(webhook.bodies[0])
    assert "SEM_EXECUCAO_RECENTE" in webhook.texts()[0]


def test_cooldown_suppresses_repeats_until_it_expires_or_the_alert_escalates(
    webhook: Webhook, tmp_path: Path
) -> None:
    cfg = config(webhook.url, tmp_path, cooldown=30)
    attention = [sla.EntitySla("dim_cliente", freshness_minutes=200, last_execution_at=RECENT)]
    assert cycle(cfg, attention).sent == ["dim_cliente:ATRASO_WATERMARK"]
    repeat = cycle(cfg, attention, NOW + timedelta(minutes=10))
    assert repeat.sent == [] and repeat.suppressed == ["dim_cliente:ATRASO_WATERMARK"]
    assert len(webhook.bodies) == 1
    # escalation (ATENCAO -> ALERTA) is news: sent despite the cooldown
    alert = [sla.EntitySla("dim_cliente", freshness_minutes=400, last_execution_at=RECENT)]
    assert cycle(cfg, alert, NOW + timedelta(minutes=15)).sent == ["dim_cliente:ATRASO_WATERMARK"]
    assert cycle(cfg, alert, NOW + timedelta(minutes=30)).sent == []
    assert cycle(cfg, alert, NOW + timedelta(minutes=46)).sent == ["dim_cliente:ATRASO_WATERMARK"]
    assert len(webhook.bodies) == 3
    state = json.loads(cfg.state_path.read_text())["alerts"]
    assert state["dim_cliente:ATRASO_WATERMARK"]["severity"] == "ALERTA"


def test_recovery_is_sent_once_when_the_alert_clears(webhook: Webhook, tmp_path: Path) -> None:
    cfg = config(webhook.url, tmp_path)
    cycle(cfg, [sla.EntitySla("dim_equipe", last_execution_at=None)])
    healthy = [sla.EntitySla("dim_equipe", freshness_minutes=0, last_execution_at=RECENT)]
    result = cycle(cfg, healthy, NOW + timedelta(minutes=1))
    assert result.recovered == ["dim_equipe:SEM_EXECUCAO_RECENTE"]
    assert "RECUPERADO" in webhook.bodies[-1]["content"]
    assert cycle(cfg, healthy, NOW + timedelta(minutes=2)).recovered == []
    assert len(webhook.bodies) == 2
    assert json.loads(cfg.state_path.read_text())["alerts"] == {}


def test_unreachable_webhook_is_logged_and_retried_next_cycle(
    webhook: Webhook, tmp_path: Path
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/hook"
    items = [sla.EntitySla("fact_metas", last_execution_at=None)]
    down = cycle(config(closed, tmp_path), items)
    assert down.sent == [] and down.failed == ["fact_metas:SEM_EXECUCAO_RECENTE"]
    # the webhook is back: the alert was never delivered, so it goes now (no cooldown)
    up = cycle(config(webhook.url, tmp_path), items, NOW + timedelta(minutes=1))
    assert up.sent == ["fact_metas:SEM_EXECUCAO_RECENTE"]
    assert len(webhook.bodies) == 1


def test_alerts_once_posts_the_watermark_delay_of_real_pending_source_rows(
    webhook: Webhook,
    site_copy: MonitorSite,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # customers changed after the last load and never loaded: their changes wait for months
    with duckdb.connect(str(site_copy.source)) as conn:
        conn.execute(
            "update core.customers set updated_at = timestamp '2026-01-15 07:00:00'"
            " where customer_id <= 3"
        )
    use_site(site_copy, monkeypatch)
    env = {
        **os.environ,
        "ETL_ALERT_WEBHOOK_URL": webhook.url,
        "ETL_ALERT_WEBHOOK_FORMAT": "slack",
        "ETL_ALERT_STATE_PATH": str(tmp_path / "state.json"),
        "ETL_RUNBOOK_BASE_URL": "https://runbook.example/ops.md",
    }
    command = [sys.executable, "orchestrator/alerts.py", "--once"]
    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    texts = [body["text"] for body in webhook.bodies]
    assert any("ATRASO_WATERMARK" in text and "dim_cliente" in text for text in texts), texts
    assert all("runbook: https://runbook.example/ops.md#" in text for text in texts), texts
    state = json.loads((tmp_path / "state.json").read_text())["alerts"]
    assert state["dim_cliente:ATRASO_WATERMARK"]["severity"] == "ALERTA"
    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0
    assert len(webhook.bodies) == len(texts)  # within the cooldown: nothing re-sent
    assert f"em cooldown: {len(texts)}" in second.stdout, texts


def test_the_runner_reads_as_the_monitor_login_when_one_is_configured() -> None:
    etl_login, monitor_login = secrets.token_hex(8), secrets.token_hex(8)  # no literal
    environ = {
        "ETL_PG_USER": "etl_user",
        "ETL_PG_PASSWORD": etl_login,
        "ETL_PG_MONITOR_USER": "etl_monitor",
        "ETL_PG_MONITOR_PASSWORD": monitor_login,
        "ETL_SQL_USER": "etl_user",
    }
    alerts.use_monitor_login(environ)
    assert (environ["ETL_PG_USER"], environ["ETL_PG_PASSWORD"]) == ("etl_monitor", monitor_login)
    assert environ["ETL_SQL_USER"] == "etl_user"  # no SQL Server monitor login: unchanged
