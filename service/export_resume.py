"""Exports cut off by a stopped server, resumed at the next start (批量导出续传).

An export still `running` when `citylake serve` starts was cut off by the previous server's stop (its thread died
with its worker): the start marks it `queued` and removes its half-written files (`queue_interrupted`). Each worker,
as it starts, claims the queued exports one at a time (`resume_queued`; a claim is one serialised update, so one
worker takes each) and runs each again pinned to its own snapshot, after the checks of its creation made again now:
the app still active, the grant it was created under still the app's grant of the dataset and in force (a grant
expired or withdrawn meanwhile fails it with that reason), its columns and filters still allowed. An export whose
snapshot the lake no longer keeps is `failed`, the reason naming the snapshot.
"""

from __future__ import annotations

import json
import shutil
from datetime import date

import sqlalchemy as sa

from citylake.core.paths import Home
from service import applications, apps, exports, grants, records
from service.lake import Lake
from service.metadb import export_requests, writing
from service.metadb import exports as table
from service.problems import Problem

RESUMING = "resuming: the service stopped before the export finished"
NOT_RESUMED = "not resumed after the service stopped: {why}; create it again"


def queue_interrupted(engine: sa.Engine, h: Home) -> list[str]:
    """At the service's start: exports left `running` by a stopped server become `queued` (files removed)."""
    with writing(engine) as conn:
        ids = list(conn.execute(sa.select(table.c.export_id).where(table.c.status == "running")).scalars())
        for export_id in ids:
            shutil.rmtree(exports.directory(h, export_id), ignore_errors=True)
            conn.execute(table.update().where(table.c.export_id == export_id).values(status="queued", detail=RESUMING))
    return ids


def _claim(engine: sa.Engine, export_id: str) -> dict | None:
    """The queued export, now `running` for this worker; None when another worker took it first."""
    with writing(engine) as conn:
        taken = conn.execute(table.update().where(table.c.export_id == export_id, table.c.status == "queued")
                             .values(status="running", detail=None)).rowcount
        row = conn.execute(sa.select(table, export_requests.c.filters).outerjoin(export_requests)
                           .where(table.c.export_id == export_id)).first() if taken else None
    return None if row is None else dict(row._mapping)


def _job(engine: sa.Engine, lake: Lake, row: dict) -> exports.Job:
    """The export as it was created, checked again now; a Problem naming why it cannot run."""
    if row["filters"] is None:
        raise Problem(409, "what it asked was not recorded (an export of an older version)")
    with engine.connect() as conn:
        app = apps.get(conn, row["client_id"])
        grant = applications.grants_of(conn, row["client_id"]).get(row["dataset"])
    if app is None or app.status != "active":
        raise Problem(401, f"app {row['client_id']} is no longer active")
    with lake.cursor() as cur:
        if not lake.kept(cur, row["snapshot_id"]):
            raise Problem(410, f"snapshot {row['snapshot_id']} it was pinned to is no longer kept in the lake")
        entry = lake.entry(cur, lake.snapshot(cur), row["dataset"].replace("/", "-"))
    a = grants.readable(entry, grant, date.today())
    if a.application_id != row["application_id"]:
        raise Problem(403, f"the grant it was created under ({row['application_id'] or 'no application'}) is no "
                           "longer the app's grant of the dataset")
    fs = [records.parse_filter(c, v) for c, v in json.loads(row["filters"]).items()]
    req = records.granted(row["client_id"], entry, a, json.loads(row["columns"]), fs)
    return exports.Job(row["export_id"], req, row["snapshot_id"], row["format"])


def resume_queued(engine: sa.Engine, lake: Lake, h: Home) -> None:
    """Claim the queued exports and run each again in its own thread, or fail it with the reason."""
    with engine.connect() as conn:
        ids = list(conn.execute(sa.select(table.c.export_id).where(table.c.status == "queued")).scalars())
    for export_id in ids:
        row = _claim(engine, export_id)
        if row is None:
            continue
        try:
            job = _job(engine, lake, row)
        except Exception as e:  # noqa: BLE001 - one that cannot run again is failed with why, never left running
            why = e.detail if isinstance(e, Problem) else f"{type(e).__name__}: {str(e)[:300]}"
            exports.finish(engine, export_id, status="failed", detail=NOT_RESUMED.format(why=why))
            continue
        exports.start(engine, lake, h, job)
