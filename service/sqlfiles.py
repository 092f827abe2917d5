"""SQL of the service: service/sql/*.sql (bound parameters) and *.sql.j2 (identifiers from the catalog only).

Values are always bound parameters; identifiers (schema, table, column names) come from the
lake's catalog and are quoted by `ident`; column types come from the lake itself and must look
like a DuckDB type name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

from catalogs.sqlfiles import ident

SQL_DIR = Path(__file__).with_name("sql")
_TYPE = re.compile(r"^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$")
_MACRO = re.compile(r"^cat_[a-z_]+$")


def macro(name: str) -> str:
    """A masking macro name of catalogs/sql/masking.sql (cat_*); refuses anything else."""
    if not _MACRO.match(name):
        raise ValueError(f"not a masking macro name: {name!r}")
    return name


def sql_type(name: str) -> str:
    """A DuckDB type name as the lake reports it (e.g. VARCHAR, DECIMAL(18,2)); refuses anything else."""
    if not _TYPE.match(name):
        raise ValueError(f"not a plain DuckDB type name: {name!r}")
    return name


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SQL_DIR)), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True)
    env.filters["ident"] = ident
    env.filters["sql_type"] = sql_type
    env.filters["macro"] = macro
    return env


@cache
def load(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def render(name: str, **ctx) -> str:
    return _env().get_template(name).render(**ctx)
