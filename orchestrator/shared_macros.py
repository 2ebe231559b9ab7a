"""The dbt macros the orchestrator shares with the project, so each definition is written
once: plain-Jinja macro files of macros/control/ (no dbt context in them), rendered here
with jinja2. They hold the column lists of the audit tables (etl_run_columns,
etl_run_entity_columns, connection_login_events_columns) and the warehouse lock
(etl_warehouse_lock); dbt's hooks call the same macros.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from orchestrator.config import REPO_ROOT

MACRO_DIR = REPO_ROOT / "macros" / "control"


@cache
def _module(name: str) -> Any:
    source = (MACRO_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(source).module


def render(name: str, *args: Any) -> str:
    """The output of macro `name`, defined in macros/control/<name>.sql, for `args`."""
    return str(getattr(_module(name), name)(*args))
