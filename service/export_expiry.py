"""Expiring bulk-export files (批量导出文件到期清除): a ready export's file is removed once it is older than
the time to live, and the export says `expired` (GET /v1/exports/{id}; its download answers 410).

An export still `running` when `citylake serve` starts was cut off by the previous server's stop (its thread
died with its worker): it is marked `failed`, with the reason, and its half-written files are removed —
never left polling `running` for ever (`interrupted`).

The time to live is CITYLAKE_SERVICE_EXPORT_TTL_HOURS (default 72); `citylake serve` expires at
start, and `citylake service exports expire [--hours H]` at any time (e.g. from the nightly cron).
Failed exports have no file (they were removed when they failed).
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from citylake.core.paths import Home
from service.exports import directory
from service.metadb import exports, writing

TTL_ENV = "CITYLAKE_SERVICE_EXPORT_TTL_HOURS"


def ttl_hours(value: str | None = None) -> float:
    """The time to live of an export file in hours (CITYLAKE_SERVICE_EXPORT_TTL_HOURS, default 72)."""
    raw = os.environ.get(TTL_ENV) if value is None else value
    hours = float(raw) if raw else 72.0
    if hours < 0:
        raise ValueError(f"{TTL_ENV}={raw}: the time to live of an export cannot be negative")
    return hours


def expire(engine: sa.Engine, h: Home, hours: float, now: datetime | None = None) -> list[str]:
    """Remove the files of ready exports finished more than `hours` ago; their ids (now `expired`)."""
    cutoff = ((now or datetime.now(UTC)) - timedelta(hours=hours)).isoformat(timespec="seconds")
    with writing(engine) as conn:
        ids = list(conn.execute(sa.select(exports.c.export_id).where(
            exports.c.status == "ready", exports.c.finished_at <= cutoff)).scalars())
        for export_id in ids:
            shutil.rmtree(directory(h, export_id), ignore_errors=True)
            conn.execute(exports.update().where(exports.c.export_id == export_id).values(
                status="expired", detail=f"the file was removed {hours:g} h after it was ready: export again"))
    return ids


INTERRUPTED = "interrupted: the service stopped before the export finished; create it again"


def interrupted(engine: sa.Engine, h: Home) -> list[str]:
    """At the service's start: exports left `running` by a stopped server become `failed` (files removed)."""
    with writing(engine) as conn:
        ids = list(conn.execute(sa.select(exports.c.export_id).where(exports.c.status == "running")).scalars())
        for export_id in ids:
            shutil.rmtree(directory(h, export_id), ignore_errors=True)
            conn.execute(exports.update().where(exports.c.export_id == export_id).values(
                status="failed", detail=INTERRUPTED, finished_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return ids
