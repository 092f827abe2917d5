"""The service's exchange log (数据交换日志): every call, refused ones too; append-only and hash-chained.

Each row carries the hash of the previous row (`prev_hash`) and its own (`row_hash`, SHA-256 of
the previous hash and the row's fields in canonical JSON). Editing, deleting or inserting a row
breaks the chain from there on, which `verify` reports (`citylake service log verify`).

The chain alone cannot show that the newest rows were cut off. An **anchor** is the chain's head (seq and
hash) written outside the database, to a JSON-lines file of the home (`anchor`; at every `citylake serve`
start and by `citylake service log anchor`, e.g. from cron): `verify` then also requires every anchored row
to be there with its anchored hash (`check_anchors`). With CITYLAKE_SERVICE_ANCHOR_URL set, each anchor is
also POSTed there as JSON, off the machine (`ship`, retried); the line in the home records whether it was
received, and `unshipped` names those that were not.

A server appends through a `Writer` (group commit): the rows of the calls finishing at the same time
are chained and committed in one transaction, and each call answers only once its row is committed,
so the log stays complete without paying a commit per call under load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

from citylake.core.paths import Home
from service.metadb import exchange_log, writing
from service.quotas import add_day_rows

GENESIS = "0" * 64
SHIP_ATTEMPTS, SHIP_WAIT, SHIP_TIMEOUT = 3, 0.5, 5.0     # tries, first wait (doubled each time), seconds a try
log = logging.getLogger(__name__)
FIELDS = tuple(c.name for c in exchange_log.columns if c.name not in ("seq", "prev_hash", "row_hash"))


def row_hash(prev: str, row: dict) -> str:
    body = json.dumps({k: row.get(k) for k in FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def append(engine: sa.Engine, row: dict) -> None:
    """Append one row, chained to the last."""
    append_many(engine, [row])


def append_many(engine: sa.Engine, rows: list[dict]) -> None:
    """Append rows in order, each chained to the one before, in one transaction (one writer at a time:
    BEGIN IMMEDIATE on SQLite, so several server processes keep one chain); the rows they read are added to
    the apps' day counters (service.quotas.add_day_rows) in the same transaction."""
    with writing(engine) as conn:
        last = conn.execute(sa.select(exchange_log.c.row_hash).order_by(exchange_log.c.seq.desc()).limit(1)).scalar()
        prev, out = last or GENESIS, []
        for r in rows:
            r = {k: r.get(k) for k in FIELDS}
            out.append({**r, "prev_hash": prev, "row_hash": (prev := row_hash(prev, r))})
        conn.execute(exchange_log.insert(), out)
        add_day_rows(conn, out)


class Writer:
    """Group commit of one server process: `submit` a row, wait on the future; a thread commits what
    is queued (up to `batch` rows) in one transaction, then calls `committed(rows)`."""

    def __init__(self, engine: sa.Engine, committed: Callable[[list[dict]], None] = lambda rows: None,
                 batch: int = 500):
        self._engine, self._committed, self._batch = engine, committed, batch
        self._queue: queue.SimpleQueue[tuple[dict, Future] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="exchange-log", daemon=True)
        self._thread.start()

    def submit(self, row: dict) -> Future:
        done: Future = Future()
        self._queue.put((row, done))
        return done

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while (first := self._queue.get()) is not None:
            items = [first]
            while len(items) < self._batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                items.append(nxt)
            self._commit(items)

    def _commit(self, items: list[tuple[dict, Future]]) -> None:
        rows = [r for r, _ in items]
        try:
            append_many(self._engine, rows)
            self._committed(rows)
        except Exception as e:  # noqa: BLE001 - each waiting call fails with the commit's error
            for _, f in items:
                f.set_exception(e)
            return
        for _, f in items:
            f.set_result(None)


def verify(engine: sa.Engine) -> tuple[int, list[str]]:
    """(rows checked, problems): a row whose hash or link to the previous row does not match."""
    problems: list[str] = []
    prev, n = GENESIS, 0
    with engine.connect() as conn:
        for r in conn.execute(sa.select(exchange_log).order_by(exchange_log.c.seq)):
            m = dict(r._mapping)
            n += 1
            if m["prev_hash"] != prev:
                problems.append(f"row {m['seq']}: link to the previous row broken (a row was removed or inserted)")
            if row_hash(m["prev_hash"], m) != m["row_hash"]:
                problems.append(f"row {m['seq']}: content does not match its hash (the row was edited)")
            prev = m["row_hash"]
    return n, problems


def recent(engine: sa.Engine, limit: int = 20) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(exchange_log).order_by(exchange_log.c.seq.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]


def anchors_file(h: Home) -> Path:
    return h.state / "exchange_log_anchors.jsonl"


def ship(line: dict, url: str) -> str | None:
    """POST the anchor as JSON to `url`, off the machine; retried (SHIP_ATTEMPTS, waits doubling). None once a try
    is answered 2xx, else the last error."""
    error = None
    for attempt in range(SHIP_ATTEMPTS):
        if attempt:
            time.sleep(SHIP_WAIT * 2 ** (attempt - 1))
        try:
            httpx.post(url, json=line, timeout=SHIP_TIMEOUT).raise_for_status()
            return None
        except httpx.HTTPStatusError as e:     # its message holds the URL, which may carry the receiver's token
            error = f"answered HTTP {e.response.status_code}"
        except httpx.HTTPError as e:
            error = f"{type(e).__name__}: {str(e)[:200]}"
    log.warning("the anchor of exchange log row %s was not shipped after %s tries: %s", line["seq"], SHIP_ATTEMPTS,
                error)
    return error


def anchor(engine: sa.Engine, path: Path, url: str | None = None) -> dict | None:
    """Append the chain's head {seq, row_hash, at, anchored_at} to the anchors file, shipped first to `url` (the
    line then says `shipped`, true or false, and the error); None for an empty log."""
    with engine.connect() as conn:
        head = conn.execute(sa.select(exchange_log.c.seq, exchange_log.c.row_hash, exchange_log.c.at)
                            .order_by(exchange_log.c.seq.desc()).limit(1)).first()
    if head is None:
        return None
    line = {**head._mapping, "anchored_at": datetime.now(UTC).isoformat(timespec="seconds")}
    if url:
        error = ship(line, url)
        line |= {"shipped": error is None, **({"ship_error": error} if error else {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, sort_keys=True) + "\n")
    return line


def anchors(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def check_anchors(engine: sa.Engine, kept: list[dict]) -> list[str]:
    """Problems: an anchored row that is gone (the log was cut after it) or no longer has its anchored hash."""
    if not kept:
        return []
    with engine.connect() as conn:
        found = dict(conn.execute(sa.select(exchange_log.c.seq, exchange_log.c.row_hash).where(
            exchange_log.c.seq.in_({a["seq"] for a in kept}))).all())
    problems = []
    for a in kept:
        if a["seq"] not in found:
            problems.append(f"row {a['seq']}, anchored at {a['anchored_at']}, is gone: the log was cut after it")
        elif found[a["seq"]] != a["row_hash"]:
            problems.append(f"row {a['seq']} no longer has the hash anchored at {a['anchored_at']}: the chain was "
                            "rewritten")
    return problems


def unshipped(kept: list[dict]) -> list[str]:
    """The anchors an anchor URL did not receive (made while CITYLAKE_SERVICE_ANCHOR_URL was set)."""
    return [f"the anchor of row {a['seq']} ({a['anchored_at']}) was not shipped off the machine: {a.get('ship_error')}"
            for a in kept if a.get("shipped") is False]
