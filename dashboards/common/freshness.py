"""The business dashboards' data SLA: the data of day D is available by D+1 08:00
America/Sao_Paulo.

At a moment `now`, the newest day whose deadline has passed must be in the data: the data
is within the SLA while its last business day D is at least that day, that is until
D+2 08:00 (the deadline of day D+1). The original dashboards compared `now` with D+1 08:00
instead, which calls yesterday's complete data late from 08:00 on; this module follows the
SLA as written.

"Now" is ETL_NOW when it is set (the pinned clock of the orchestrator and of the views'
reporting_now(): tests and replays), else the current time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLA_TIMEZONE = ZoneInfo("America/Sao_Paulo")
SLA_HOUR = 8


@dataclass(frozen=True)
class Freshness:
    """How the data's last business day stands against the SLA at `now` (local time)."""

    last_day: date | None
    now: datetime
    required_day: date
    deadline: datetime | None  # when the day after last_day is due

    @property
    def within(self) -> bool:
        return self.last_day is not None and self.last_day >= self.required_day

    @property
    def late_hours(self) -> float:
        """Hours past the deadline (0 while within the SLA)."""
        if self.within or self.deadline is None:
            return 0.0
        return max((self.now - self.deadline).total_seconds() / 3600, 0.0)

    @property
    def status(self) -> str:
        return "Dentro do SLA" if self.within else "Atraso de atualizacao"

    @property
    def detail(self) -> str:
        if self.last_day is None:
            return "Sem dados carregados: nenhum dia de negocio disponivel."
        day = f"{self.last_day:%d/%m/%Y}"
        assert self.deadline is not None
        if self.within:
            return (
                f"Ultimo dia de negocio {day}; o dia seguinte vence em "
                f"{self.deadline:%d/%m/%Y %H:%M} (D+1 08:00, America/Sao_Paulo)."
            )
        due = self.last_day + timedelta(days=1)
        return (
            f"Ultimo dia de negocio {day}: o dia {due:%d/%m/%Y} vencia em "
            f"{self.deadline:%d/%m/%Y %H:%M} (D+1 08:00, America/Sao_Paulo), atraso de "
            f"{self.late_hours:.0f} h; ja deviam estar disponiveis os dados ate "
            f"{self.required_day:%d/%m/%Y}."
        )


def due_at(day: date) -> datetime:
    """When the data of `day` must be available: the next day at 08:00 local time."""
    return datetime.combine(day + timedelta(days=1), time(SLA_HOUR), tzinfo=SLA_TIMEZONE)


def now_local() -> datetime:
    pinned = os.environ.get("ETL_NOW", "").strip()
    if pinned:
        moment = datetime.fromisoformat(pinned)
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    else:
        moment = datetime.now(UTC)
    return moment.astimezone(SLA_TIMEZONE)


def evaluate(last_day: date | None, now: datetime | None = None) -> Freshness:
    """The SLA state of data whose last business day is `last_day`."""
    moment = (now or now_local()).astimezone(SLA_TIMEZONE)
    required = (moment - timedelta(hours=SLA_HOUR)).date() - timedelta(days=1)
    deadline = due_at(last_day + timedelta(days=1)) if last_day is not None else None
    return Freshness(last_day, moment, required, deadline)
