"""The exchange log (数据交换日志): who exchanged what, when, how many rows, with which content hash and gate result.

`record(...)` is called by citylake.orchestration.pipeline for every feed landing and gate decision, and by
catalogs.publish for every catalog export and package. It appends one row to the lake table
`catalog.exchange_log` (opening citylake.core.db.connect(), writing, closing — the lake takes one
writer at a time; write conflicts are retried, and a record that still cannot be written is
spooled under state/<night>/ and written with the next one, so an exchange is never lost).
`summary(night)` counts a night's exchanges by kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from catalogs import sqlfiles
from citylake.core.paths import Home

ROW_KEYS = ("rows", "rows_landed", "rows_written", "row_count", "evaluated_rows")
HASH_KEYS = ("content_hash", "sha256", "delivery_sha256", "hash")
RETRIES = 5


def _who(dataset: str, detail: dict) -> str:
    if detail.get("who"):
        return str(detail["who"])
    try:
        from ingest import registry

        feeds = registry.load()
        if dataset in feeds:
            return feeds[dataset].department.id
    except Exception:  # noqa: BLE001 - the registry is optional here; the log must not fail on it
        pass
    return "citylake"


def _gate_result(detail: dict) -> str:
    if detail.get("gate_result"):
        return str(detail["gate_result"])
    if "passed" in detail:
        if not detail["passed"]:
            return "blocked"
        return "warn" if detail.get("warnings") else "pass"
    status = detail.get("status")
    if status in ("failed", "missing"):
        return "failed"
    return "n/a"


def make_row(kind: str, dataset: str, date: str, detail: dict | None) -> dict:
    """The log row for one exchange (pure)."""
    detail = dict(detail or {})
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    rows = next((detail[k] for k in ROW_KEYS if isinstance(detail.get(k), int)), None)
    content_hash = next((str(detail[k]) for k in HASH_KEYS if detail.get(k)), None)
    return {
        "exchange_id": str(uuid.uuid4()),
        "recorded_at": datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
        "night": date,
        "kind": kind,
        "dataset": dataset,
        "who": _who(dataset, detail),
        "what": str(detail.get("what") or f"{kind} {dataset}"),
        "rows": rows,
        "content_hash": content_hash or hashlib.sha256(text.encode()).hexdigest(),
        "gate_result": _gate_result(detail),
        "detail": text,
    }


def ensure_table(conn) -> None:
    conn.execute(sqlfiles.load("exchange_log_ddl.sql"))


def write_rows(conn, rows: list[dict]) -> int:
    """Append rows to catalog.exchange_log on an open lake connection."""
    if not rows:
        return 0
    ensure_table(conn)
    cols = ("exchange_id", "recorded_at", "night", "kind", "dataset", "who", "what", "rows", "content_hash",
            "gate_result", "detail")
    conn.execute(sqlfiles.load("exchange_log_insert.sql"), {c: [r[c] for r in rows] for c in cols})
    return len(rows)


def _spool(h: Home, date: str) -> Path:
    d = h.state / date
    d.mkdir(parents=True, exist_ok=True)
    return d / "exchange_log.pending.jsonl"


def _pending(h: Home) -> list[tuple[Path, list[dict]]]:
    out = []
    if h.state.exists():
        for p in sorted(h.state.glob("*/exchange_log.pending.jsonl")):
            out.append((p, [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line]))
    return out


def record(kind: str, dataset: str, date: str, detail: dict | None = None, *, h: Home,
           conn=None) -> dict:
    """Append one exchange to the lake's exchange log and return its row.

    With `conn` (an open lake connection) the row is written on it; otherwise a connection is
    opened, written to and closed.
    """
    row = make_row(kind, dataset, date, detail)
    if conn is not None:
        write_rows(conn, [row])
        return row
    from citylake.core.db import connect

    last: Exception | None = None
    for attempt in range(RETRIES):
        try:
            c = connect(h=h)
        except Exception as e:  # noqa: BLE001 - lake busy/locked: retry, then spool
            last = e
            time.sleep(0.2 * 2 ** attempt)
            continue
        try:
            pending = _pending(h)
            c.execute("begin transaction")
            write_rows(c, [r for _, rs in pending for r in rs] + [row])
            c.execute("commit")
            for p, _ in pending:
                p.unlink(missing_ok=True)
            return row
        except Exception as e:  # noqa: BLE001 - DuckLake write conflict: retry
            last = e
            try:
                c.execute("rollback")
            except Exception:  # noqa: BLE001
                pass
            time.sleep(0.2 * 2 ** attempt)
        finally:
            c.close()
    # never lose an exchange: spool it; the next record()/flush() writes it
    with _spool(h, date).open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    row["spooled"] = f"{type(last).__name__}: {last}"
    return row


def flush(conn, *, h: Home) -> int:
    """Write spooled exchanges (if any) on an open lake connection."""
    n = 0
    for p, rows in _pending(h):
        n += write_rows(conn, rows)
        p.unlink(missing_ok=True)
    return n


def summary(date: str, *, h: Home, conn=None) -> dict[str, dict]:
    """{kind: {exchanges, rows, refused_or_failed}} for one night."""
    own = conn is None
    if own:
        from citylake.core.db import connect
        if not h.lake_catalog.exists():
            return {}
        conn = connect(h=h, read_only=True)
    try:
        if not conn.execute(sqlfiles.load("table_exists.sql"),
                            {"schema": "catalog", "table": "exchange_log"}).fetchone()[0]:
            return {}
        rel = conn.execute(sqlfiles.load("exchange_summary.sql"), {"night": date})
        return {k: {"exchanges": n, "rows": r, "refused_or_failed": f} for k, n, r, f in rel.fetchall()}
    finally:
        if own:
            conn.close()
