"""POST /v1/exports: an asynchronous bulk export (Parquet or CSV) of a granted dataset, pinned to a snapshot.

The request is checked like a records call (grant, columns, filters), recorded in the metadata
database (`exports`) and run in a background thread of the server: the rows are read at the
snapshot of the request, masked in SQL by the policy's macros (the same rules as records), CSV
cells through the formula-injection guard, written by DuckDB's COPY under the home (work/service_exports/<id>/)
and leak-checked by the one exit (egress.release) before the file is ready to download. Export
ids are random (`ex_` + 22 URL-safe characters); an id of another shape, or another app's, is 404.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel, Field

from citylake.core.paths import Home
from service import grants, records, sqlfiles
from service.apps import now
from service.egress import install_macros, release
from service.lake import Lake, Source
from service.metadb import export_requests, exports
from service.problems import Problem

FORMATS = {"parquet": ("data.parquet", "application/vnd.apache.parquet"), "csv": ("data.csv", "text/csv")}
ID = re.compile(r"^ex_[A-Za-z0-9_-]{22}$")


class ExportIn(BaseModel):
    resource_code: str = Field(max_length=32, description="as in the catalog, e.g. 102001001/000001")
    format: str = Field("parquet", pattern="^(parquet|csv)$")
    select: list[str] | None = Field(None, min_length=1, max_length=200, description="columns; default all readable")
    filters: dict[str, str] = Field(default_factory=dict, max_length=20,
                                    description='as records filters, e.g. {"township_code": "eq.510603100"}')
    as_of: int | None = Field(None, ge=0, description="an older snapshot still kept; default the current one")


@dataclass(frozen=True)
class Job:
    export_id: str
    req: records.Request
    snapshot: int
    fmt: str


def directory(h: Home, export_id: str) -> Path:
    """Where an export is written (in the restricted zone, under the home's work/)."""
    if not ID.match(export_id):
        raise Problem(404, "unknown export id")
    return h.service_exports / export_id


def create(engine: sa.Engine, req: records.Request, snapshot: int, fmt: str, filters: dict[str, str]) -> Job:
    """The export's row, `running`, and what it asked (`filters`: the caller's, to run it again after a stop)."""
    job = Job(f"ex_{secrets.token_urlsafe(16)}", req, snapshot, fmt)
    with engine.begin() as conn:
        conn.execute(exports.insert().values(
            export_id=job.export_id, client_id=req.client_id, dataset=req.entry.resource_code,
            application_id=req.access.application_id, format=fmt, columns=json.dumps(req.columns),
            snapshot_id=snapshot, status="running", created_at=now()))
        conn.execute(export_requests.insert().values(export_id=job.export_id, filters=json.dumps(filters)))
    return job


def _columns(req: records.Request) -> list[dict]:
    return [{"name": c, "macro": grants.leaving_rule(req.access, c)} for c in req.columns]


def _write(lake: Lake, job: Job, staged: Path) -> int:
    """The rows of the export, masked, written to `staged` by DuckDB's COPY (on all cores); the row count."""
    entry, req = job.req.entry, job.req
    with lake.bulk_cursor() as cur:
        install_macros(cur)
        specs, params = records.compile_filters(req.filters, lake.column_types(cur, entry, job.snapshot))
        source = Source(entry.schema_name, entry.table_name)            # the lake table at the snapshot
        sql = sqlfiles.render("export.sql.j2", source=source, columns=_columns(req), filters=specs,
                              fmt=job.fmt, path=str(staged))
        return int(cur.execute(sql, {**source.params(job.snapshot), **params}).fetchone()[0])


def run(engine: sa.Engine, lake: Lake, h: Home, job: Job) -> None:
    """Write, leak-check and release the export; its row says ready (with rows and bytes) or failed."""
    name = FORMATS[job.fmt][0]
    root = directory(h, job.export_id)
    staged = root / "staging" / name
    staged.parent.mkdir(parents=True, exist_ok=True)
    try:
        rows = _write(lake, job, staged)
        forbidden = {i.column_name for i in job.req.entry.items} - set(job.req.columns)
        dest = release(staged, root / name, forbidden_columns=forbidden, unmasked_columns=set(job.req.access.unmasked))
        done = {"status": "ready", "rows": rows, "bytes": dest.stat().st_size}
    except Exception as e:  # noqa: BLE001 - a failed export is reported by its status, never half-served
        shutil.rmtree(root, ignore_errors=True)
        done = {"status": "failed", "detail": f"{type(e).__name__}: {str(e)[:300]}"}
    finish(engine, job.export_id, **done)


def finish(engine: sa.Engine, export_id: str, **done) -> None:  # noqa: ANN003 - the row's columns
    """The export's row says how it ended (status ready or failed, with rows, bytes or the detail), and when."""
    with engine.begin() as conn:
        conn.execute(exports.update().where(exports.c.export_id == export_id).values(finished_at=now(), **done))


def start(engine: sa.Engine, lake: Lake, h: Home, job: Job) -> None:
    threading.Thread(target=run, args=(engine, lake, h, job), name=f"export-{job.export_id}", daemon=True).start()


def get(engine: sa.Engine, export_id: str, client_id: str) -> dict:
    """An export of this app (404 for a malformed id, an unknown one or another app's)."""
    if not ID.match(export_id):
        raise Problem(404, "unknown export id")
    with engine.connect() as conn:
        row = conn.execute(sa.select(exports).where(exports.c.export_id == export_id,
                                                    exports.c.client_id == client_id)).first()
    if row is None:
        raise Problem(404, "unknown export id")
    return dict(row._mapping, columns=json.loads(row.columns))
