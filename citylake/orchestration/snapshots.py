"""Last good snapshot: DuckLake time travel to undo a blocked dataset's build.

Before the night's dbt build the plan records the lake's snapshot id; when a blocking gate
then fails on a library, its tables are restored from that snapshot (or dropped if they did
not exist yet), so readers keep the last good data and nothing half-checked is published.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from citylake.core.db import connect
from citylake.core.paths import Home
from citylake.core.sqlfiles import SqlDir
from standards import libraries

_SQL = SqlDir(Path(__file__).parent / "sql")


def current_snapshot(*, h: Home) -> int | None:
    if not h.lake_catalog.exists():
        return None
    conn = connect(read_only=True, h=h)
    try:
        return conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
    finally:
        conn.close()


def library_tables(conn: duckdb.DuckDBPyConnection, schema: str, library: str) -> list[str]:
    """The tables of one library in the lake (the registry's naming rule, standards.libraries)."""
    lib = libraries.library(library)
    rows = conn.execute("select table_name from duckdb_tables() where database_name = 'lake' "
                        "and schema_name = ? order by 1", [schema]).fetchall()
    return [r[0] for r in rows if lib.owns(r[0])]


def restore(schema: str, library: str, snapshot: int | None, *, h: Home) -> dict[str, str]:
    """Restore (or drop, if new since `snapshot`) the tables of one library. Returns table → action."""
    conn = connect(h=h)
    done: dict[str, str] = {}
    try:
        for table in library_tables(conn, schema, library):
            name = f"lake.{schema}.{table}"
            existed = snapshot is not None
            if existed:
                try:
                    conn.execute(_SQL.render("table_at.sql.j2", table=name, snapshot=snapshot))
                except duckdb.CatalogException:
                    existed = False
            if existed:
                conn.execute(_SQL.render("restore_table.sql.j2", table=name, snapshot=snapshot))
                done[f"{schema}.{table}"] = f"restored to snapshot {snapshot}"
            else:
                conn.execute(_SQL.render("drop_table.sql.j2", table=name))
                done[f"{schema}.{table}"] = "dropped (new tonight, not published)"
    finally:
        conn.close()
    return done
