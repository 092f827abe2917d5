"""Per-app quotas: requests per minute and records rows per day, counted from the metadata database
(so every worker sees the same count). Past a quota: 429 with Retry-After.

Calls per minute are counted from the exchange log itself (an index range over one minute of the app's
rows). Rows per day are a counter, `quota_days` (app, UTC day) → rows, that the log's append adds to in
the same transaction as the rows it counts (`add_day_rows`): reading it is one row whatever the day's
traffic, where summing the day's log rows grew all day.

A server counts through a `Window`: the log's counts (and the app's quotas) are read again at most
every `refresh` seconds; in between, the rows this worker logs are added as they are committed. So a
call costs no count query, and the other workers' calls are seen within `refresh` seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.access import NotKept
from service.metadb import apps, exchange_log, quota_days
from service.problems import Problem


def limits(conn: sa.Connection, client_id: str, per_minute: int, rows_per_day: int) -> tuple[int, int]:
    """The app's own quotas, or the service defaults."""
    row = conn.execute(sa.select(apps.c.quota_per_minute, apps.c.quota_rows_per_day)
                       .where(apps.c.client_id == client_id)).first()
    return (row[0] or per_minute, row[1] or rows_per_day) if row else (per_minute, rows_per_day)


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="seconds")     # the exchange log's `at` format


def counts(conn: sa.Connection, client_id: str, now: datetime) -> tuple[int, int]:
    """(calls in the last minute, records rows read today (UTC; catalog listings do not count))."""
    calls = conn.execute(sa.select(sa.func.count()).where(exchange_log.c.client_id == client_id,
                                                          exchange_log.c.at > _stamp(now - timedelta(minutes=1)))
                         ).scalar_one()
    rows = conn.execute(sa.select(quota_days.c.rows).where(quota_days.c.client_id == client_id,
                                                           quota_days.c.day == now.date().isoformat())).scalar()
    return calls, rows or 0


ROWS_PATH = "/v1/datasets/"


def counted_rows(row: dict) -> int:
    """The records rows a logged call counts toward its app's rows per day (records and objections pages;
    catalog listings, tokens, verify: none)."""
    return (row.get("rows") or 0) if str(row.get("path") or "").startswith(ROWS_PATH) else 0


def add_day_rows(conn: sa.Connection, rows: list[dict]) -> None:
    """Add the counted rows of these log rows to `quota_days` (inside the log append's transaction)."""
    by_day: dict[tuple[str, str], int] = {}
    for r in rows:
        n = counted_rows(r)
        if n and r.get("client_id"):
            key = (r["client_id"], str(r["at"])[:10])
            by_day[key] = by_day.get(key, 0) + n
    if not by_day:
        return
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(quota_days)
    conn.execute(stmt.on_conflict_do_update(index_elements=["client_id", "day"],
                                            set_={"rows": quota_days.c.rows + stmt.excluded.rows}),
                 [{"client_id": c, "day": d, "rows": n} for (c, d), n in by_day.items()])


def check(conn: sa.Connection, client_id: str, per_minute: int, rows_per_day: int, now: datetime) -> None:
    """429 when the app made `per_minute` calls in the last minute, or read `rows_per_day` records rows today."""
    refuse(*counts(conn, client_id, now), per_minute, rows_per_day, now)


def refuse(calls: int, rows: int, per_minute: int, rows_per_day: int, now: datetime) -> None:
    if calls >= per_minute:
        raise Problem(429, f"quota of {per_minute} requests per minute reached: retry in a minute",
                      headers={"Retry-After": "60"})
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if rows >= rows_per_day:
        wait = int((midnight + timedelta(days=1) - now).total_seconds()) + 1
        raise Problem(429, f"quota of {rows_per_day} rows per day reached: retry tomorrow (UTC)",
                      headers={"Retry-After": str(wait)})


def set_limits(engine: sa.Engine, client_id: str, per_minute: int | None, rows_per_day: int | None) -> None:
    with engine.begin() as conn:
        if conn.execute(sa.select(apps.c.client_id).where(apps.c.client_id == client_id)).first() is None:
            raise ValueError(f"no app {client_id!r}")
        conn.execute(apps.update().where(apps.c.client_id == client_id)
                     .values(quota_per_minute=per_minute, quota_rows_per_day=rows_per_day))


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Count:
    read_at: float          # time.monotonic() of the last read from the log
    day: str                # the UTC day of `rows`
    per_minute: int
    rows_per_day: int
    calls: int
    rows: int


class Window:
    """One server process's quota counts (see the module docstring)."""

    def __init__(self, refresh: float = 1.0):
        self._refresh = refresh
        self._lock = threading.Lock()
        self._apps: dict[str, _Count] = {}
        self._reading: set[str] = set()

    def check(self, engine: sa.Engine, client_id: str, per_minute: int, rows_per_day: int, now: datetime,
              kept_only: bool = False) -> None:
        """As `check`, from the counts this process holds, read from the log when older than `refresh` — outside
        the lock, by one thread per app while the others go on with the counts held (`kept_only`: raise
        service.access.NotKept instead of reading)."""
        day = now.date().isoformat()
        with self._lock:
            c = self._apps.get(client_id)
            new = c is None or c.day != day
            read = new or (time.monotonic() - c.read_at > self._refresh and client_id not in self._reading)
            if read:
                self._reading.add(client_id)
        if read:
            try:
                if kept_only:
                    raise NotKept("quota counts")
                c = self._read(engine, client_id, per_minute, rows_per_day, now)
            finally:
                with self._lock:
                    self._reading.discard(client_id)
        with self._lock:
            calls, rows, pm, rpd = c.calls, c.rows, c.per_minute, c.rows_per_day
        refuse(calls, rows, pm, rpd, now)

    def _read(self, engine: sa.Engine, client_id: str, per_minute: int, rows_per_day: int, now: datetime) -> _Count:
        with engine.connect() as conn:
            c = _Count(time.monotonic(), now.date().isoformat(), *limits(conn, client_id, per_minute, rows_per_day),
                       *counts(conn, client_id, now))
        with self._lock:
            self._apps[client_id] = c
        return c

    def committed(self, rows: list[dict]) -> None:
        """Rows this process just logged: counted until the next read from the log."""
        with self._lock:
            for r in rows:
                c = self._apps.get(r.get("client_id") or "")
                if c is not None:
                    c.calls += 1
                    c.rows += counted_rows(r)
