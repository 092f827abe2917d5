"""SQL lives in catalogs/sql/*.sql (plain, bound parameters) or *.sql.j2 (Jinja, for identifiers).

Identifiers that come from the catalog (schema, table, column names) are quoted by the
`ident` filter; values are always bound parameters, never rendered into the text.
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
    """Quote a string literal (only for DDL-like places where DuckDB takes no parameters, e.g. COPY TO paths)."""
    return "'" + str(value).replace("'", "''") + "'"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SQL_DIR)), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True)
    env.filters["ident"] = ident
    env.filters["literal"] = literal
    return env


def load(name: str) -> str:
    """The text of catalogs/sql/<name>."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def render(name: str, **ctx) -> str:
    """Render catalogs/sql/<name> (a .sql.j2 template)."""
    return _env().get_template(name).render(**ctx)
