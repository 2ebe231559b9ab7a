"""The error taxonomy: a dbt (or driver) failure message -> category, reason and action.

The rules are a table of regular expressions over the messages DuckDB, PostgreSQL and
SQL Server (through dbt and its drivers) actually produce. The first matching rule wins,
so the specific rules (constraints, permissions, authentication) come before the broad
ones (connection, timeout). Reasons and actions are in Portuguese, as the operators read
them (monitor, runbook: one section per category in docs/runbook.md).

The orchestrator classifies each failure when it writes the audit; the monitor shows the
reason and action of each category and classifies failed connection events itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorClass:
    """Where a failure belongs, why it likely happened and what to do about it."""

    category: str
    reason: str
    action: str


@dataclass(frozen=True)
class _Rule:
    category: str
    pattern: re.Pattern[str]
    reason: str
    action: str


def _rule(category: str, patterns: list[str], reason: str, action: str) -> _Rule:
    return _Rule(category, re.compile("|".join(patterns), re.IGNORECASE), reason, action)


RULES: tuple[_Rule, ...] = (
    _rule(
        "config_controle",
        [
            r"is invalid for entity",
            r"etl_control",
            r"\betl_(batch_size|cutoff_minutes|max_batches)\b",
            r"batch_size .*check constraint|cutoff_minutes .*check constraint",
        ],
        "Configuracao de controle invalida (ctl.etl_control ou parametros da execucao).",
        "Revise batch_size, cutoff_minutes e max_batches (CLI ou meta.etl do modelo) e a "
        "linha da entidade em ctl.etl_control.",
    ),
    _rule(
        "deadlock",
        [r"deadlock", r"was deadlocked on lock", r"\b1205\b.*deadlock"],
        "Deadlock: a transacao foi escolhida como vitima de um bloqueio circular.",
        "Reexecute a entidade; se repetir, verifique cargas ou consultas concorrentes.",
    ),
    _rule(
        "constraint_unique",
        [
            r"duplicate key",
            r"unique constraint",
            r"violates unique",
            r"violation of (primary|unique) key",
            r"cannot insert duplicate key",
            r"primary key constraint",
            r"duplicate row detected",
            r"merge statement attempted to update or delete the same row",
        ],
        "Violacao de chave unica/primaria: ha linhas duplicadas para a mesma chave.",
        "Procure duplicatas na origem para a chave natural da entidade e corrija-as "
        "(ou coloque-as em quarentena) antes de recarregar.",
    ),
    _rule(
        "constraint_fk",
        [r"foreign key", r"violates foreign key", r"reference constraint"],
        "Violacao de chave estrangeira: a linha referencia um registro inexistente.",
        "Carregue antes a dimensao/tabela referenciada ou corrija a referencia na origem.",
    ),
    _rule(
        "constraint_check",
        [
            r"violates check constraint",
            r"check constraint",
            r"violates not-null constraint",
            r"not null constraint",
            r"cannot insert the value null",
            r"constraint error",
        ],
        "Violacao de restricao (CHECK / NOT NULL): um valor fora da regra da tabela.",
        "Identifique a coluna na mensagem, corrija o dado na origem ou a regra do modelo.",
    ),
    _rule(
        "autenticacao",
        [
            r"password authentication failed",
            r"login failed",
            r"authentication failed",
            r"no password supplied",
            r"invalid authorization specification",
            r"role .* does not exist",
            r"\b18456\b",
        ],
        "Falha de autenticacao: usuario ou senha recusados pelo servidor.",
        "Confira ETL_*_USER / ETL_*_PASSWORD no ambiente e se o login existe e esta ativo.",
    ),
    _rule(
        "permissao",
        [
            r"permission denied",
            r"permission was denied",
            r"insufficient privilege",
            r"must be owner of",
            r"access denied",
            r"read-only",
            r"cannot write to a read[- ]only",
            r"\b229\b.*permission",
        ],
        "Permissao insuficiente para o usuario da carga.",
        "Conceda ao login de ETL os GRANTs necessarios (escrita em dim/fact/ctl/audit, "
        "leitura da origem).",
    ),
    _rule(
        "conversao",
        [
            r"explicit type casts?",
            r"no function matches the given name and argument types",
            r"operator does not exist",
            r"implicit conversion from data type .* is not allowed",
            r"operand type clash",
        ],
        "Tipo inesperado: uma coluna da origem chegou com outro tipo (ex.: texto no lugar "
        "de data) e a expressao nao se aplica a ele.",
        "Confira o tipo da coluna na origem (DDL) e o cast no staging; corrija a origem ou "
        "converta explicitamente.",
    ),
    _rule(
        "objeto_ausente",
        [
            r"catalog error: (table|view|schema|column) with name .* does not exist",
            r"catalog error: .* does not exist",
            r"relation \"?[\w.\"]+\"? does not exist",
            r"(table|schema|column|function) \"?[\w.\"]+\"? does not exist",
            r"invalid object name",
            r"invalid column name",
            r"does not exist",
            r"no such table",
            r"could not find (source|model|node)",
            r"database .* not found",
            r"cannot open database",
        ],
        "Objeto ausente: tabela, view, schema ou coluna nao existe no banco.",
        "Verifique se a origem foi criada/carregada e se o schema esperado existe; rode o "
        "pre-flight do monitor.",
    ),
    _rule(
        "conversao",
        [
            r"conversion error",
            r"could not convert",
            r"invalid input syntax for type",
            r"conversion failed",
            r"error converting data type",
            r"out of range",
            r"numeric value out of range",
            r"invalid (date|timestamp|time) ",
            r"date/time field value out of range",
            r"arithmetic overflow",
            r"string or binary data would be truncated",
            r"value too long for type",
            r"invalid cast",
        ],
        "Erro de conversao de tipo: um valor da origem nao cabe no tipo esperado.",
        "Localize a linha/coluna na mensagem, corrija o dado na origem ou trate-o no "
        "staging (cast seguro ou quarentena).",
    ),
    _rule(
        "driver",
        [
            r"can't open lib",
            r"data source name not found",
            r"odbc driver",
            r"\bIM002\b",
            r"\b01000\b.*driver",
            r"no module named",
            r"libodbc",
            r"could not load library",
        ],
        "Driver de banco ausente ou mal configurado.",
        "Instale o driver (ex.: ODBC Driver 18 for SQL Server) e confira ETL_SQL_DRIVER.",
    ),
    _rule(
        "timeout",
        [
            r"timeout",
            r"timed out",
            r"canceling statement due to statement timeout",
            r"query timeout expired",
            r"lock timeout",
            r"could not set lock on file",
        ],
        "Tempo esgotado: a operacao ou a espera por bloqueio excedeu o limite.",
        "Reexecute; se repetir, verifique bloqueios e carga do servidor ou aumente o timeout.",
    ),
    _rule(
        "conexao",
        [
            r"could not connect",
            r"connection refused",
            r"connection to server .* failed",
            r"server closed the connection",
            r"could not translate host name",
            r"no route to host",
            r"network-related",
            r"tcp provider",
            r"communication link failure",
            r"connection (reset|lost|closed)",
            r"unable to (open|connect)",
            r"io error: cannot open file",
            r"failed to open database",
        ],
        "Falha de conexao com o banco (servidor fora do ar, porta ou host errados).",
        "Confira se o servidor esta no ar e ETL_*_HOST/ETL_*_PORT; teste a conexao pelo "
        "pre-flight do monitor.",
    ),
)

OTHER = ErrorClass(
    "outros",
    "Erro nao classificado.",
    "Leia a mensagem completa no log do dbt (logs/dbt.log e run_results.json) e "
    "consulte o runbook.",
)


def classify(message: str | None) -> ErrorClass:
    """The category of a failure message (the first rule that matches), else 'outros'."""
    text = message or ""
    for rule in RULES:
        if rule.pattern.search(text):
            return ErrorClass(rule.category, rule.reason, rule.action)
    return OTHER


CATEGORIES: tuple[str, ...] = tuple(
    dict.fromkeys([*(rule.category for rule in RULES), OTHER.category])
)


def describe(category: str | None) -> ErrorClass | None:
    """Reason and action of a category (the first rule of that category), None if unknown."""
    if not isinstance(category, str) or not category:
        return None
    if category == OTHER.category:
        return OTHER
    for rule in RULES:
        if rule.category == category:
            return ErrorClass(rule.category, rule.reason, rule.action)
    return None


def reason(category: str | None) -> str:
    """Why a failure of this category likely happened ("" for none or an unknown one)."""
    found = describe(category)
    return found.reason if found else ""


def action(category: str | None) -> str:
    """What to do about a failure of this category ("" for none or an unknown one)."""
    found = describe(category)
    return found.action if found else ""
