from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from citylake.core.db import connect
from standards.macros import install_macros


@pytest.fixture(scope="session")
def conn() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection as the platform opens it (extensions + standards macros), no lake."""
    c = connect(lake=False)
    install_macros(c)
    yield c
    c.close()


@pytest.fixture(scope="session")
def sql_map(conn: duckdb.DuckDBPyConnection) -> Callable[[str, list], list]:
    """Apply a one-argument macro to each value in one query; results in input order."""

    def apply(macro: str, values: list) -> list:
        rows = conn.execute(
            f"SELECT i, {macro}(s) FROM unnest($1) WITH ORDINALITY AS t(s, i) ORDER BY i",
            [list(values)]).fetchall()
        return [r[1] for r in rows]

    return apply
