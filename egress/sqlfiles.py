"""SQL of the exit lives in egress/sql/*.sql (plain) or *.sql.j2 (Jinja, for identifiers and file paths).

Identifiers are quoted by the `ident` filter; file paths, which DuckDB's table functions take
only as literals, by `literal`. Values are bound parameters.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

SQL_DIR = Path(__file__).with_name("sql")


def ident(name: str) -> str:
    """Quote an SQL identifier (double quotes, embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value: str) -> str:
    """Quote a string literal (file paths of table functions)."""
    return "'" + str(value).replace("'", "''") + "'"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SQL_DIR)), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True)
    env.filters["ident"] = ident
    env.filters["literal"] = literal
    return env


def load(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def render(name: str, **ctx) -> str:
    return _env().get_template(name).render(**ctx)
