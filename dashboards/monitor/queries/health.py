"""Saude por pipeline: the quality checks of one entity rated OK / ATENCAO / ALERTA, its
quarantine, its recent source rows and its run history.

Checks: coverage target/source (>= 95%), changes pending since the watermark, source PK
nulls, null updated_at, source rows whose updated_at lies in the future (they wait
behind the cutoff, silently), invalid status values, values outside the domain of a
descriptive attribute (the dbt accepted_values tests: warn -> ATENCAO, error -> ALERTA,
with the count and the values), target natural-key nulls and duplicates, soft-delete
reconciliation, fact mandatory FK nulls, negative measures. Findings with a runbook
section carry its link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from dashboards.common.cache import loader
from dashboards.common.connections import session
from dashboards.common.settings import Settings
from dashboards.monitor.queries import dbt_artifacts
from dashboards.monitor.queries.pipelines import load_pipeline_matrix
from observability import runbook, sla
from observability.pipeline_status import NATURAL_KEYS, OK, seconds_between
from observability.reader import Session, identifier, split_table, true_literal, utcnow

ATENCAO = sla.ATENCAO
ALERTA = sla.ALERTA
COVERAGE_TARGET = 95.0
COVERAGE_ALERT_BELOW = 80.0
DOMAIN_VALUES_SHOWN = 10

# Source columns never shown in the monitor's source sample (LGPD, SPEC section 7).
PERSONAL_COLUMNS = frozenset(
    {"full_name", "email", "phone", "document_number", "birth_date", "address_line", "zip_code"}
)


@dataclass(frozen=True)
class EntityQuality:
    """What the quality checks of an entity look at beyond its natural key (NATURAL_KEYS)
    and its ctl.etl_control row."""

    status_side: str = ""  # "source" | "target" | "" (no status column)
    status_column: str = ""
    status_values: tuple[str, ...] = ()
    foreign_keys: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()


QUALITY: dict[str, EntityQuality] = {
    "dim_cliente": EntityQuality(
        "source", "customer_type", ("Novo", "Recorrente", "VIP", "Inativo")
    ),
    "dim_produto": EntityQuality("source", "product_status", ("Ativo", "Inativo", "Descontinuado")),
    "dim_regiao": EntityQuality(),
    "dim_equipe": EntityQuality("source", "team_type", ("Inside Sales", "Field Sales")),
    "dim_vendedor": EntityQuality("source", "seller_status", ("Ativo", "Inativo")),
    "dim_desconto": EntityQuality(
        "source",
        "discount_type",
        (
            "Cupom",
            "Promocao Automatica",
            "Desconto Progressivo",
            "Fidelidade",
            "Primeira Compra",
            "Cashback",
        ),
    ),
    "fact_vendas": EntityQuality(
        "target",
        "status_pedido",
        ("Pendente", "Pago", "Faturado", "Enviado", "Entregue", "Cancelado", "Devolvido"),
        ("data_id", "cliente_id", "produto_id", "vendedor_id", "regiao_id"),
        (
            "quantidade_vendida",
            "valor_total_bruto",
            "valor_total_liquido",
            "custo_total",
            "quantidade_devolvida",
            "valor_devolvido",
        ),
    ),
    "fact_metas": EntityQuality(
        foreign_keys=("data_id", "vendedor_id", "equipe_id"),
        measures=("valor_meta", "quantidade_meta", "valor_realizado", "quantidade_realizada"),
    ),
    "fact_descontos": EntityQuality(
        foreign_keys=(
            "desconto_id",
            "venda_id",
            "data_aplicacao_id",
            "cliente_id",
            "produto_id",
        ),
        measures=("valor_desconto_aplicado", "valor_sem_desconto", "valor_com_desconto"),
    ),
}

QUALITY_COLUMNS = ["verificacao", "valor", "limite", "avaliacao", "detalhe", "runbook"]

Check = tuple[str, Any, str, str, str, str | None]


def _rate(count: Any, attention: bool = False) -> str:
    if count is None:
        return ATENCAO
    if int(count) == 0:
        return OK
    return ATENCAO if attention else ALERTA


def _check(name: str, value: Any, limit: str, rating: str, detail: str, code: str = "") -> Check:
    """One row of the checks table; the runbook link only where something was found."""
    return (name, value, limit, rating, detail, runbook.url(code) if rating != OK else None)


def _freshness_checks(item: pd.Series) -> list[Check]:
    checks: list[Check] = []
    coverage = item["coverage_percent"]
    if coverage is None or pd.isna(coverage):
        checks.append(_check("Cobertura destino/origem", None, ">= 95%", ALERTA, "sem tabela"))
    else:
        rating = (
            OK
            if coverage >= COVERAGE_TARGET
            else ATENCAO
            if coverage >= COVERAGE_ALERT_BELOW
            else ALERTA
        )
        checks.append(
            _check(
                "Cobertura destino/origem",
                round(float(coverage), 2),
                ">= 95%",
                rating,
                f"{item['target_total']} de {item['source_total']} linhas",
            )
        )
    pending = item["source_pending_since_watermark"]
    freshness = item["freshness_minutes"]
    if pending is None or pd.isna(pending):
        checks.append(_check("Pendentes desde o watermark", None, "0", ATENCAO, "origem ilegivel"))
        return checks
    rating = OK
    if pending:
        late = freshness is not None and freshness > sla.FRESHNESS_ALERT_MINUTES
        rating = ALERTA if late else ATENCAO
    checks.append(
        _check(
            "Pendentes desde o watermark",
            int(pending),
            "0",
            rating,
            f"mais antiga espera ha {freshness:.0f} min" if pending else "em dia",
            sla.ATRASO_WATERMARK,
        )
    )
    return checks


def _source_checks(
    sess: Session, entity: str, relation: str, quality: EntityQuality, now: datetime
) -> tuple[list[Check], int]:
    """Checks on the source table; also returns its soft-deleted row count."""
    pk = identifier(_control_pk(sess, entity))
    nulls, null_updated, deleted, future, future_max = sess.rows(
        f"select sum(case when {pk} is null then 1 else 0 end),"
        " sum(case when updated_at is null then 1 else 0 end),"
        " sum(case when deleted_at is not null then 1 else 0 end),"
        " sum(case when updated_at > ? then 1 else 0 end),"
        f" max(case when updated_at > ? then updated_at end) from {relation}",
        [now, now],
    )[0]
    future = int(future or 0)
    checks = [
        _check("PK nula na origem", int(nulls or 0), "0", _rate(nulls), pk),
        _check(
            "updated_at nulo na origem",
            int(null_updated or 0),
            "0",
            _rate(null_updated, attention=True),
            "linhas sem carimbo nao entram no watermark",
        ),
        _check(
            "updated_at no futuro na origem",
            future,
            "0",
            _rate(future, attention=True),
            (
                f"{future} linha(s) com updated_at depois de agora ({now:%Y-%m-%d %H:%M} UTC),"
                f" a maior {pd.Timestamp(future_max):%Y-%m-%d %H:%M:%S}: esperam atras do"
                " cutoff e nao carregam ate la"
                if future
                else f"nenhuma linha com updated_at depois de {now:%Y-%m-%d %H:%M} UTC"
            ),
            runbook.UPDATED_AT_FUTURO,
        ),
    ]
    if quality.status_side == "source":
        checks.append(_status_check(sess, relation, quality))
    return checks, int(deleted or 0)


def _target_checks(
    sess: Session,
    settings: Settings,
    entity: str,
    target: str,
    quality: EntityQuality,
    deleted: int | None,
) -> list[Check]:
    checks: list[Check] = []
    keys = [identifier(column) for column in NATURAL_KEYS.get(entity, ())]
    if keys:
        any_null = " or ".join(f"{key} is null" for key in keys)
        key_list = ", ".join(keys)
        null_keys = sess.scalar(f"select sum(case when {any_null} then 1 else 0 end) from {target}")
        duplicates = sess.scalar(
            f"select count(*) from (select {key_list} from {target}"
            f" group by {key_list} having count(*) > 1) as duplicated"
        )
        checks.append(
            _check(
                "Chave natural nula no destino",
                int(null_keys or 0),
                "0",
                _rate(null_keys),
                key_list,
            )
        )
        checks.append(
            _check(
                "Chave natural duplicada no destino",
                int(duplicates or 0),
                "0",
                _rate(duplicates),
                key_list,
            )
        )
    if quality.status_side == "target":
        checks.append(_status_check(sess, target, quality))
    flagged = int(
        sess.scalar(
            "select sum(case when _etl_source_deleted ="
            f" {true_literal(settings.target)} then 1 else 0 end) from {target}"
        )
        or 0
    )
    if deleted is not None:
        difference = abs(deleted - flagged)
        checks.append(
            _check(
                "Reconciliacao de soft delete",
                difference,
                "0",
                _rate(difference, attention=True),
                f"origem {deleted} excluidas, destino {flagged} marcadas",
            )
        )
    if quality.foreign_keys:
        fks = [identifier(column) for column in quality.foreign_keys]
        any_null = " or ".join(f"{fk} is null" for fk in fks)
        count = sess.scalar(f"select sum(case when {any_null} then 1 else 0 end) from {target}")
        checks.append(
            _check("FK obrigatoria nula (fato)", int(count or 0), "0", _rate(count), ", ".join(fks))
        )
    if quality.measures:
        measures = [identifier(column) for column in quality.measures]
        any_negative = " or ".join(f"{m} < 0" for m in measures)
        count = sess.scalar(f"select sum(case when {any_negative} then 1 else 0 end) from {target}")
        checks.append(
            _check("Medidas negativas", int(count or 0), "0", _rate(count), ", ".join(measures))
        )
    return checks


def _domain_checks(
    sess: Session,
    target: str,
    tests: list[dbt_artifacts.DomainTest],
    results: dict[str, dict[str, Any]],
) -> list[Check]:
    """One check per accepted_values test of the entity's model: the values outside the
    domain counted in the table now, rated by the test's last result (warn -> ATENCAO,
    fail / error -> ALERTA) or, before any result, by its severity."""
    checks: list[Check] = []
    for test in tests:
        column = identifier(test.column)
        markers = ", ".join("?" for _ in test.values)
        where = f" and ({test.where})" if test.where else ""
        found = sess.df(
            f"select {column} as valor, count(*) as linhas from {target}"
            f" where {column} is not null and {column} not in ({markers}){where}"
            f" group by {column} order by linhas desc, valor",
            list(test.values),
        )
        count = int(found["linhas"].sum()) if not found.empty else 0
        result = results.get(test.unique_id)
        status = str(result["status"]) if result else None
        if status == "pass" or (status is None and count == 0):
            rating = OK
        elif status == "warn" or (status is None and test.severity == "warn"):
            rating = ATENCAO
        else:
            rating = ALERTA
        shown = found.head(DOMAIN_VALUES_SHOWN)
        values = ", ".join(f"{row.valor} ({int(row.linhas)})" for row in shown.itertuples())
        if len(found) > DOMAIN_VALUES_SHOWN:
            values += f" e mais {len(found) - DOMAIN_VALUES_SHOWN}"
        last = f"teste dbt {test.name}: {status}" if status else f"teste dbt {test.name}"
        detail = f"fora do dominio: {values} | {last}" if count else f"todos no dominio | {last}"
        checks.append(
            _check(
                f"Dominio de {test.column}",
                count,
                f"0 (severidade {test.severity})",
                rating,
                detail,
                runbook.DOMINIO_DESCONHECIDO,
            )
        )
    return checks


def quality_checks(settings: Settings, entity: str) -> pd.DataFrame:
    """The quality checks of one entity, rated OK / ATENCAO / ALERTA."""
    now = utcnow()
    matrix = load_pipeline_matrix(settings)
    row = matrix[matrix["entity"] == entity]
    if row.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    item = row.iloc[0]
    quality = QUALITY.get(entity, EntityQuality())
    checks = _freshness_checks(item)
    last_run = item["last_run_id"]
    run_ids = (str(last_run),) if isinstance(last_run, str) and last_run else ()
    manifest = dbt_artifacts.manifest(settings, run_ids)
    tests = dbt_artifacts.domain_tests(manifest, entity)
    results = dbt_artifacts.latest_test_results(settings, run_ids) if tests else {}
    with session(settings) as sess:
        tables = sess.tables()
        source_table = str(item["source_table"])
        target_table = str(item["target_table"])
        deleted: int | None = None
        if source_table.lower() in sess.source_tables():
            relation = sess.source_relation(source_table)
            found, deleted = _source_checks(sess, entity, relation, quality, now)
            checks += found
        else:
            checks.append(_check("PK nula na origem", None, "0", ALERTA, "origem ausente"))
        if target_table.lower() in tables:
            schema, table = split_table(target_table)
            target = f"{schema}.{table}"
            checks += _target_checks(sess, settings, entity, target, quality, deleted)
            checks += _domain_checks(sess, target, tests, results)
        else:
            checks.append(_check("Tabela de destino", None, "existe", ALERTA, target_table))
    return pd.DataFrame(checks, columns=QUALITY_COLUMNS)


def _control_pk(sess: Session, entity: str) -> str:
    return str(
        sess.scalar("select source_pk_column from ctl.etl_control where entity_name = ?", [entity])
    )


def _status_check(sess: Session, relation: str, quality: EntityQuality) -> Check:
    column = identifier(quality.status_column)
    markers = ", ".join("?" for _ in quality.status_values)
    count = sess.scalar(
        f"select sum(case when {column} is null or {column} not in ({markers}) then 1 else 0 end)"
        f" from {relation}",
        list(quality.status_values),
    )
    return _check(
        "Status invalido",
        int(count or 0),
        "0",
        _rate(count, attention=True),
        f"{column} fora de: {', '.join(quality.status_values)}",
        runbook.DOMINIO_DESCONHECIDO,
    )


load_quality_checks = loader(QUALITY_COLUMNS)(quality_checks)

# --- quarantine, source sample, history -------------------------------------------------

QUARANTINE_SUMMARY_SQL = """
select reason, count(*) as linhas, min(quarantined_at) as primeira, max(quarantined_at) as ultima
from audit.etl_quarantine
where entity_name = ?
group by reason
order by linhas desc
"""

QUARANTINE_SAMPLE_SQL = """
select entity_name, natural_key, reason, source_updated_at, run_id, quarantined_at
from audit.etl_quarantine
where entity_name = ?
order by quarantined_at desc, natural_key
"""

ENTITY_RUNS_SQL = """
select entity_run.run_id, entity_run.status, entity_run.started_at, entity_run.finished_at,
    entity_run.extracted_count, entity_run.upserted_count, entity_run.quarantined_count,
    entity_run.tests_failed, entity_run.error_category
