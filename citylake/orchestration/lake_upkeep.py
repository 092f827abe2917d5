"""The lake's upkeep (`citylake lake maintain`): keep the lake's snapshot history to a policy.

One night writes 150-255 DuckLake snapshots (each model, gate result, catalog row). Maintenance
expires the snapshots older than the last N nights, except each night's end mark (catalog.nights,
citylake/orchestration/nightmarks.py — `citylake sql --night D` keeps working for every night), then merges
adjacent small data files and deletes the files no snapshot references any more. Run it between
nights: files are deleted at once (a query still reading an expired snapshot would fail).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from citylake.core.db import connect
from citylake.core.errors import UserError
from citylake.core.paths import Home
from citylake.orchestration.nightmarks import marked_nights

_SQL = Path(__file__).parent / "sql"


def _sql(name: str) -> str:
    return (_SQL / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Maintained:
    kept_nights: list[str]
    expired: int
    snapshots_left: int
    files_deleted: int


def expirable(conn: duckdb.DuckDBPyConnection, keep_nights: int) -> tuple[list[str], list[int]]:
    """(the nights kept whole, the snapshots to expire): everything before the last `keep_nights`
    marked nights except the night marks themselves; nothing while the lake has no more nights."""
    ends = conn.execute(_sql("night_ends.sql")).fetchall() if marked_nights(conn) else []
    if len(ends) <= keep_nights:
        return [night for night, _ in ends], []
    cut = ends[-keep_nights - 1][1]
    versions = [r[0] for r in conn.execute(_sql("expirable_snapshots.sql"), {"cut": cut}).fetchall()]
    return [night for night, _ in ends[-keep_nights:]], versions


def maintain(h: Home, keep_nights: int) -> Maintained:
    """Expire the snapshots older than the last `keep_nights` nights (night marks kept), merge
    adjacent files, delete the files no snapshot needs."""
    if keep_nights < 1:
        raise UserError(f"--keep-nights {keep_nights}: keep at least 1 night (the lake's history is expired "
                        f"up to the nights kept)")
    conn = connect(h=h)
    try:
        kept, versions = expirable(conn, keep_nights)
        if versions:
            conn.execute(_sql("expire_snapshots.sql"), {"versions": versions})
        conn.execute("call ducklake_merge_adjacent_files('lake')")
        deleted = conn.execute("call ducklake_cleanup_old_files('lake', cleanup_all => true)").fetchall()
        left = conn.execute("select count(*) from lake.snapshots()").fetchone()[0]
        return Maintained(kept, len(versions), left, len(deleted))
    finally:
        conn.close()
