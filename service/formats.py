"""Records by `Accept`: JSON (default), CSV, Arrow IPC stream, Parquet — one page, the same values.

The page's records (already masked) become one Arrow table; CSV cells go through the project's
formula-injection guard, the SQL macro `cat_csv_safe` of catalogs/sql/masking.sql (no second
implementation). The cursor and the snapshot of a non-JSON page are in the headers
`X-Next-Cursor` and `X-Snapshot-Id`. `_flags` (存疑) is a list column, or JSON text in CSV.
"""

from __future__ import annotations

import io
import json

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from service import sqlfiles
from service.egress import install_macros
from service.problems import Problem

JSON, CSV = "application/json", "text/csv"
ARROW, PARQUET = "application/vnd.apache.arrow.stream", "application/vnd.apache.parquet"
MEDIA = (JSON, CSV, ARROW, PARQUET)
ANY = {"*/*": JSON, "application/*": JSON, "text/*": CSV}


def negotiate(accept: str | None) -> str:
    """The first media type of `Accept` this service writes (JSON when absent); 406 when none is."""
    if not accept:
        return JSON
    for part in accept.split(","):
        media, *params = (x.strip().lower() for x in part.split(";"))
        if "q=0" in params:
            continue
        if media in MEDIA:
            return media
        if media in ANY:
            return ANY[media]
    raise Problem(406, f"records are served as {', '.join(MEDIA)}; Accept was {accept[:100]!r}")


def table(records: list[dict], names: list[str]) -> pa.Table:
    """The page's records as one table of the columns it carries (records.Page.carried)."""
    if not records:
        return pa.table({c: pa.array([], pa.string()) for c in names})
    return pa.Table.from_pylist([{c: r.get(c) for c in names} for r in records])


def csv_bytes(cur: duckdb.DuckDBPyConnection, t: pa.Table) -> bytes:
    if "_flags" in t.column_names:
        flags = [json.dumps(f, ensure_ascii=False) if f else None for f in t.column("_flags").to_pylist()]
        t = t.set_column(t.column_names.index("_flags"), "_flags", pa.array(flags, pa.string()))
    install_macros(cur)
    cur.register("page", t)
    try:
        safe = cur.execute(sqlfiles.render("csv_page.sql.j2", columns=t.column_names)).fetch_arrow_table()
    finally:
        cur.unregister("page")
    out = io.BytesIO()
    pacsv.write_csv(safe, out)
    return out.getvalue()


def encode(cur: duckdb.DuckDBPyConnection, media: str, t: pa.Table) -> bytes:
    """The page (`table`) in `media` (not JSON: the JSON body is written by the route)."""
    if media == CSV:
        return csv_bytes(cur, t)
    out = io.BytesIO()
    if media == ARROW:
        with ipc.new_stream(out, t.schema) as w:
            w.write_table(t)
    else:
        pq.write_table(t, out)
    return out.getvalue()
