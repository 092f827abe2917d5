"""GET /v1/datasets/{code}/records: select, a small filter language, keyset pages at one snapshot.

Filters are query parameters `<column>=<op>.<value>` (PostgREST style), several per column allowed:
    eq.V   in.A,B,C   gt.V  gte.V  lt.V  lte.V (ranges)   prefix.V
The column must be a readable, unmasked column of the catalog entry; values are bound parameters,
cast to the column's type in the lake; the SQL operator comes from a fixed table, never from input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb

from catalogs import rowfilter
from catalogs.rowfilter import Filter, compile_filters  # the filter language is catalogs.rowfilter's
from service import cursor as cursors
from service import grants, objections, sqlfiles
from service.egress import apply_rule
from service.lake import Entry, Lake
from service.problems import Problem

RESERVED = ("select", "limit", "cursor", "as_of")
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_IN = rowfilter.MAX_IN


@dataclass(frozen=True)
class Page:
    records: list[dict]
    next_cursor: str | None
    snapshot: int
    columns: list[str]

    @property
    def carried(self) -> list[str]:
        """The columns the page carries: the selected ones, and `_flags` when a record is under objection."""
        return [*self.columns, *(["_flags"] if any("_flags" in r for r in self.records) else [])]


def limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise Problem(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def as_of(raw: str | None, current: int) -> int:
    """The snapshot to read: `as_of=<snapshot id>` for an older one still kept, else the current one."""
    if raw is None:
        return current
    if not (raw.isascii() and raw.isdigit()) or int(raw) > current:
        raise Problem(400, f"as_of must be a snapshot id up to the current one ({current})")
    return int(raw)


def select(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    cols = [c.strip() for c in raw.split(",") if c.strip()]
    if not cols:
        raise Problem(400, "select names no column: select=col1,col2")
    return cols


def parse_filter(column: str, raw: str) -> Filter:
    try:
        return rowfilter.parse_filter(column, raw)
    except rowfilter.FilterError as e:
        raise Problem(400, str(e)) from e


def filters(params: list[tuple[str, str]]) -> list[Filter]:
    return [parse_filter(k, v) for k, v in params if k not in RESERVED]


def check_filters(a: grants.Access, entry: Entry, fs: list[Filter]) -> None:
    """Filters only on readable columns, and never on ones that leave masked — that is what /verify is for
    (a column the grant gives in clear can be filtered on)."""
    grants.columns(a, entry, [f.column for f in fs])
    personal = [f.column for f in fs if grants.leaving_rule(a, f.column)]
    if personal:
        raise Problem(403, f"filtering on personal columns {personal} is not allowed; use POST /v1/verify")


def json_value(v):
    """JSON has no NaN or infinity: they leave as null."""
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _masked_columns(columns: list[str], rows: list[tuple], a: grants.Access) -> list[list]:
    """The page's values by column, each column through its leaving rule in one query (grants.leaving_rule)."""
    out = []
    for i, c in enumerate(columns):
        values = [r[i] for r in rows]
        rule = grants.leaving_rule(a, c)
        out.append(apply_rule(values, rule) if rule and values else values)
    return out

@dataclass(frozen=True)
class Request:
    client_id: str
    entry: Entry
    access: grants.Access
    columns: list[str]
    filters: list[Filter]
    limit: int
    cursor: str | None

    @property
    def scope(self) -> str:
        """What a cursor of this request is bound to: the app, the resource and the query."""
        return cursors.fingerprint(self.client_id, self.entry.resource_code, self.columns,
                                   [(f.column, f.op, f.values) for f in self.filters])


def granted(client_id: str, entry: Entry, a: grants.Access, select: list[str] | None, fs: list[Filter],
            limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> Request:
    """A read of `entry` under the access `a` (grants.readable): the caller's filters checked, the columns granted,
    the grant's row filter added to the caller's."""
    check_filters(a, entry, fs)
    return Request(client_id, entry, a, grants.columns(a, entry, select), [*fs, *a.row_filter], limit, cursor)


def page(lake: Lake, cur: duckdb.DuckDBPyConnection, key: bytes, req: Request, snapshot: int,
         marks: list[objections.Mark] | tuple = ()) -> Page:
    """One page of `req`, at the cursor's snapshot (or `snapshot` for the first page); records under an open
    objection (`marks`) carry `_flags` (their key columns are read for it even when not selected)."""
    entry, columns, fs, n = req.entry, req.columns, req.filters, req.limit
    scope = req.scope
    token = req.cursor
    snap, after = cursors.decode(key, token, scope) if token else (snapshot, -1)
    read = [*columns, *dict.fromkeys(k for m in marks for k, _ in m.key if k not in columns)]
    try:
        types = lake.column_types(cur, entry, snap)
        specs, params = compile_filters(fs, types)
        source = lake.source(cur, entry.schema_name, entry.table_name, snap)
        sql = sqlfiles.render("records.sql.j2", source=source, columns=read, filters=specs)
        rows = cur.execute(sql, {**source.params(snap), "after": after, "limit": n + 1, **params}).fetchall()
    except duckdb.ConversionException as e:
        raise Problem(400, "a filter value does not fit its column's type") from e
    except duckdb.InvalidInputException as e:
        raise Problem(410, f"snapshot {snap} is no longer kept in the lake: start again without cursor") from e
    except (duckdb.CatalogException, duckdb.BinderException) as e:
        raise Problem(404, f"{entry.path_code} (or a column of it) was not in the lake at snapshot {snap}") from e
    more = len(rows) > n
    rows = rows[:n]
    nxt = cursors.encode(key, scope, snap, int(rows[-1][0])) if more else None
    return Page(_records(columns, read, [r[1:] for r in rows], req.access, marks), nxt, snap, columns)


def _records(columns: list[str], read: list[str], rows: list[tuple], a: grants.Access, marks) -> list[dict]:
    """The records of a page, masked; those under an open objection carry `_flags` (judged on the raw values)."""
    out = [{c: json_value(v) for c, v in zip(columns, vals, strict=True)}
           for vals in zip(*_masked_columns(columns, rows, a), strict=True)] if rows else []
    for rec, raw in zip(out, rows, strict=True):
        f = objections.flags(dict(zip(read, raw, strict=True)), marks) if marks else None
        if f:
            rec["_flags"] = f
    return out
