"""Static T-SQL check of SQL text: does SQL Server accept it, as far as we can tell here.

Two layers, both reported the same way (origin, statement, message):

1. sqlglot's T-SQL reader (``read="tsql"``, ``ErrorLevel.RAISE``) must parse every
   statement into a real expression. A statement sqlglot only keeps as an opaque
   ``Command`` (its "unsupported syntax" fallback) is a failure too: otherwise anything
   it does not understand would pass unseen.
2. sqlglot's reader is deliberately lenient: it accepts other dialects' syntax and
   transpiles it (``x::int``, ``a || b``, ``limit 1``, ``true``...). SQL Server rejects
   all of these, so they are reported from the tokens and the parsed tree
   (``FOREIGN_TOKENS``, ``_foreign_constructs``).

Valid T-SQL that sqlglot 30 does not model is handled narrowly, not skipped:

* ``BEGIN TRY`` / ``END TRY`` / ``BEGIN CATCH`` / ``END CATCH`` (dbt-sqlserver's
  ``create_schema`` batch): these keywords are treated as statement boundaries, so
  the statements inside the blocks are still parsed one by one;
* ``THROW`` on its own (re-raise inside a CATCH block) is accepted as a statement;
* ``WAITFOR DELAY 'hh:mm:ss[.mmm]'`` (the pause between polls of the warehouse lock) is
  accepted as a statement when its time literal is well-formed;
* ``EXEC('...')`` (how dbt-sqlserver runs DDL, e.g. ``create view``): the statement
  parses, and the SQL inside the string literal is checked as well.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import Token, TokenType

TSQL = sqlglot.Dialect.get_or_raise("tsql")

# Tokens sqlglot's T-SQL tokenizer recognises (to transpile them) that SQL Server rejects.
FOREIGN_TOKENS: dict[TokenType, str] = {
    TokenType.DCOLON: "'::' cast is PostgreSQL/DuckDB syntax; T-SQL needs cast(x as type)",
    TokenType.DPIPE: "'||' is not string concatenation in T-SQL; use + or concat()",
    TokenType.TRUE: "T-SQL has no boolean literal true; use 1 (bit)",
    TokenType.FALSE: "T-SQL has no boolean literal false; use 0 (bit)",
    TokenType.LIMIT: "T-SQL has no LIMIT; use TOP or OFFSET ... FETCH",
    TokenType.ILIKE: "T-SQL has no ILIKE; use LIKE (collation decides case)",
    TokenType.QUALIFY: "T-SQL has no QUALIFY; filter the window function in a subquery",
    TokenType.BOOLEAN: "T-SQL has no boolean type; use bit",
}

_BLOCK_KEYWORD = re.compile(r"(TRY|CATCH)\b", re.IGNORECASE)
_WAITFOR_DELAY = re.compile(r"\s*waitfor\s+delay\s+'\d{2}:[0-5]\d:[0-5]\d(\.\d{1,3})?'\s*", re.I)
_EXEC_STRING = re.compile(r"\bexec(?:ute)?\s*\(\s*N?'((?:[^']|'')*)'\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    origin: str  # model name, hook, or "<node>: SQL sent to the connection"
    statement: str
    message: str

    def __str__(self) -> str:
        statement = self.statement.strip()
        if len(statement) > 1500:
            statement = statement[:1500] + " ..."
        return f"[{self.origin}] {self.message}\n    {statement.replace(chr(10), chr(10) + '    ')}"


def tsql_problems(sql: str, origin: str) -> list[Problem]:
    """Every reason SQL Server would reject `sql` that this check can see."""
    try:
        statements = _split_statements(sql)
    except SqlglotError as error:
        return [Problem(origin, sql, f"sqlglot cannot tokenize this as T-SQL: {error}")]
    problems: list[Problem] = []
    for text in statements:
        problems.extend(_statement_problems(text, origin))
    return problems


def _split_statements(sql: str) -> list[str]:
    """Statements of a batch: split at ';' and at BEGIN/END TRY/CATCH."""
    tokens = TSQL.tokenize(sql)
    statements: list[str] = []
    current: list[Token] = []

    def flush() -> None:
        if current:
            statements.append(sql[current[0].start : current[-1].end + 1])
            current.clear()

    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        block = _BLOCK_KEYWORD.match(following)
        if token.token_type == TokenType.SEMICOLON:
            flush()
        elif token.token_type == TokenType.BEGIN and block and block.end() == len(following):
            flush()
            i += 1
        elif token.token_type == TokenType.END and block:
            # sqlglot tokenizes END at a statement start as a command swallowing the rest
            # of the batch up to ';' into one string token: resume after END TRY/CATCH.
            flush()
            rest = sql[token.end + 1 :].lstrip()
            return [*statements, *_split_statements(rest[block.end() :])]
        else:
            current.append(token)
        i += 1
    flush()
    return statements


def _statement_problems(text: str, origin: str) -> list[Problem]:
    tokens = TSQL.tokenize(text)
    if [t.text.upper() for t in tokens] == ["THROW"]:
        return []  # re-raise inside a CATCH block: valid T-SQL sqlglot reads as a column
    if _WAITFOR_DELAY.fullmatch(text):
        return []  # valid T-SQL sqlglot 30 does not parse
    problems = [Problem(origin, text, message) for message in _foreign_tokens(tokens)]
    try:
        parsed = sqlglot.parse(
            _begin_end_around_if_exec(text, tokens), read="tsql", error_level=ErrorLevel.RAISE
        )
    except SqlglotError as error:
        return [*problems, Problem(origin, text, f"sqlglot (tsql) cannot parse: {error}")]
    for tree in parsed:
        if tree is None:
            continue
        if any(isinstance(node, exp.Command) for node in tree.walk()):
            problems.append(
                Problem(origin, text, "sqlglot (tsql) does not understand this statement")
            )
        elif not isinstance(tree, STATEMENT_TYPES):
            problems.append(
                Problem(origin, text, f"not a statement: parses as a bare {type(tree).__name__}")
            )
        problems.extend(Problem(origin, text, message) for message in _foreign_constructs(tree))
    for inner in _EXEC_STRING.findall(text):
        problems.extend(tsql_problems(inner.replace("''", "'"), f"{origin}: inside EXEC('...')"))
    return problems


STATEMENT_TYPES = (
    exp.Query,
    exp.DML,
    exp.DDL,
    exp.Use,
    exp.Declare,
    exp.Set,
    exp.Execute,
    exp.IfBlock,
    exp.WhileBlock,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
)


def _begin_end_around_if_exec(text: str, tokens: list[Token]) -> str:
    """`IF cond EXEC proc @a = 1, @b = 2` -> `IF cond BEGIN EXEC ... END`.

    Equivalent T-SQL (a one-statement IF body). sqlglot 30 parses the EXEC's comma
    separated arguments only inside BEGIN ... END; dbt-sqlserver's create_schema batch
    ends with such an IF (releasing its applock).
    """
    if not tokens or tokens[0].text.upper() != "IF":
        return text
    depth = 0
    for previous, token in itertools.pairwise(tokens):
        depth += token.token_type == TokenType.L_PAREN
        depth -= token.token_type == TokenType.R_PAREN
        if depth == 0 and token.token_type == TokenType.EXECUTE:
            if previous.token_type == TokenType.BEGIN:
                return text
            return f"{text[: token.start]}BEGIN {text[token.start :]} END"
    return text


def _foreign_tokens(tokens: list[Token]) -> list[str]:
    messages = [FOREIGN_TOKENS[t.token_type] for t in tokens if t.token_type in FOREIGN_TOKENS]
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        word = token.text.upper()
        if token.token_type == TokenType.ROWVERSION and word == "TIMESTAMP":
            messages.append("'timestamp' in T-SQL is rowversion, not a date-time; use datetime2")
        elif following is None or token.token_type == TokenType.STRING:
            continue
        elif word == "NULLS" and following.text.upper() in {"FIRST", "LAST"}:
            messages.append(f"T-SQL has no NULLS {following.text.upper()} in ORDER BY")
        elif word == "EXTRACT" and following.token_type == TokenType.L_PAREN:
            # sqlglot reads T-SQL's datepart() into the same Extract node, so by token
            messages.append("T-SQL has no EXTRACT(); use datepart()")
    return messages


def _foreign_constructs(tree: exp.Expression) -> list[str]:
    messages: list[str] = []
    for node in tree.walk():
        if isinstance(node, exp.Interval):
            messages.append("T-SQL has no INTERVAL; use dateadd()")
        elif isinstance(node, exp.Create) and node.args.get("exists"):
            messages.append("T-SQL has no CREATE ... IF NOT EXISTS; test object_id() first")
        elif isinstance(node, exp.Select):
            for projection in node.expressions:
                value = projection.unalias()
                if isinstance(value, (exp.Predicate, exp.Connector, exp.Not)):
                    messages.append(
                        f"predicate selected as a value ({value.sql('tsql')[:80]}): T-SQL has "
                        "no boolean values; use cast(case when ... then 1 else 0 end as bit)"
                    )
    return messages
