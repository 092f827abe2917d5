"""The lake, read-only: one DuckDB connection per server process, one cursor per request, and every
query of a request pinned to one DuckLake snapshot (`at (version => …)`), so a page never mixes
two nights while the batch writes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import duckdb

from citylake.core.db import connect
from citylake.core.paths import Home
from service import sqlfiles
from service.problems import Problem


@dataclass(frozen=True)
class Item:
    column_name: str
    name_zh: str
    name_en: str
    data_type: str
    pii: str | None
    share_type: str
    share_condition: str | None
    mask: str | None


@dataclass(frozen=True)
class Entry:
    resource_code: str
    model: str
    schema_name: str
    table_name: str
    name_zh: str
    name_en: str
    provider_id: str
    provider_zh: str
    share_type: str
    share_condition: str | None
    update_cycle: str | None
    row_count: int | None
    items: tuple[Item, ...] = field(default=())

    @property
    def path_code(self) -> str:
        """The resource code as it appears in a path: 101001001/000001 → 101001001-000001."""
        return self.resource_code.replace("/", "-")


def resource_code(path_code: str) -> str:
    """101001001-000001 → 101001001/000001 (404 for anything not of that shape)."""
    head, sep, seq = path_code.rpartition("-")
    if not (sep and head.isascii() and head.isdigit() and seq.isascii() and seq.isdigit()):
        raise Problem(404, "unknown resource code: write it as in the catalog with '-' for '/', e.g. 101001001-000001")
    return f"{head}/{seq}"


class Lake:
    """The read-only lake of one home."""

    def __init__(self, h: Home):
        self._conn = connect(read_only=True, h=h)
        self._lock = threading.Lock()
        self._catalogs: dict[int, dict[str, Entry]] = {}
        self._types: dict[tuple[str, int], dict[str, str]] = {}

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._conn.cursor()

    @staticmethod
    def snapshot(cur: duckdb.DuckDBPyConnection) -> int:
        return int(cur.execute(sqlfiles.load("current_snapshot.sql")).fetchone()[0])

    def catalog(self, cur: duckdb.DuckDBPyConnection, snapshot: int) -> dict[str, Entry]:
        """The catalog entries by resource code as of `snapshot` (kept for the last few snapshots)."""
        if snapshot not in self._catalogs:
            try:
                items = cur.execute(sqlfiles.load("items.sql"), {"snapshot": snapshot}).fetchall()
                rows = cur.execute(sqlfiles.load("entries.sql"), {"snapshot": snapshot}).fetchall()
            except duckdb.CatalogException as e:
                raise Problem(503, f"no catalog was published in the lake as of snapshot {snapshot}") from e
            except duckdb.InvalidInputException as e:
                raise Problem(410, f"snapshot {snapshot} is no longer kept in the lake") from e
            by_code: dict[str, list[Item]] = {}
            for code, *rest in items:
                by_code.setdefault(code, []).append(Item(*rest))
            cat = {r[0]: Entry(*r, items=tuple(by_code.get(r[0], ()))) for r in rows}
            with self._lock:
                keep = sorted(self._catalogs)[-3:]
                self._catalogs = {k: self._catalogs[k] for k in keep} | {snapshot: cat}
        return self._catalogs[snapshot]

    def entry(self, cur: duckdb.DuckDBPyConnection, snapshot: int, path_code: str) -> Entry:
        code = resource_code(path_code)
        entry = self.catalog(cur, snapshot).get(code)
        if entry is None:
            raise Problem(404, f"unknown resource code {path_code}: see GET /v1/catalog")
        return entry

    def column_types(self, cur: duckdb.DuckDBPyConnection, entry: Entry, snapshot: int) -> dict[str, str]:
        """{column: DuckDB type} of the entry's table at `snapshot` (a snapshot never changes: kept)."""
        key = (entry.model, snapshot)
        if key not in self._types:
            sql = sqlfiles.render("columns.sql.j2", schema=entry.schema_name, table=entry.table_name)
            types = {d[0]: str(d[1]) for d in cur.execute(sql, {"snapshot": snapshot}).description}
            with self._lock:
                if len(self._types) > 1000:
                    self._types.clear()
                self._types[key] = types
        return self._types[key]
