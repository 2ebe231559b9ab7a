"""The SLA alert runner: evaluates the monitor's SLA rules and posts them to a webhook.

    python orchestrator/alerts.py --once
    python orchestrator/alerts.py --interval 300

The rules are the monitor's own (observability/sla.py), fed by the same pipeline status as
the monitor's matrix (observability/pipeline_status.py), so the runner and the page never
disagree. Each message links the runbook section of its rule (observability/runbook.py,
base ETL_RUNBOOK_BASE_URL). The runner reads the warehouse through the orchestrator's own
connection (orchestrator/warehouse.py, read-only on DuckDB) and imports nothing from
dashboards/.

Environment:
- ETL_ALERT_WEBHOOK_URL: where to post (unset: alerts are only printed).
- ETL_ALERT_WEBHOOK_FORMAT: discord (default) | slack | teams: payload shape
  ({"content": ...} | {"text": ...} | a Teams MessageCard).
- ETL_ALERT_COOLDOWN_MINUTES (default 30): an alert (entity + rule) is not re-sent within
  its cooldown unless its severity rises.
- ETL_ALERT_STATE_PATH (default data/alert_state.json): open alerts and when each was last
  sent, so cooldowns survive restarts. When an alert clears, a recovery message is sent.
- ETL_RUNBOOK_BASE_URL: where the runbook is (default docs/runbook.md); each message links
  `<base>#<rule>`.
- ETL_TARGET and the ETL_* connection variables, as everywhere. The runner logs in as the
  monitor's login when one is configured (ETL_PG_MONITOR_USER / ETL_PG_MONITOR_PASSWORD,
  ETL_SQL_MONITOR_USER / ETL_SQL_MONITOR_PASSWORD: it reads what the monitor reads), else as
  ETL_PG_USER / ETL_SQL_USER.

A webhook that cannot be reached is logged and retried on the next cycle; it never stops
the runner. While a load holds the DuckDB warehouse the cycle is skipped (nothing sent,
nothing forgotten).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: put the repository root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from observability import runbook, sla
from observability.pipeline_status import pipeline_matrix
from observability.reader import Session, WarehouseBusy, WarehouseUnavailable
from orchestrator.config import REPO_ROOT, TARGETS, duckdb_source_path, duckdb_warehouse_path
from orchestrator.lock import FileLock, LockInfo, pid_alive
from orchestrator.warehouse import describe, open_connection

log = logging.getLogger("orchestrator.alerts")

FORMATS = ("discord", "slack", "teams")
DEFAULT_COOLDOWN_MINUTES = 30.0
DEFAULT_STATE_PATH = "data/alert_state.json"
POST_TIMEOUT_SECONDS = 10.0
BUSY_RETRY_SECONDS = 1.5
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AlertConfig:
    webhook_url: str = ""
    webhook_format: str = "discord"
    cooldown: timedelta = timedelta(minutes=DEFAULT_COOLDOWN_MINUTES)
    state_path: Path = REPO_ROOT / DEFAULT_STATE_PATH

    @classmethod
    def from_env(cls) -> AlertConfig:
        fmt = os.environ.get("ETL_ALERT_WEBHOOK_FORMAT", "discord").strip().lower() or "discord"
        if fmt not in FORMATS:
            raise ValueError(
                f"ETL_ALERT_WEBHOOK_FORMAT={fmt!r}: expected one of {', '.join(FORMATS)}"
            )
        raw_cooldown = os.environ.get("ETL_ALERT_COOLDOWN_MINUTES", "")
        try:
            cooldown = float(raw_cooldown) if raw_cooldown else DEFAULT_COOLDOWN_MINUTES
        except ValueError:
            raise ValueError(f"ETL_ALERT_COOLDOWN_MINUTES={raw_cooldown!r}: not a number") from None
        if cooldown < 0:
            raise ValueError("ETL_ALERT_COOLDOWN_MINUTES must be >= 0")
        state = Path(os.environ.get("ETL_ALERT_STATE_PATH", DEFAULT_STATE_PATH))
        return cls(
            webhook_url=os.environ.get("ETL_ALERT_WEBHOOK_URL", "").strip(),
            webhook_format=fmt,
            cooldown=timedelta(minutes=cooldown),
            state_path=state if state.is_absolute() else REPO_ROOT / state,
        )


# --- messages ---------------------------------------------------------------------------


def alert_text(alert: sla.Alert, target: str) -> str:
    icon = "🔴" if alert.severity == sla.ALERTA else "🟡"
    return (
        f"{icon} [{alert.severity}] {alert.rule} | {alert.message} (DW {target})"
        f" | runbook: {runbook.url(alert.rule)}"
    )


def recovery_text(key: str, previous: dict[str, Any], target: str) -> str:
    entity, _, rule = key.partition(":")
    return (
        f"✅ [RECUPERADO] {rule} | {entity}: alerta encerrado "
        f"(era {previous.get('severity', '?')} desde {previous.get('first_seen', '?')}) "
        f"(DW {target})"
    )


def payload(text: str, webhook_format: str, severity: str = sla.ATENCAO) -> dict[str, Any]:
    """The JSON body of one message in the webhook's shape."""
    if webhook_format == "slack":
        return {"text": text}
    if webhook_format == "teams":
        color = {"ALERTA": "C62828", "ATENCAO": "F9A825"}.get(severity, "2E7D32")
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": text[:120],
            "themeColor": color,
            "title": "Monitor ETL | DW E-commerce",
            "text": text,
        }
    return {"content": text[:2000]}  # Discord's limit


