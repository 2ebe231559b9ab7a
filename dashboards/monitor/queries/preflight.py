"""The Pre-flight block on top of every page: DW and OLTP connections, ctl/audit objects,
active scope, missing source/target tables. Never raises."""

from __future__ import annotations

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import (
    WarehouseBusy,
    WarehouseUnavailable,
    check_source,
    session,
)
from dashboards.common.settings import Settings
from observability.pipeline_status import CONTROL_SQL, OK

REQUIRED_OBJECTS = (
    "ctl.etl_control",
    "audit.etl_load_window",
    "audit.etl_quarantine",
    "audit.etl_run",
    "audit.etl_run_entity",
    "audit.connection_login_events",
)
PREFLIGHT_COLUMNS = ["verificacao", "situacao", "detalhe"]


def preflight(settings: Settings) -> pd.DataFrame:
    """The checks on top of every page: DW and OLTP connections, ctl/audit objects, active
    scope, missing source/target tables. Never raises."""
    rows: list[tuple[str, str, str]] = []
    source = check_source(settings)
    try:
        with session(settings) as sess:
            tables = sess.tables()
            rows.append(("Conexao DW", OK, settings.label))
            rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
            missing = [name for name in REQUIRED_OBJECTS if name not in tables]
            rows.append(
                (
                    "Objetos ctl/audit",
                    OK if not missing else "ALERTA",
                    "todos presentes" if not missing else "ausentes: " + ", ".join(missing),
                )
            )
            if "ctl.etl_control" not in tables:
                rows.append(("Escopo ativo", "ALERTA", "ctl.etl_control nao existe"))
                rows.append(("Tabelas origem/destino", "ALERTA", "sem tabela de controle"))
                return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
            control = sess.df(CONTROL_SQL)
            source_tables = sess.source_tables()
    except WarehouseBusy as exc:
        rows.append(("Conexao DW", "RODANDO", f"{exc}: leitura adiada, sem risco para a carga"))
        rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
        return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
    except WarehouseUnavailable as exc:
        rows.append(("Conexao DW", "ALERTA", str(exc)))
        rows.append(("Conexao OLTP", OK if source.ok else "ALERTA", source.detail))
        return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)
    active = control[control["is_active"].astype(bool)]
    invalid = [
        str(row.entity_name)
        for row in active.itertuples()
        if not (1 <= int(row.batch_size) <= 100000 and 0 <= int(row.cutoff_minutes) <= 1440)
    ]
    if active.empty:
        rows.append(("Escopo ativo", "ALERTA", "nenhuma entidade ativa em ctl.etl_control"))
    elif invalid:
        rows.append(("Escopo ativo", "ALERTA", "configuracao invalida: " + ", ".join(invalid)))
    else:
        rows.append(("Escopo ativo", OK, f"{len(active)} de {len(control)} entidades ativas"))
    missing_tables: list[str] = []
    for row in control.itertuples():
        if str(row.source_table).lower() not in source_tables:
            missing_tables.append(f"origem {row.source_table}")
        if str(row.target_table).lower() not in tables:
            missing_tables.append(f"destino {row.target_table}")
    rows.append(
        (
            "Tabelas origem/destino",
            OK if not missing_tables else "ATENCAO",
            "todas presentes" if not missing_tables else "ausentes: " + ", ".join(missing_tables),
        )
    )
    return pd.DataFrame(rows, columns=PREFLIGHT_COLUMNS)


load_preflight = loader(PREFLIGHT_COLUMNS)(preflight)
