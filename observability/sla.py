"""The SLA rules, in one place: the monitor shows them and the alert runner
(orchestrator/alerts.py) sends them, from this same code.

- ATRASO_WATERMARK: freshness (minutes the oldest source change not yet loaded has been
  waiting past the watermark; 0 when nothing is pending) > 120 ATENCAO, > 360 ALERTA.
- SEM_EXECUCAO_RECENTE: hours since the entity last ran > 24 ATENCAO, > 72 or never
  ALERTA. The 24 h come from the entity's ctl.etl_control.sla_minutes (default 1440);
  the ALERTA threshold is three times that.
- FALHA_RECORRENTE: >= 3 runs in the last 7 days with a failure rate >= 30% ATENCAO,
  >= 50% ALERTA.

"Conformidade SLA" is the share of active entities without any alert. Only active
entities are evaluated. Pure functions: no database, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ATENCAO = "ATENCAO"
ALERTA = "ALERTA"
OK = "OK"
SEVERITY_ORDER = {OK: 0, ATENCAO: 1, ALERTA: 2}

ATRASO_WATERMARK = "ATRASO_WATERMARK"
SEM_EXECUCAO_RECENTE = "SEM_EXECUCAO_RECENTE"
FALHA_RECORRENTE = "FALHA_RECORRENTE"
RULES = (ATRASO_WATERMARK, SEM_EXECUCAO_RECENTE, FALHA_RECORRENTE)

FRESHNESS_ATTENTION_MINUTES = 120
FRESHNESS_ALERT_MINUTES = 360
NO_RUN_ATTENTION_MINUTES = 24 * 60
NO_RUN_ALERT_FACTOR = 3  # 72 h with the default 24 h
RECURRING_MIN_RUNS = 3
RECURRING_WINDOW_DAYS = 7
RECURRING_ATTENTION_RATE = 0.30
RECURRING_ALERT_RATE = 0.50


@dataclass(frozen=True)
class EntitySla:
    """What the rules need about one entity (one row of the pipeline matrix)."""

    entity: str
    is_active: bool = True
    freshness_minutes: float | None = None
    last_execution_at: datetime | None = None
    runs_7d: int = 0
    failures_7d: int = 0
    sla_minutes: int | None = None


@dataclass(frozen=True)
class Alert:
    entity: str
    rule: str
    severity: str
    value: float | None
    threshold: float
    message: str

    @property
    def key(self) -> str:
        """Identity of the alert for cooldown and recovery (severity apart)."""
        return f"{self.entity}:{self.rule}"


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def check_freshness(item: EntitySla) -> Alert | None:
    minutes = _number(item.freshness_minutes)
    if minutes is None or minutes <= FRESHNESS_ATTENTION_MINUTES:
        return None
    if minutes > FRESHNESS_ALERT_MINUTES:
        severity, threshold = ALERTA, FRESHNESS_ALERT_MINUTES
    else:
        severity, threshold = ATENCAO, FRESHNESS_ATTENTION_MINUTES
    return Alert(
        item.entity,
        ATRASO_WATERMARK,
        severity,
        round(minutes, 1),
        threshold,
        f"{item.entity}: alteracoes da origem esperam ha {minutes:.0f} min pela carga "
        f"(limite {threshold} min)",
    )


def check_recent_run(item: EntitySla, now: datetime) -> Alert | None:
    attention = int(item.sla_minutes or NO_RUN_ATTENTION_MINUTES)
    alert = attention * NO_RUN_ALERT_FACTOR
    last = item.last_execution_at
    if last is None or last != last:  # never ran (None / NaT)
        return Alert(
            item.entity,
            SEM_EXECUCAO_RECENTE,
            ALERTA,
            None,
            alert / 60,
            f"{item.entity}: nunca executada",
        )
    minutes = (now - last).total_seconds() / 60
    if minutes <= attention:
        return None
    severity, threshold = (ALERTA, alert) if minutes > alert else (ATENCAO, attention)
    return Alert(
        item.entity,
        SEM_EXECUCAO_RECENTE,
        severity,
        round(minutes / 60, 1),
        threshold / 60,
        f"{item.entity}: sem execucao ha {minutes / 60:.1f} h (limite {threshold / 60:.0f} h)",
    )


def check_recurring_failures(item: EntitySla) -> Alert | None:
    runs = int(item.runs_7d or 0)
    failures = int(item.failures_7d or 0)
    if runs < RECURRING_MIN_RUNS:
        return None
    rate = failures / runs
    if rate >= RECURRING_ALERT_RATE:
        severity, threshold = ALERTA, RECURRING_ALERT_RATE
    elif rate >= RECURRING_ATTENTION_RATE:
        severity, threshold = ATENCAO, RECURRING_ATTENTION_RATE
    else:
        return None
    return Alert(
        item.entity,
        FALHA_RECORRENTE,
        severity,
        round(rate * 100, 1),
        threshold * 100,
        f"{item.entity}: {failures} falhas em {runs} execucoes em {RECURRING_WINDOW_DAYS} dias "
        f"({rate:.0%}; limite {threshold:.0%})",
    )


def evaluate_entity(item: EntitySla, now: datetime) -> list[Alert]:
    if not item.is_active:
        return []
    found = [
        check_freshness(item),
        check_recent_run(item, now),
        check_recurring_failures(item),
    ]
    return [alert for alert in found if alert is not None]


def evaluate(items: Iterable[EntitySla], now: datetime) -> list[Alert]:
    """Every alert of the active entities, the most severe first."""
    alerts = [alert for item in items for alert in evaluate_entity(item, now)]
    return sorted(alerts, key=lambda a: (-SEVERITY_ORDER[a.severity], a.entity, a.rule))


def compliance(items: Iterable[EntitySla], alerts: Iterable[Alert]) -> float | None:
    """Conformidade SLA: share (0-100) of active entities without any alert."""
    active = {item.entity for item in items if item.is_active}
    if not active:
        return None
    alerted = {alert.entity for alert in alerts} & active
    return round(100.0 * (len(active) - len(alerted)) / len(active), 1)


def _timestamp(value: Any) -> datetime | None:
    if value is None or value != value:  # None, NaN, NaT
        return None
    if hasattr(value, "to_pydatetime"):
        try:
            value = value.to_pydatetime()
        except (TypeError, ValueError):
            return None
    if isinstance(value, datetime):
        return value
    return None


def from_records(records: Iterable[dict[str, Any]]) -> list[EntitySla]:
    """EntitySla values from pipeline-matrix rows (dicts with the matrix's column names)."""
    items: list[EntitySla] = []
    for row in records:
        last = _timestamp(row.get("last_execution_at"))
        sla = _number(row.get("sla_minutes"))
        items.append(
            EntitySla(
                entity=str(row["entity"]),
                is_active=bool(row.get("is_active", True)),
                freshness_minutes=_number(row.get("freshness_minutes")),
                last_execution_at=last,
                runs_7d=int(_number(row.get("runs_7d")) or 0),
                failures_7d=int(_number(row.get("failures_7d")) or 0),
                sla_minutes=int(sla) if sla else None,
            )
        )
    return items