def post(url: str, body: dict[str, Any]) -> None:
    """POST JSON; raises OSError (URLError, HTTPError, timeout) when it did not go through."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "User-Agent": "ecommerce-dw-alerts"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS) as response:
        response.read()


# --- state ------------------------------------------------------------------------------


def load_state(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("alert state %s unreadable, starting afresh: %s", path, exc)
        return {}
    alerts = data.get("alerts", {}) if isinstance(data, dict) else {}
    return alerts if isinstance(alerts, dict) else {}


def save_state(path: Path, alerts: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + f".{os.getpid()}.tmp")
    temp.write_text(
        json.dumps({"alerts": alerts, "saved_at": _utcnow().isoformat()}, indent=2),
        encoding="utf-8",
    )
    os.replace(temp, path)


# --- one cycle --------------------------------------------------------------------------


@dataclass
class CycleResult:
    evaluated: bool = True
    alerts: list[sla.Alert] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped_reason: str = ""


@dataclass(frozen=True)
class Warehouse:
    """The warehouse the runner watches: a dbt target and, on DuckDB, its two files."""

    target: str
    duckdb_path: Path
    oltp_duckdb_path: Path

    @classmethod
    def from_env(cls) -> Warehouse:
        target = os.environ.get("ETL_TARGET", "duckdb")
        if target not in TARGETS:
            raise ValueError(f"ETL_TARGET={target!r}: expected one of {', '.join(TARGETS)}")
        return cls(target, duckdb_warehouse_path(), duckdb_source_path())

    def busy(self) -> str | None:
        """Who holds the DuckDB warehouse for a run (None: nobody alive does)."""
        lock = self.duckdb_path.with_name(self.duckdb_path.name + ".lock")
        if self.target != "duckdb" or not lock.exists():
            return None
        holder = FileLock(lock, LockInfo("", 0, "", "")).read_holder()
        return holder.describe() if holder is not None and pid_alive(holder.pid) else None

    def open(self) -> Any:
        """A connection for reading (read-only on DuckDB); WarehouseBusy while a load holds
        the file, WarehouseUnavailable when it cannot be reached."""
        holder = self.busy()
        if holder:
            raise WarehouseBusy(holder)
        if self.target == "duckdb" and not self.duckdb_path.exists():
            raise WarehouseUnavailable(f"arquivo do DW nao existe: {self.duckdb_path}")
        try:
            return open_connection(self.target, read_only=True, retry_seconds=BUSY_RETRY_SECONDS)
        except Exception as exc:  # drivers raise their own types; the message says which
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            if self.target == "duckdb" and "lock" in text.lower():
                raise WarehouseBusy(text) from None
            raise WarehouseUnavailable(f"{describe(self.target)}: {text}") from None


def evaluate(warehouse: Warehouse, now: datetime) -> list[sla.Alert]:
    """The SLA alerts now: the pipeline status the monitor shows, through the shared rules."""
    conn = warehouse.open()
    try:
        matrix = pipeline_matrix(Session(conn, warehouse), now)
    finally:
        conn.close()
    return sla.evaluate(sla.from_records(matrix.to_dict("records")), now)


def _deliver(config: AlertConfig, text: str, severity: str) -> bool:
    if not config.webhook_url:
        print(text, flush=True)
        return True
    try:
        post(config.webhook_url, payload(text, config.webhook_format, severity))
    except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts, bad URL
        log.warning("webhook unreachable, will retry next cycle: %s", exc)
        return False
    return True


def run_cycle(
    warehouse: Warehouse,
    config: AlertConfig,
    now: datetime | None = None,
    alerts: list[sla.Alert] | None = None,
) -> CycleResult:
    """Evaluate, send what is new / escalated / out of cooldown, send recoveries, save."""
    now = now or _utcnow()
    result = CycleResult()
    if alerts is None:
        try:
            alerts = evaluate(warehouse, now)
        except WarehouseBusy as exc:
            result.evaluated, result.skipped_reason = False, f"carga em andamento: {exc}"
            log.info("skipping cycle: %s", result.skipped_reason)
            return result
        except WarehouseUnavailable as exc:
            result.evaluated, result.skipped_reason = False, f"DW inacessivel: {exc}"
            log.warning("skipping cycle: %s", result.skipped_reason)
            return result
    result.alerts = alerts
    state = load_state(config.state_path)
    current = {alert.key: alert for alert in alerts}
    for key, alert in current.items():
        previous = state.get(key)
        escalated = previous is not None and sla.SEVERITY_ORDER.get(
            alert.severity, 0
        ) > sla.SEVERITY_ORDER.get(str(previous.get("severity")), 0)
        last_sent = _parse(previous.get("last_sent")) if previous else None
        due = last_sent is None or escalated or now - last_sent >= config.cooldown
        entry = dict(previous or {})
        entry.setdefault("first_seen", now.isoformat(timespec="seconds"))
        entry["severity"] = alert.severity
        entry["message"] = alert.message
        if not due:
            result.suppressed.append(key)
        elif _deliver(config, alert_text(alert, warehouse.target), alert.severity):
            entry["last_sent"] = now.isoformat(timespec="seconds")
            result.sent.append(key)
        else:
            result.failed.append(key)
        state[key] = entry
    for key in [key for key in state if key not in current]:
        previous = state[key]
        if previous.get("last_sent") is None:
            del state[key]  # never announced: nothing to recover from
            continue
        if _deliver(config, recovery_text(key, previous, warehouse.target), "OK"):
            del state[key]
            result.recovered.append(key)
        else:
            result.failed.append(key)
    try:
        save_state(config.state_path, state)
    except OSError as exc:
        log.error("cannot save alert state %s: %s", config.state_path, exc)
    return result


def _parse(raw: Any) -> datetime | None:
    if not raw:
        return None
    with contextlib.suppress(ValueError, TypeError):
        return datetime.fromisoformat(str(raw))
    return None


# --- command line -----------------------------------------------------------------------


# (what this process's connections read, the monitor's login): scripts/roles.py, docker/
MONITOR_LOGIN = (
    ("ETL_PG_USER", "ETL_PG_MONITOR_USER", "ETL_PG_PASSWORD", "ETL_PG_MONITOR_PASSWORD"),
    ("ETL_SQL_USER", "ETL_SQL_MONITOR_USER", "ETL_SQL_PASSWORD", "ETL_SQL_MONITOR_PASSWORD"),
)


def use_monitor_login(environ: MutableMapping[str, str] = os.environ) -> None:
    """Read as the monitor's login when one is configured: this process's connections
    (orchestrator/warehouse.py) log in as ETL_PG_USER / ETL_SQL_USER, so point those at it."""
    for user, monitor_user, password, monitor_password in MONITOR_LOGIN:
        if environ.get(monitor_user):
            environ[user] = environ[monitor_user]
            environ[password] = environ.get(monitor_password, "")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python orchestrator/alerts.py",
        description="Evaluate the SLA rules of the monitor and post alerts to a webhook "
        "(ETL_ALERT_WEBHOOK_URL, ETL_ALERT_WEBHOOK_FORMAT=discord|slack|teams).",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="evaluate and send once, then exit")
    mode.add_argument(
        "--interval", type=float, metavar="SECONDS", help="evaluate every SECONDS (>= 5)"
    )
    parser.add_argument("--target", help="dbt target (default ETL_TARGET or duckdb)")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("ETL_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    args = build_parser().parse_args(argv)
    if args.target:
        os.environ["ETL_TARGET"] = args.target
    use_monitor_login()
    try:
        warehouse = Warehouse.from_env()
        config = AlertConfig.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.interval is not None and args.interval < 5:
        print("error: --interval must be >= 5 seconds", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _loop(warehouse, config, args.once, args.interval)
    except KeyboardInterrupt:
        return EXIT_OK


def _loop(warehouse: Warehouse, config: AlertConfig, once: bool, interval: float | None) -> int:
    while True:
        try:
            result = run_cycle(warehouse, config)
        except Exception:  # one bad cycle must not end a long-running runner
            log.exception("alert cycle failed")
            result = CycleResult(evaluated=False, skipped_reason="erro inesperado")
        summary = (
            f"alertas: {len(result.alerts)}, enviados: {len(result.sent)}, "
            f"recuperados: {len(result.recovered)}, em cooldown: {len(result.suppressed)}, "
            f"falhas de envio: {len(result.failed)}"
            if result.evaluated
            else f"ciclo pulado: {result.skipped_reason}"
        )
        print(f"{_utcnow():%Y-%m-%d %H:%M:%S} {summary}", flush=True)
        if once or interval is None:
            return EXIT_OK if result.evaluated else EXIT_FAILED
        time.sleep(interval)


if __name__ == "__main__":
    sys.exit(main())