from audit.etl_run_entity as entity_run
where entity_run.entity_name = ? and entity_run.is_dry_run = ?
order by entity_run.started_at desc
"""

QUARANTINE_SUMMARY_COLUMNS = ["reason", "linhas", "primeira", "ultima"]
QUARANTINE_SAMPLE_COLUMNS = [
    "entity_name",
    "natural_key",
    "reason",
    "source_updated_at",
    "run_id",
    "quarantined_at",
]


def quarantine_summary(settings: Settings, entity: str) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_quarantine" not in sess.tables():
            return pd.DataFrame(columns=QUARANTINE_SUMMARY_COLUMNS)
        frame = sess.df(QUARANTINE_SUMMARY_SQL, [entity])
    frame["linhas"] = frame["linhas"].astype(int)
    return frame


load_quarantine_summary = loader(QUARANTINE_SUMMARY_COLUMNS)(quarantine_summary)


def quarantine_sample(settings: Settings, entity: str, limit: int = 50) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_quarantine" not in sess.tables():
            return pd.DataFrame(columns=QUARANTINE_SAMPLE_COLUMNS)
        return sess.df(QUARANTINE_SAMPLE_SQL, [entity], limit=limit)


load_quarantine_sample = loader(QUARANTINE_SAMPLE_COLUMNS)(quarantine_sample)


def source_sample(settings: Settings, entity: str, limit: int = 20) -> pd.DataFrame:
    """The most recently changed source rows of an entity (personal data columns left
    out, SPEC section 7)."""
    with session(settings) as sess:
        control = sess.df(
            "select source_table from ctl.etl_control where entity_name = ?", [entity]
        )
        if control.empty:
            return pd.DataFrame()
        source_table = str(control["source_table"].iloc[0])
        if source_table.lower() not in sess.source_tables():
            return pd.DataFrame()
        relation = sess.source_relation(source_table)
        # name the columns: the monitor's login may read only the non-personal ones
        keep = [c for c in sess.source_columns(source_table) if c not in PERSONAL_COLUMNS]
        if not keep:
            return pd.DataFrame()
        return sess.df(
            f"select {', '.join(keep)} from {relation} order by updated_at desc", limit=limit
        )


load_source_sample = loader([])(source_sample)

ENTITY_RUN_COLUMNS = [
    "run_id",
    "status",
    "started_at",
    "finished_at",
    "extracted_count",
    "upserted_count",
    "quarantined_count",
    "tests_failed",
    "error_category",
    "duracao_s",
]


def entity_runs(settings: Settings, entity: str, limit: int = 30) -> pd.DataFrame:
    with session(settings) as sess:
        if "audit.etl_run_entity" not in sess.tables():
            return pd.DataFrame(columns=ENTITY_RUN_COLUMNS)
        frame = sess.df(ENTITY_RUNS_SQL, [entity, False], limit=limit)
    frame["duracao_s"] = [
        seconds_between(start, end)
        for start, end in zip(frame["started_at"], frame["finished_at"], strict=True)
    ]
    return frame


load_entity_runs = loader(ENTITY_RUN_COLUMNS)(entity_runs)
