"""The service's exchange log (数据交换日志): every call, refused ones too; append-only and hash-chained.

Each row carries the hash of the previous row (`prev_hash`) and its own (`row_hash`, SHA-256 of
the previous hash and the row's fields in canonical JSON). Editing, deleting or inserting a row
breaks the chain from there on, which `verify` reports (`citylake service log verify`).
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from service.metadb import exchange_log, writing

GENESIS = "0" * 64
FIELDS = tuple(c.name for c in exchange_log.columns if c.name not in ("seq", "prev_hash", "row_hash"))


def row_hash(prev: str, row: dict) -> str:
    body = json.dumps({k: row.get(k) for k in FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def append(engine: sa.Engine, row: dict) -> None:
    """Append one row, chained to the last (one writer at a time: BEGIN IMMEDIATE on SQLite)."""
    row = {k: row.get(k) for k in FIELDS}
    with writing(engine) as conn:
        last = conn.execute(sa.select(exchange_log.c.row_hash).order_by(exchange_log.c.seq.desc()).limit(1)).scalar()
        prev = last or GENESIS
        conn.execute(exchange_log.insert().values(**row, prev_hash=prev, row_hash=row_hash(prev, row)))


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
