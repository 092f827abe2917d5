"""Expiring bulk-export files (批量导出文件到期清除): a ready export's file is removed once it is older than
the time to live, and the export says `expired` (GET /v1/exports/{id}; its download answers 410).

The time to live is CITYLAKE_SERVICE_EXPORT_TTL_HOURS (default 72). `citylake serve` expires at start, each
worker of the server every CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS while it serves (`sweep`; the workers' sweeps
are serialised by the metadata database's write lock, so a file is expired once), and
`citylake service exports expire [--hours H]` at any time. Failed exports have no file (they were removed when
they failed).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from citylake.core.paths import Home
from service.exports import directory
from service.metadb import exports, writing

TTL_ENV = "CITYLAKE_SERVICE_EXPORT_TTL_HOURS"
log = logging.getLogger(__name__)


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


def sweep(engine: sa.Engine, h: Home, every: float, stop: threading.Event) -> None:
    """Expire the export files past their time to live every `every` seconds until `stop` is set (a worker's
    thread); a failed sweep is logged and the next one runs."""
    while not stop.wait(every):
        try:
            expire(engine, h, ttl_hours())
        except Exception:  # noqa: BLE001 - the sweep goes on; the failure is in the server's log
            log.exception("the export files' sweep failed; the next one runs in %s s", every)
