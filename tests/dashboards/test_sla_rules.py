"""The SLA rules (observability/sla.py) at their thresholds: the monitor and the alert
runner share this code."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from observability import sla

NOW = datetime(2026, 3, 1, 12, 0, 0)
RECENT = NOW - timedelta(minutes=5)


def rules(item: sla.EntitySla) -> dict[str, str]:
    return {alert.rule: alert.severity for alert in sla.evaluate([item], NOW)}


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, None), (120, None), (120.5, "ATENCAO"), (360, "ATENCAO"), (360.5, "ALERTA")],
)
def test_watermark_delay_is_attention_past_120_minutes_and_alert_past_360(
    minutes: float, expected: str | None
) -> None:
    item = sla.EntitySla("dim_cliente", freshness_minutes=minutes, last_execution_at=RECENT)
    assert rules(item).get(sla.ATRASO_WATERMARK) == expected


@pytest.mark.parametrize(
    ("hours_ago", "expected"),
    [(1, None), (24, None), (24.1, "ATENCAO"), (72, "ATENCAO"), (72.1, "ALERTA"), (None, "ALERTA")],
)
def test_no_recent_run_is_attention_past_24_hours_and_alert_past_72_or_never(
    hours_ago: float | None, expected: str | None
) -> None:
    last = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    item = sla.EntitySla("dim_cliente", freshness_minutes=0, last_execution_at=last)
    assert rules(item).get(sla.SEM_EXECUCAO_RECENTE) == expected


def test_no_recent_run_threshold_follows_the_entity_sla_minutes() -> None:
    item = sla.EntitySla("fact_vendas", last_execution_at=NOW - timedelta(hours=3), sla_minutes=120)
    assert rules(item)[sla.SEM_EXECUCAO_RECENTE] == "ATENCAO"  # 3 h > 2 h, < 6 h


@pytest.mark.parametrize(
    ("runs", "failures", "expected"),
    [
        (2, 2, None),  # fewer than 3 runs: no judgement
        (3, 0, None),
        (10, 2, None),  # 20%
        (10, 3, "ATENCAO"),  # 30%
        (3, 1, "ATENCAO"),  # 33%
        (10, 5, "ALERTA"),  # 50%
        (3, 3, "ALERTA"),
    ],
)
def test_recurring_failures_need_three_runs_and_30_or_50_percent(
    runs: int, failures: int, expected: str | None
) -> None:
    item = sla.EntitySla(
        "fact_vendas", last_execution_at=RECENT, runs_7d=runs, failures_7d=failures
    )
    assert rules(item).get(sla.FALHA_RECORRENTE) == expected


def test_inactive_entities_raise_no_alert_and_do_not_count_for_compliance() -> None:
    items = [
        sla.EntitySla("dim_cliente", is_active=False, last_execution_at=None),
        sla.EntitySla("dim_produto", last_execution_at=RECENT),
        sla.EntitySla("dim_regiao", last_execution_at=None),
    ]
    alerts = sla.evaluate(items, NOW)
    assert {alert.entity for alert in alerts} == {"dim_regiao"}
    assert sla.compliance(items, alerts) == 50.0


def test_alerts_come_most_severe_first_and_read_pipeline_matrix_rows() -> None:
    import pandas as pd

    rows = [
        {
            "entity": "a",
            "is_active": True,
            "freshness_minutes": 200.0,
            "last_execution_at": pd.Timestamp(RECENT),
            "runs_7d": 0,
            "failures_7d": 0,
            "sla_minutes": 1440,
        },
        {
            "entity": "b",
            "is_active": True,
            "freshness_minutes": float("nan"),
            "last_execution_at": pd.NaT,
            "runs_7d": 0,
            "failures_7d": 0,
            "sla_minutes": None,
        },
    ]
    alerts = sla.evaluate(sla.from_records(rows), NOW)
    assert [(a.entity, a.rule, a.severity) for a in alerts] == [
        ("b", sla.SEM_EXECUCAO_RECENTE, "ALERTA"),
        ("a", sla.ATRASO_WATERMARK, "ATENCAO"),
    ]
