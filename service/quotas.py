"""Per-app quotas: requests per minute and records rows per day, counted from the exchange log itself
(so every worker sees the same count). Past a quota: 429 with Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from service.metadb import apps, exchange_log
from service.problems import Problem


def limits(conn: sa.Connection, client_id: str, per_minute: int, rows_per_day: int) -> tuple[int, int]:
    """The app's own quotas, or the service defaults."""
    row = conn.execute(sa.select(apps.c.quota_per_minute, apps.c.quota_rows_per_day)
                       .where(apps.c.client_id == client_id)).first()
    return (row[0] or per_minute, row[1] or rows_per_day) if row else (per_minute, rows_per_day)


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="seconds")     # the exchange log's `at` format


def check(conn: sa.Connection, client_id: str, per_minute: int, rows_per_day: int, now: datetime) -> None:
    """429 when the app made `per_minute` calls in the last minute, or read `rows_per_day` records rows
    today (UTC; catalog listings do not count)."""
    mine = exchange_log.c.client_id == client_id
    calls = conn.execute(sa.select(sa.func.count()).where(mine, exchange_log.c.at > _stamp(now - timedelta(minutes=1)))
                         ).scalar_one()
    if calls >= per_minute:
        raise Problem(429, f"quota of {per_minute} requests per minute reached: retry in a minute",
                      headers={"Retry-After": "60"})
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(exchange_log.c.rows), 0))
                        .where(mine, exchange_log.c.at >= _stamp(midnight),
                               exchange_log.c.path.startswith("/v1/datasets/", autoescape=True))).scalar_one()
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
