"""SQL of the service: service/sql/*.sql (bound parameters) and *.sql.j2 (identifiers from the catalog only).

Values are always bound parameters; identifiers (schema, table, column names) come from the
lake's catalog and are quoted by `ident`; column types come from the lake itself and must look
like a DuckDB type name.
"""

from __future__ import annotations

import re
from pathlib import Path

from citylake.core.sqlfiles import SqlDir

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


_SQL = SqlDir(SQL_DIR, filters={"sql_type": sql_type, "macro": macro})
load, render = _SQL.load, _SQL.render
