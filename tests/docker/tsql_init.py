"""Static check of the docker init's T-SQL (docker/sql/*.sql): would SQL Server accept it,
as far as we can tell without one.

A file is split into batches at `GO` lines, as sqlcmd does, and its sqlcmd scripting
variables `$(NAME)` are replaced by sample values first (the check also reports a
variable it has no value for). Then:

* a procedure batch (`create or alter procedure ... as begin ... end`) must parse with
  sqlglot's T-SQL reader into one CREATE PROCEDURE with no opaque Command inside, and its
  body must pass the project's T-SQL check (tests/targets/tsql_check.py) statement by
  statement;
* every other statement must pass that check, except the security statements that
  sqlglot 30 does not model (it keeps them as an opaque Command, or trips on the
  `SCHEMA::` scope qualifier): CREATE USER, ALTER ROLE ... ADD MEMBER, GRANT and DENY,
  ALTER AUTHORIZATION, CREATE SCHEMA ... AUTHORIZATION, CREATE / ALTER SERVER AUDIT
  [SPECIFICATION], ALTER DATABASE ... SET and BACKUP DATABASE. Each of those must match
  one of the narrow grammars below, written from SQL Server's documentation for exactly
  the forms the init uses, with allow-listed permissions, audit groups and options;
* `IF <condition> <statement>`: the condition is parsed by sqlglot (as the WHERE of a
  SELECT) and the statement is checked by these same rules;
* `EXEC('...')` and the T-SQL of an Agent job step (`sp_add_jobstep @command = N'...'`)
  are checked inside the string as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import TokenType

from tests.targets.tsql_check import TSQL, tsql_problems

# Sample values of the sqlcmd scripting variables the init passes (docker/scripts/init.sh
# exports them from the service's environment).
SQLCMD_VARIABLES = {
    "MSSQL_ETL_PASSWORD": "<etl_user password>",
    "MSSQL_MONITOR_PASSWORD": "<etl_monitor password>",
    "MSSQL_BI_PASSWORD": "<bi_reader password>",
    "MSSQL_BACKUP_PASSWORD": "<etl_backup password>",
    "CONNECTION_AUDIT_RETENTION_DAYS": "30",
    # docker/scripts/backup.sh, for docker/sql/backup_database.sql
    "BACKUP_DATABASE": "DW_ECOMMERCE",
    "BACKUP_FILE": "/var/opt/mssql/backup/DW_ECOMMERCE_20260101T000000Z.bak",
}

_NAME = r"(?:\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_]*)"
_QUALIFIED = rf"{_NAME}(?:\.{_NAME})?"
_OBJECT_PERMISSIONS = (
    r"(?:SELECT|INSERT|UPDATE|DELETE|EXECUTE|REFERENCES|ALTER|CONTROL|VIEW DEFINITION)"
)
_STATEMENT_PERMISSIONS = (
    r"(?:CREATE (?:TABLE|VIEW|PROCEDURE|FUNCTION|SCHEMA)|VIEW SERVER (?:PERFORMANCE )?STATE)"
)
_AUDIT_GROUPS = r"(?:FAILED_LOGIN_GROUP|SUCCESSFUL_LOGIN_GROUP|LOGOUT_GROUP)"
_ON_OFF = r"(?:ON|OFF)"
_FILE_OPTION = (
    r"(?:FILEPATH = N?'[^']+'|MAXSIZE = (?:\d+ (?:MB|GB|TB)|UNLIMITED)"
    r"|MAX_ROLLOVER_FILES = (?:\d+|UNLIMITED)|MAX_FILES = \d+"
    rf"|RESERVE_DISK_SPACE = {_ON_OFF})"
)
_BACKUP_OPTION = r"(?:COPY_ONLY|COMPRESSION|CHECKSUM|INIT|FORMAT|STATS = \d+)"
_AUDIT_OPTION = (
    rf"(?:QUEUE_DELAY = \d+|ON_FAILURE = (?:CONTINUE|SHUTDOWN|FAIL_OPERATION)|STATE = {_ON_OFF})"
)

# The security statements sqlglot 30 does not model, each in the one form the init uses.
SECURITY_GRAMMARS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "create user": rf"CREATE USER {_NAME} FOR LOGIN {_NAME}",
        "add role member": rf"ALTER ROLE {_NAME} ADD MEMBER {_NAME}",
        "grant on scope": (
            rf"GRANT {_OBJECT_PERMISSIONS}(?:, {_OBJECT_PERMISSIONS})*"
            rf" ON (?:SCHEMA::{_NAME}|OBJECT::{_QUALIFIED}) TO {_NAME}"
        ),
        "grant statement permission": (
            rf"GRANT {_STATEMENT_PERMISSIONS}(?:, {_STATEMENT_PERMISSIONS})* TO {_NAME}"
        ),
        "deny columns": (
            rf"DENY {_OBJECT_PERMISSIONS} ON OBJECT::{_QUALIFIED}"
            rf" \({_NAME}(?:, {_NAME})*\) TO {_NAME}"
        ),
        "schema owner": rf"ALTER AUTHORIZATION ON SCHEMA::{_NAME} TO {_NAME}",
        "create schema": rf"CREATE SCHEMA {_NAME}(?: AUTHORIZATION {_NAME})?",
        "create server audit": (
            rf"CREATE SERVER AUDIT {_NAME} TO FILE \({_FILE_OPTION}(?:, {_FILE_OPTION})*\)"
            rf"(?: WITH \({_AUDIT_OPTION}(?:, {_AUDIT_OPTION})*\))?"
        ),
        "create server audit specification": (
            rf"CREATE SERVER AUDIT SPECIFICATION {_NAME} FOR SERVER AUDIT {_NAME}"
            rf" ADD \({_AUDIT_GROUPS}\)(?:, ADD \({_AUDIT_GROUPS}\))*"
            rf"(?: WITH \(STATE = {_ON_OFF}\))?"
        ),
        "server audit state": (
            rf"ALTER SERVER AUDIT(?: SPECIFICATION)? {_NAME} WITH \(STATE = {_ON_OFF}\)"
        ),
        "backup": (
            rf"BACKUP DATABASE {_NAME} TO DISK = N?'[^']+'"
            rf" WITH {_BACKUP_OPTION}(?:, {_BACKUP_OPTION})*"
        ),
        "database option": (
            rf"ALTER DATABASE {_NAME} SET READ_COMMITTED_SNAPSHOT {_ON_OFF}"
            r"(?: WITH ROLLBACK IMMEDIATE)?"
        ),
    }.items()
}

_GO = re.compile(r"^\s*GO\s*$", re.IGNORECASE | re.MULTILINE)
_VARIABLE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
_EXEC_LITERAL = re.compile(
    r"^EXEC(?:UTE)?\s*\(\s*N?'((?:[^']|'')*)'\s*\)$", re.IGNORECASE | re.DOTALL
)
_JOB_COMMAND = re.compile(r"@command\s*=\s*N?'((?:[^']|'')*)'", re.IGNORECASE)
_PROCEDURE = re.compile(r"^\s*create\s+(?:or\s+alter\s+)?procedure\b", re.IGNORECASE)
_STATEMENT_START = {"CREATE", "ALTER", "GRANT", "DENY", "EXEC", "EXECUTE", "DROP", "INSERT"}


@dataclass(frozen=True)
class Finding:
    origin: str
    statement: str
    message: str

    def __str__(self) -> str:
        return f"[{self.origin}] {self.message}\n    {self.statement.strip()[:600]}"


def substitute_variables(text: str, origin: str) -> tuple[str, list[Finding]]:
    findings = [
        Finding(origin, match.group(0), f"sqlcmd variable {match.group(1)} has no sample value")
        for match in _VARIABLE.finditer(text)
        if match.group(1) not in SQLCMD_VARIABLES
    ]
    return _VARIABLE.sub(lambda m: SQLCMD_VARIABLES.get(m.group(1), "x"), text), findings


def batches(text: str) -> list[str]:
    """The batches of a sqlcmd script (split at GO lines), comments-only ones left out."""
    parts = _GO.split(text)
    return [
        part.strip()
        for part in parts
        if any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())
    ]


def statements(batch: str) -> list[str]:
    """The statements of a batch, split at top-level semicolons (sqlglot's tokens: a ';'
    inside a string literal is part of the string)."""
    tokens = TSQL.tokenize(batch)
    found: list[str] = []
    start = None
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                found.append(batch[start : token.start])
            start = None
        elif start is None:
            start = token.start
    if start is not None:
        found.append(batch[start:])
    return [statement.strip() for statement in found if statement.strip()]


def _normalise(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement.strip())
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+\)", ")", text)


def _split_if(statement: str) -> tuple[str, str] | None:
    """`IF <condition> <statement>` -> (condition, statement); None when not an IF."""
    tokens = TSQL.tokenize(statement)
    if not tokens or tokens[0].text.upper() != "IF":
        return None
    depth = 0
    for token in tokens[1:]:
        depth += token.token_type == TokenType.L_PAREN
        depth -= token.token_type == TokenType.R_PAREN
        if depth == 0 and token.text.upper() in _STATEMENT_START:
            condition = statement[tokens[0].end + 1 : token.start]
            return condition.strip(), statement[token.start :].strip()
    return None


def statement_findings(statement: str, origin: str) -> list[Finding]:
    """Why SQL Server would reject one statement, as far as this check can see."""
    split = _split_if(statement)
    if split is not None:
        condition, body = split
        findings = [
            Finding(origin, statement, f"IF condition: {problem.message}")
            for problem in tsql_problems(f"SELECT 1 WHERE {condition}", origin)
        ]
        return findings + statement_findings(body, origin)
    literal = _EXEC_LITERAL.match(statement.strip())
    if literal:
        inner = literal.group(1).replace("''", "'")
        return [
            Finding(f"{origin}: inside EXEC('...')", finding.statement, finding.message)
            for finding in statement_findings(inner, origin)
        ]
    normalised = _normalise(statement)
    if any(grammar.fullmatch(normalised) for grammar in SECURITY_GRAMMARS.values()):
        return []
    findings = [
        Finding(origin, problem.statement, problem.message)
        for problem in tsql_problems(statement, origin)
    ]
    for command in _JOB_COMMAND.findall(statement):
        for inner in statements(command.replace("''", "'")):
            findings += [
                Finding(f"{origin}: Agent job step", finding.statement, finding.message)
                for finding in statement_findings(inner, origin)
            ]
    return findings


def procedure_findings(batch: str, origin: str) -> list[Finding]:
    try:
        tree = sqlglot.parse_one(batch, read="tsql", error_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        return [Finding(origin, batch, f"sqlglot (tsql) cannot parse the procedure: {error}")]
    if not (isinstance(tree, exp.Create) and tree.kind == "PROCEDURE"):
        return [Finding(origin, batch, "not one CREATE PROCEDURE")]
    if list(tree.find_all(exp.Command)):
        return [Finding(origin, batch, "sqlglot (tsql) keeps part of the procedure opaque")]
    body = re.split(r"\n\s*begin\s*\n", batch, maxsplit=1, flags=re.IGNORECASE)
    if len(body) != 2:
        return [Finding(origin, batch, "procedure body is not a begin ... end block")]
    inner = re.sub(r"\n\s*end\s*$", "", body[1].rstrip(), flags=re.IGNORECASE)
    findings: list[Finding] = []
    for statement in statements(inner):
        findings += statement_findings(statement, f"{origin}: procedure body")
    return findings


def file_findings(path: Path) -> list[Finding]:
    """Everything the check finds wrong in one init script."""
    text, findings = substitute_variables(path.read_text(encoding="utf-8"), path.name)
    for number, batch in enumerate(batches(text), start=1):
        origin = f"{path.name} batch {number}"
        if _PROCEDURE.match(batch):
            findings += procedure_findings(batch, origin)
            continue
        for statement in statements(batch):
            findings += statement_findings(statement, origin)
    return findings
