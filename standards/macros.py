"""Install the standards' DuckDB SQL macros (placeholder until the standards issue lands)."""

from pathlib import Path

import duckdb

MACRO_FILE = Path(__file__).with_name("macros.sql")


def install_macros(conn: duckdb.DuckDBPyConnection) -> None:
    if MACRO_FILE.exists():
        conn.execute(MACRO_FILE.read_text(encoding="utf-8"))
