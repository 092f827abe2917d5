"""The lake, read-only: one DuckDB connection per server process, one cursor per request, and every
query of a request pinned to one DuckLake snapshot (`at (version => …)`), so a page never mixes
two nights while the batch writes.

Serving copies: a DuckLake query at a snapshot re-reads that snapshot's metadata from the catalog
(tens of ms a query). So the first time a worker serves a table at the lake's *current* snapshot S
it copies the table as of S into its in-memory database (`memory.main`, with the lake's row id kept
as `__row` for cursors), and serves every later query at S from the copy; when the current snapshot
moves, new copies are made at the new one and the old are dropped. Older snapshots (`as_of=`, a
cursor of an earlier night) are always read from the lake itself, so expiry still answers 410.
The current snapshot is re-read only when the SQLite catalog says something was committed
(`PRAGMA data_version`); on PostgreSQL every call asks.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field

import duckdb

from citylake.core.db import catalog as lake_catalog
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

    def __init__(self, h: Home, copies: bool = True, threads: int | None = None):
        self._home = h
        self._conn = connect(read_only=True, h=h)
        self._bulk: duckdb.DuckDBPyConnection | None = None
        if threads:
            self._conn.execute(f"set threads = {int(threads)}")
        self._lock = threading.Lock()
        self._catalogs: dict[int, dict[str, Entry]] = {}
        self._types: dict[tuple[str, int], dict[str, str]] = {}
        self.copies = Copies(self._conn) if copies else None
        cat = lake_catalog(h)
        self._watch = _Watch(cat.target) if cat.kind == "sqlite" else None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._conn.cursor()

    def bulk_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for bulk reads (exports): a second read-only connection of this worker, opened on first use
        and kept, with DuckDB's default threads (all cores) instead of the serving connection's setting."""
        with self._lock:
            if self._bulk is None:
                self._bulk = connect(read_only=True, h=self._home)
            return self._bulk.cursor()

    def snapshot(self, cur: duckdb.DuckDBPyConnection) -> int:
        """The lake's current snapshot (asked again only when the catalog has a new commit)."""
        version, known = self._watch.version() if self._watch is not None else (None, None)
        if known is not None:
            return known
        snap = int(cur.execute(sqlfiles.load("current_snapshot.sql")).fetchone()[0])
        if version is not None:
            self._watch.seen(version, snap)
        if self.copies is not None:
            self.copies.current(snap)
        return snap

    def known_snapshot(self) -> int | None:
        """The current snapshot without a query: known when the SQLite catalog had no commit since it was read."""
        return self._watch.version()[1] if self._watch is not None else None

    def kept(self, cur: duckdb.DuckDBPyConnection, snapshot: int) -> bool:
        """Whether the lake still keeps `snapshot` (not expired)."""
        return bool(cur.execute(sqlfiles.load("snapshot_kept.sql"), {"snapshot": snapshot}).fetchone()[0])

    def source(self, cur: duckdb.DuckDBPyConnection | None, schema: str, table: str, snapshot: int,
               make: bool = True) -> Source:
        """Where to read schema.table at `snapshot`: this worker's serving copy when `snapshot` is the current
        one (made now unless `make` is false; then no cursor is needed), else the lake itself."""
        if self.copies is not None and snapshot == self.copies.serving:
            name = self.copies.table(cur, schema, table, snapshot, make)
            if name is not None:
                return Source(schema, table, copy=name)
        return Source(schema, table)

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


@dataclass(frozen=True)
class Source:
    """A FROM clause of service/sql/_source.sql.j2: the lake table at `$snapshot`, or a serving copy."""

    schema: str
    table: str
    copy: str | None = None

    @property
    def row(self) -> str:
        return "__row" if self.copy else "rowid"

    def params(self, snapshot: int) -> dict:
        return {} if self.copy else {"snapshot": snapshot}


