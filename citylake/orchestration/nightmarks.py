"""Which DuckLake snapshot ends which night.

One night writes hundreds of snapshots (each dbt model, gate result, catalog row). At the end of
the night the publish step records the night and its last snapshot in `catalog.nights`, in a
commit labelled `citylake` / `night YYYY-MM-DD: end of the nightly batch` (DuckLake's commit
author and message, seen in `lake.snapshots()`). `citylake sql --night D` reads the lake as of it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from citylake.core.db import connect
from citylake.core.errors import UserError
from citylake.core.paths import Home

_SQL = Path(__file__).parent / "sql"
AUTHOR = "citylake"


def _sql(name: str) -> str:
    return (_SQL / name).read_text(encoding="utf-8")


def commit_message(night: str) -> str:
    return f"night {night}: end of the nightly batch"


def mark_night_end(night: str, *, h: Home) -> int:
    """Record that night `night` ends at the lake's current snapshot; returns that snapshot id."""
    conn = connect(h=h)
    try:
        snapshot = conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
        conn.execute("create schema if not exists lake.catalog")
        conn.execute(_sql("nights_ddl.sql"))
        conn.execute("begin")
        conn.execute("call lake.set_commit_message(?, ?)", [AUTHOR, commit_message(night)])
        conn.execute(_sql("night_mark.sql"), {"night": night, "snapshot": snapshot})
        conn.execute("commit")
        return snapshot
    finally:
        conn.close()


def marked_nights(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The nights with an end mark, oldest first (none before the first marked night)."""
    try:
        rows = conn.execute("select distinct night::varchar from lake.catalog.nights order by 1").fetchall()
    except duckdb.CatalogException:
        return []
    return [r[0] for r in rows]


def night_snapshot(conn: duckdb.DuckDBPyConnection, night: str) -> int:
    """The last snapshot of `night`; UserError listing the marked nights if it has none."""
    nights = marked_nights(conn)
    if night not in nights:
        known = ", ".join(nights) if nights else "none yet (nights are marked when their publish step ends)"
        raise UserError(f"no night {night} in this lake; nights: {known}")
    return conn.execute(_sql("night_snapshot.sql"), {"night": night}).fetchone()[0]
