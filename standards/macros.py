"""Install the standards' DuckDB SQL macros (`cl_*`) on a connection.

``install_macros(conn)`` does two things, in well under 0.3 s:

1. loads the code sets into the temp table ``temp.main.cl_codes`` (codeset, code,
   name_zh, parent) and the ID-number division codes into
   ``temp.main.cl_ric_divisions`` (``standards/lookups.sql``), and
2. runs ``standards/macros.sql`` (``CREATE OR REPLACE TEMP MACRO ...``).

Macros and lookups are TEMP objects: DuckDB always searches the ``temp`` catalog,
so they keep working after ``ATTACH ... AS lake; USE lake`` (a macro created in
the default ``memory`` catalog would not be found any more). Views that call the
macros need them installed on the reading connection, which
``citylake.core.db.connect`` and the dbt plugin do.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

HERE = Path(__file__).parent
MACRO_FILE = HERE / "macros.sql"
LOOKUPS_FILE = HERE / "lookups.sql"
CODESETS_GLOB = str(HERE / "codesets" / "*.csv")
RIC_DIVISIONS_SQL = (
    "CREATE OR REPLACE TEMP TABLE cl_ric_divisions AS "
    "SELECT DISTINCT code FROM temp.main.cl_codes WHERE codeset = 'ric_divisions'"
)


def sql_literal(text: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def macros_script() -> str:
    """The SQL that loads the lookups and creates every ``cl_*`` macro (for any DuckDB client)."""
    lookups = LOOKUPS_FILE.read_text(encoding="utf-8").replace("{codesets_glob}", sql_literal(CODESETS_GLOB))
    return f"{lookups.rstrip().rstrip(';')};\n{RIC_DIVISIONS_SQL};\n{MACRO_FILE.read_text(encoding='utf-8')}"


def install_macros(conn: duckdb.DuckDBPyConnection) -> None:
    """Load the lookup tables and create every ``cl_*`` macro on ``conn`` (idempotent)."""
    conn.execute(macros_script())


def macro_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the installed cl_ macros (public ones, without the cl__ helpers)."""
    rows = conn.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() "
        "WHERE function_name LIKE 'cl\\_%' ESCAPE '\\' AND function_name NOT LIKE 'cl\\_\\_%' ESCAPE '\\' "
        "ORDER BY 1").fetchall()
    return [r[0] for r in rows]