class _Watch:
    """Whether the SQLite catalog had a commit since the snapshot was last read (PRAGMA data_version)."""

    def __init__(self, path: str):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._known: tuple[int, int] | None = None      # (data_version, the snapshot read after it)

    def version(self) -> tuple[int, int | None]:
        """(data_version now, the current snapshot if nothing was committed since it was read)."""
        with self._lock:
            v = int(self._db.execute("pragma data_version").fetchone()[0])
            return v, (self._known[1] if self._known and self._known[0] == v else None)

    def seen(self, version: int, snapshot: int) -> None:
        """`snapshot` was read after `version` was: it is current until the next commit."""
        with self._lock:
            self._known = (version, snapshot)


@dataclass(frozen=True)
class _Copy:
    name: str
    ids: frozenset[str]     # the DuckLake table ids of its table's name (what snapshot changes list)


class Copies:
    """The serving copies of one worker: lake tables as of the current snapshot, in its in-memory database.
    When the current snapshot moves, a copy whose table no snapshot in between changed is kept; the others
    are retired (dropped at the next move, so a request that chose one just before still finds it)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self._conn = conn
        self._lock = threading.Lock()
        self._made: dict[tuple[str, str], _Copy] = {}
        self._retired: list[str] = []
        self._building: dict[tuple[str, str], threading.Lock] = {}
        self._seq = 0
        self.serving: int | None = None

    def current(self, snapshot: int) -> None:
        """The lake's current snapshot was read: from a new one on, serve only the copies still valid."""
        with self._lock:
            if self.serving == snapshot:
                return
            with self._conn.cursor() as cur:
                if self.serving is not None and self._made:
                    changed = self._changed(cur, self.serving, snapshot)
                    stale = [k for k, c in self._made.items() if changed is None or changed & (c.ids | {".".join(k)})]
                else:
                    stale = list(self._made)
                for name in self._retired:
                    cur.execute(sqlfiles.render("copy_drop.sql.j2", name=name))
                self._retired = [self._made.pop(k).name for k in stale]
            self.serving = snapshot

    @staticmethod
    def _changed(cur: duckdb.DuckDBPyConnection, after: int, upto: int) -> set[str] | None:
        """What the snapshots (after, upto] changed (table ids and names); None: a schema changed (all stale)."""
        out: set[str] = set()
        for (changes,) in cur.execute(sqlfiles.load("copy_changes.sql"), {"after": after, "upto": upto}).fetchall():
            for kind, values in (changes or {}).items():
                if kind.startswith("schema"):
                    return None
                out.update(str(v) for v in values or ())
        return out

    def table(self, cur: duckdb.DuckDBPyConnection | None, schema: str, table: str, snapshot: int,
              make: bool = True) -> str | None:
        """The copy's table name, made on first use (None: not the current snapshot, or not in the lake)."""
        key = (schema, table)
        made = self._made.get(key)
        if made is not None and snapshot == self.serving:
            return made.name
        if not make:
            return None
        with self._lock:
            build = self._building.setdefault(key, threading.Lock())
        with build:                       # one thread makes it; the others wait for it
            made = self._made.get(key) or self._make(cur, key, snapshot)
        return made.name if made is not None and snapshot == self.serving else None

    def _make(self, cur: duckdb.DuckDBPyConnection, key: tuple[str, str], snapshot: int) -> _Copy | None:
        schema, table = key
        with self._lock:
            self._seq += 1
            name = f"serve_{self._seq}_{schema}_{table}"
        try:
            cur.execute(sqlfiles.render("copy_make.sql.j2", name=name, schema=schema, table=table),
                        {"snapshot": snapshot})
            ids = frozenset(str(r[0]) for r in cur.execute(sqlfiles.load("copy_ids.sql"), {"table": table}).fetchall())
        except (duckdb.CatalogException, duckdb.BinderException, duckdb.InvalidInputException):
            return None
        with self._lock:
            if snapshot == self.serving:
                self._made[key] = made = _Copy(name, ids)
                return made
        cur.execute(sqlfiles.render("copy_drop.sql.j2", name=name))   # the lake moved on meanwhile
        return None
