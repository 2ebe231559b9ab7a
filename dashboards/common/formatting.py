"""Formatting for the dashboards: Brazilian number style, durations, status colours."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

STATUS_COLORS = {
    "OK": "#2e7d32",
    "FALHA": "#c62828",
    "RODANDO": "#1565c0",
    "PENDENTE_ESTRUTURA": "#ef6c00",
    "SEM_EXECUCAO": "#757575",
    "ATENCAO": "#f9a825",
    "ALERTA": "#c62828",
    "success": "#2e7d32",
    "partial": "#ef6c00",
    "failed": "#c62828",
    "running": "#1565c0",
    "skipped": "#9e9e9e",
    "inactive": "#bdbdbd",
    "dry_run": "#7e57c2",
}
STATUS_ICONS = {
    "OK": "🟢",
    "FALHA": "🔴",
    "RODANDO": "🔵",
    "PENDENTE_ESTRUTURA": "🟠",
    "SEM_EXECUCAO": "⚪",
    "ATENCAO": "🟡",
    "ALERTA": "🔴",
}
RUN_STATUS_LABELS = {
    "success": "sucesso",
    "partial": "parcial",
    "failed": "falha",
    "running": "rodando",
}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def integer(value: Any) -> str:
    """12345 -> '12.345'."""
    if _missing(value):
        return "-"
    return f"{round(float(value)):,}".replace(",", ".")


def decimal(value: Any, places: int = 1) -> str:
    """1234.5 -> '1.234,5'."""
    if _missing(value):
        return "-"
    text = f"{float(value):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: Any, places: int = 1) -> str:
    """98.5 -> '98,5%' (the value is already a percentage)."""
    if _missing(value):
        return "-"
    return decimal(value, places) + "%"


def seconds(value: Any) -> str:
    """A duration in seconds: '0,4 s', '2 min 5 s', '1 h 3 min'."""
    if _missing(value):
        return "-"
    total = float(value)
    if total < 60:
        return decimal(total, 1) + " s"
    minutes, secs = divmod(round(total), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def minutes(value: Any) -> str:
    if _missing(value):
        return "-"
    return seconds(float(value) * 60)


def timestamp(value: Any) -> str:
    if _missing(value):
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value)


def status_label(status: Any) -> str:
    """'FALHA' -> '🔴 FALHA' (the raw status stays visible and searchable)."""
    if _missing(status):
        return "-"
    text = str(status)
    icon = STATUS_ICONS.get(text)
    return f"{icon} {text}" if icon else text


def finite(value: Any) -> float | None:
    if _missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def currency(value: Any) -> str:
    """1234.5 -> 'R$ 1.234,50'."""
    if _missing(value):
        return "-"
    number = float(value)
    sign = "-" if number < 0 else ""
    return f"{sign}R$ {decimal(abs(number), 2)}"


def ratio(value: Any, places: int = 1) -> str:
    """A ratio as a percentage: 0.125 -> '12,5%'."""
    if _missing(value):
        return "-"
    return percent(float(value) * 100, places)


def times(value: Any, places: int = 2) -> str:
    """A return as a multiple: 1.5 -> '1,50x'."""
    if _missing(value):
        return "-"
    return decimal(value, places) + "x"


def date_br(value: Any) -> str:
    """A date as dd/mm/yyyy."""
    if _missing(value):
        return "-"
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)


def relative_change(current: Any, previous: Any) -> float | None:
    """(current - previous) / |previous|; None when either is missing or previous is 0."""
    now, before = finite(current), finite(previous)
    if now is None or before is None or abs(before) < 1e-9:
        return None
    return (now - before) / abs(before)


def delta(current: Any, previous: Any) -> str | None:
    """The change against the previous period, as a signed percentage ('+5,2%')."""
    change = relative_change(current, previous)
    if change is None:
        return None
    return ("+" if change >= 0 else "") + percent(change * 100)


def currency_short(value: Any) -> str:
    """Currency that fits a KPI card: 'R$ 97.538,26', 'R$ 198,0 mil', 'R$ 12,35 mi'."""
    if _missing(value):
        return "-"
    number = float(value)
    size = abs(number)
    sign = "-" if number < 0 else ""
    if size < 100_000:
        return currency(number)
    if size < 1_000_000:
        return f"{sign}R$ {decimal(size / 1_000, 1)} mil"
    if size < 1_000_000_000:
        return f"{sign}R$ {decimal(size / 1_000_000, 2)} mi"
    return f"{sign}R$ {decimal(size / 1_000_000_000, 2)} bi"
