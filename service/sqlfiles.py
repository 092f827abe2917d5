"""SQL of the service: service/sql/*.sql (bound parameters) and *.sql.j2 (identifiers from the catalog only).

Values are always bound parameters; identifiers (schema, table, column names) come from the
lake's catalog and are quoted by `ident`; column types come from the lake itself and must look
like a DuckDB type name.
"""

from __future__ import annotations

import re
from pathlib import Path

from catalogs import rowfilter
from catalogs.rowfilter import sql_type
from citylake.core.sqlfiles import SqlDir

SQL_DIR = Path(__file__).with_name("sql")
_MACRO = re.compile(r"^cat_[a-z_]+$")


def macro(name: str) -> str:
    """A masking macro name of catalogs/sql/masking.sql (cat_*); refuses anything else."""
    if not _MACRO.match(name):
        raise ValueError(f"not a masking macro name: {name!r}")
    return name


__all__ = ["load", "macro", "render", "sql_type"]
# the filter clauses (_filters.sql.j2) are catalogs.rowfilter's, shared with the nightly share packages
_SQL = SqlDir(SQL_DIR, filters={"sql_type": sql_type, "macro": macro}, includes=(rowfilter.SQL_DIR,))
load, render = _SQL.load, _SQL.render
