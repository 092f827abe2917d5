"""The FastAPI application of `citylake serve` (one per worker process; `create_app` is uvicorn's factory).

Routes stay thin: authentication in `caller`, grants in service.grants, queries in service.records
and service.verify; every /v1 call, refused ones too, is written to the exchange log by `LogCalls`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import unquote

from fastapi import Body, Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import OAuth2
from fastapi_offline import FastAPIOffline
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalogs.feedback import verification_dataset
from citylake.core.paths import home
from service import (
    applications,
    apps,
    export_expiry,
    export_resume,
    exports,
    formats,
    grants,
    objections,
    quotas,
    records,
    tokens,
    verify_policy,
)
from service import log as exchange_log
from service.access import Access, NotKept
from service.apps import now
from service.egress import check_page, rule_of
from service.lake import Entry, Lake
from service.metadb import open_engine
from service.problems import Problem, response
from service.settings import Settings
from service.verify import Verifier, VerifyAnswer, VerifyQuery, sources

log = logging.getLogger(__name__)
_oauth2 = OAuth2(flows={"clientCredentials": {"tokenUrl": "/v1/token", "scopes": {}}}, auto_error=False,
                 description="OAuth2 client credentials: POST /v1/token, then Authorization: Bearer <token>")


@dataclass(frozen=True)
class Caller:
    client_id: str
    department: str
    jti: str


def _json(body, snapshot: int | None = None) -> Response:
    headers = {"Cache-Control": "no-store"} | ({"X-Snapshot-Id": str(snapshot)} if snapshot is not None else {})
    return Response(json.dumps(body, ensure_ascii=False, default=str, separators=(",", ":")),
                    media_type="application/json", headers=headers)


async def caller(request: Request, authorization: Annotated[str | None, Depends(_oauth2)] = None) -> Caller:
    """The app behind the bearer token; 401 unless the token is valid, its app active and it is not revoked;
    429 past the app's quota. In the event loop when every value is kept in memory, else in a worker thread."""
    try:
        return _caller(request, authorization, kept_only=True)
    except NotKept:
        return await run_in_threadpool(_caller, request, authorization)


def _caller(request: Request, authorization: str | None, kept_only: bool = False) -> Caller:
    claims = request.app.state.tokens.decode(tokens.bearer(authorization))
    access: Access = request.app.state.access
    request.state.access_generation = g = access.sync(kept_only)
    app = access.token_live(g, claims["sub"], int(claims["sid"]), claims["jti"], kept_only)
    if app is None:
        raise Problem(401, "the access token was revoked, or its app or secret is no longer active")
    request.state.log.update(client_id=app.client_id, department=app.department, jti=claims["jti"])
    s: Settings = request.app.state.settings
    request.app.state.quotas.check(request.app.state.engine, app.client_id, s.quota_per_minute, s.quota_rows_per_day,
                                   quotas.utcnow(), kept_only)
    return Caller(app.client_id, app.department, claims["jti"])


def _grants(request: Request, who: Caller) -> dict:
    return request.app.state.access.grants_of(request.state.access_generation, who.client_id)


def _entry_view(e: Entry, grant=None) -> dict:
    a = grants.access(e, grant, date.today())
    return {"resource_code": e.resource_code, "path_code": e.path_code, "name_zh": e.name_zh, "name_en": e.name_en,
            "provider": e.provider_id, "provider_zh": e.provider_zh, "share_type": e.share_type,
            "share_type_zh": grants.SHARE_ZH.get(e.share_type), "access": a.state, "reason": a.reason,
            "update_cycle": e.update_cycle, "records": f"/v1/datasets/{e.path_code}/records"
            if a.state == "readable" else None}


def _item_view(i, clear: frozenset[str] = frozenset()) -> dict:  # noqa: ANN001 - a catalog Item
    """An item as this app sees it; `masked` false for a personal column its grant gives in clear."""
    return {"name": i.column_name, "name_zh": i.name_zh, "name_en": i.name_en, "type": i.data_type,
            "share_type": i.share_type, "pii": i.pii, "masked": rule_of(i, clear) is not None,
            "readable": grants.item_readable(i), "reason": grants.item_reason(i)}


def add_routes(app: FastAPI) -> None:
    @app.get("/v1/health", tags=["service"])
    def health(request: Request):
        """Liveness and the lake snapshot served now (no authentication)."""
        with request.app.state.lake.cursor() as cur:
            return _json({"status": "ok", "snapshot_id": request.app.state.lake.snapshot(cur)})

    @app.post("/v1/token", tags=["service"])
    def token(request: Request, grant_type: Annotated[str, Form()], client_id: Annotated[str, Form(max_length=64)],
              client_secret: Annotated[str, Form(max_length=200)]):
        """OAuth2 client credentials → a short-lived bearer token (JWT)."""
        request.state.log["client_id"] = client_id
        if grant_type != "client_credentials":
            raise Problem(400, "grant_type must be client_credentials", error="unsupported_grant_type")
        with request.app.state.engine.connect() as conn:
            found = apps.authenticate(conn, client_id, client_secret)
        if found is None:
            raise Problem(401, "unknown client, wrong secret, or the app is revoked", error="invalid_client")
        app_, secret_id = found
        s: Settings = request.app.state.settings
        tok, jti = tokens.issue(request.app.state.jwt_key, app_.client_id, app_.department, secret_id, s.token_ttl)
        request.state.log.update(department=app_.department, jti=jti)
        return _json({"access_token": tok, "token_type": "bearer", "expires_in": s.token_ttl})

    @app.get("/v1/catalog", tags=["catalog"])
    def catalog(request: Request, who: Annotated[Caller, Depends(caller)]):
        """The catalog as of the current snapshot, with what this app may read and why not."""
        lake = request.app.state.lake
        with lake.cursor() as cur:
            snap = lake.snapshot(cur)
            entries = list(lake.catalog(cur, snap).values())
        request.state.log.update(snapshot_id=snap, rows=len(entries))
        mine = _grants(request, who)
        return _json({"snapshot_id": snap, "entries": [_entry_view(e, mine.get(e.resource_code)) for e in entries]},
                     snap)

    @app.get("/v1/catalog/{code}", tags=["catalog"])
    def catalog_entry(request: Request, code: str, who: Annotated[Caller, Depends(caller)]):
        """One catalog entry and its data items (信息项), each with whether this app may read it."""
        lake = request.app.state.lake
        with lake.cursor() as cur:
            snap = lake.snapshot(cur)
            e = lake.entry(cur, snap, code)
        request.state.log.update(snapshot_id=snap, dataset=e.resource_code)
        grant = _grants(request, who).get(e.resource_code)
        clear = grants.access(e, grant, date.today()).unmasked
        return _json({**_entry_view(e, grant), "snapshot_id": snap,
                      "items": [_item_view(i, clear) for i in e.items]}, snap)

    add_data_routes(app)
    add_application_routes(app)
    add_export_routes(app)


def add_application_routes(app: FastAPI) -> None:
    @app.post("/v1/applications", tags=["applications"], status_code=201)
    def apply(request: Request, body: applications.ApplicationIn, who: Annotated[Caller, Depends(caller)]):
        """Apply for 有条件共享 data: columns, purpose, legal basis, valid-until, optional row filter. It starts
        `pending_review` (the platform's conformity review, `review_due`), then goes to the provider (`pending`)."""
        lake = request.app.state.lake
        with lake.cursor() as cur:
            e = lake.entry(cur, lake.snapshot(cur), body.resource_code.replace("/", "-"))
        request.state.log["dataset"] = e.resource_code
        with request.app.state.engine.connect() as conn:
            me = apps.get(conn, who.client_id)
        row = applications.apply(request.app.state.engine, me, e, body, date.today())
        request.state.log["application_id"] = row["application_id"]
        return _mine(request, who, row["application_id"], status=201)

    @app.get("/v1/applications", tags=["applications"])
    def my_applications(request: Request, who: Annotated[Caller, Depends(caller)]):
        """This app's applications: the platform's review clock and the provider's reply clock (working days),
        the answer, and requested vs approved columns."""
        return _mine(request, who)


def _mine(request: Request, who: Caller, only: str | None = None, status: int = 200) -> Response:
    s = request.app.state.settings
    rows = applications.listing(request.app.state.engine, date.today(), s.reply_working_days, who.client_id,
                                review_days=s.review_working_days)
    if only:
        resp = _json(next(r for r in rows if r["application_id"] == only))
    else:
        resp = _json({"applications": rows})
    resp.status_code = status
    return resp


def _data_request(request: Request, who: Caller, e: Entry, select: list[str] | None, fs: list[records.Filter],
                  limit: int = records.DEFAULT_LIMIT, cursor: str | None = None) -> records.Request:
    """A read of `e` under this app's grant: 403 unless readable; the grant's columns and row filter applied."""
    a = grants.readable(e, _grants(request, who).get(e.resource_code), date.today())
    request.state.log["application_id"] = a.application_id
    return records.granted(who.client_id, e, a, select, fs, limit, cursor)


def add_data_routes(app: FastAPI) -> None:
    @app.get("/v1/datasets/{code}/records", tags=["data"])
    def dataset_records(request: Request, code: str, who: Annotated[Caller, Depends(caller)]):
        """A page of records: `select=`, filters `<column>=eq.|in.|gt.|gte.|lt.|lte.|prefix.<value>`,
        `limit` (≤ 1000), `cursor` from the previous page, `as_of` an older snapshot still kept.
        Every page is read at one snapshot. JSON, or by `Accept` text/csv, application/vnd.apache.arrow.stream,
        application/vnd.apache.parquet (then the cursor is in `X-Next-Cursor`)."""
        lake, q = request.app.state.lake, request.query_params
        media = formats.negotiate(request.headers.get("accept"))
        with lake.cursor() as cur:
            current = lake.snapshot(cur)
            e = lake.entry(cur, current, code)           # grants: always the current catalog
            snap = records.as_of(q.get("as_of"), current)
            request.state.log["dataset"] = e.resource_code
            req = _data_request(request, who, e, records.select(q.get("select")), records.filters(q.multi_items()),
                                records.limit(q.get("limit")), q.get("cursor"))
            marks = request.app.state.access.open_marks(request.state.access_generation, e.resource_code)
            p = records.page(lake, cur, request.app.state.cursor_key, req, snap, marks)
            names = request.app.state.verifier.names(cur, current)
            check_page(p.records, p.carried, f"{e.path_code}-records", req.access.unmasked, names)   # the exit
            body = None if media == formats.JSON else formats.encode(cur, media, formats.table(p.records, p.carried))
        request.state.log.update(snapshot_id=p.snapshot, rows=len(p.records), columns=",".join(p.columns))
        if body is None:
            return _json({"records": p.records, "next_cursor": p.next_cursor, "snapshot_id": p.snapshot}, p.snapshot)
        return Response(body, media_type=media, headers={"X-Snapshot-Id": str(p.snapshot), "Cache-Control": "no-store",
                                                         **({"X-Next-Cursor": p.next_cursor} if p.next_cursor else {})})

    @app.post("/v1/datasets/{code}/objections", tags=["data"], status_code=201)
    def objection(request: Request, code: str, body: objections.ObjectionIn, who: Annotated[Caller, Depends(caller)]):
        """数据纠错: report a wrong value of one record (its key, the field, the claimed value, evidence);
        the record is flagged 存疑 in records responses until the provider department resolves it."""
        lake = request.app.state.lake
        with lake.cursor() as cur:
            snap = lake.snapshot(cur)
            e = lake.entry(cur, snap, code)
            request.state.log["dataset"] = e.resource_code
            key = [records.Filter(k, "eq", (v,)) for k, v in body.record_key.items()]
            p = records.page(lake, cur, request.app.state.cursor_key, _data_request(request, who, e, [body.field], key,
                                                                                     limit=2), snap)
        if not p.records:
            raise Problem(404, f"no record of {e.path_code} with key {body.record_key} that you may read")
        if len(p.records) > 1:
            raise Problem(400, f"the key {body.record_key} names several records of {e.path_code}: give a unique key")
        row = objections.file(request.app.state.engine, who.client_id, who.department, e.resource_code,
                              e.provider_id, body, snap)
        request.state.log.update(snapshot_id=snap, rows=0, columns=body.field)
        resp = _json({k: row[k] for k in ("objection_id", "status", "provider", "record_key", "field",
                                          "claimed_value", "created_at")}, snap)
        resp.status_code = 201
        return resp

    @app.post("/v1/verify", tags=["data"], response_model=VerifyAnswer)
    async def verify_call(request: Request, query: Annotated[VerifyQuery, Body()],
                          who: Annotated[Caller, Depends(caller)]):
        """核验: does this ID number belong to this name / is this USCC registered and active. Never the record.
        403 where the verification policy withdrew it for this app or this element."""
        src = sources()[query.kind]
        request.state.log["dataset"] = verification_dataset(f"{src.schema}.{src.table}")
        try:
            answer = _verify(request, query, who, kept_only=True)   # the index is built: in the event loop
        except NotKept:
            answer = await run_in_threadpool(_verify, request, query, who)
        request.state.log.update(snapshot_id=answer.snapshot_id, rows=0)
        return _json(answer.model_dump(), answer.snapshot_id)


def _verify(request: Request, query, who: Caller, kept_only: bool = False) -> VerifyAnswer:  # noqa: ANN001
    lake, verifier = request.app.state.lake, request.app.state.verifier
    withdrawn = request.app.state.access.verify_withdrawals(request.state.access_generation, kept_only)
    why = verify_policy.refusal(withdrawn, who.client_id, sources()[query.kind].key_field)
    if why:
        raise Problem(403, why)
    if kept_only:
        snap = lake.known_snapshot()
        if snap is None:
            raise NotKept("the current snapshot")
        return verifier.verify(None, query, snap, kept_only=True)
    with lake.cursor() as cur:
        return verifier.verify(cur, query, lake.snapshot(cur))


def _export_view(row: dict) -> dict:
    keys = ("export_id", "status", "format", "dataset", "application_id", "columns", "snapshot_id", "rows", "bytes",
            "detail", "created_at", "finished_at")
    ready = row["status"] == "ready"
    return {**{k: row[k] for k in keys}, "file": f"/v1/exports/{row['export_id']}/file" if ready else None}


def add_export_routes(app: FastAPI) -> None:
    @app.post("/v1/exports", tags=["exports"], status_code=202)
    def export_create(request: Request, body: exports.ExportIn, who: Annotated[Caller, Depends(caller)]):
        """Start a bulk export (Parquet or CSV) of a granted dataset at one snapshot; poll GET /v1/exports/{id}."""
        lake = request.app.state.lake
        with lake.cursor() as cur:
            current = lake.snapshot(cur)
            e = lake.entry(cur, current, body.resource_code.replace("/", "-"))
        request.state.log["dataset"] = e.resource_code
        snap = records.as_of(None if body.as_of is None else str(body.as_of), current)
        req = _data_request(request, who, e, body.select, [records.parse_filter(c, v) for c, v in body.filters.items()])
        job = exports.create(request.app.state.engine, req, snap, body.format, body.filters)
        exports.start(request.app.state.engine, lake, request.app.state.settings.home, job)
        request.state.log.update(snapshot_id=snap, columns=",".join(req.columns))
        resp = _json(_export_view(exports.get(request.app.state.engine, job.export_id, who.client_id)), snap)
        resp.status_code = 202
        return resp

    @app.get("/v1/exports/{export_id}", tags=["exports"])
    def export_status(request: Request, export_id: str, who: Annotated[Caller, Depends(caller)]):
        """An export of this app: running, ready (with its file) or failed."""
        row = exports.get(request.app.state.engine, export_id, who.client_id)
        request.state.log.update(dataset=row["dataset"], snapshot_id=row["snapshot_id"])
        return _json(_export_view(row), row["snapshot_id"])

    @app.get("/v1/exports/{export_id}/file", tags=["exports"])
    def export_file(request: Request, export_id: str, who: Annotated[Caller, Depends(caller)]):
        """The export's file once ready (409 before, 410 once expired); the grant is checked again at download."""
        row = exports.get(request.app.state.engine, export_id, who.client_id)
        request.state.log.update(dataset=row["dataset"], snapshot_id=row["snapshot_id"],
                                 application_id=row["application_id"], columns=",".join(row["columns"]))
        if row["status"] == "expired":
            raise Problem(410, f"export {export_id}: {row['detail']}")
        if row["status"] != "ready":
            raise Problem(409, f"export {export_id} is {row['status']}: poll GET /v1/exports/{export_id}")
        lake = request.app.state.lake
        with lake.cursor() as cur:
            e = lake.entry(cur, lake.snapshot(cur), row["dataset"].replace("/", "-"))
        grants.readable(e, _grants(request, who).get(e.resource_code), date.today())
        name, media = exports.FORMATS[row["format"]]
        request.state.log["rows"] = row["rows"]
        return FileResponse(exports.directory(request.app.state.settings.home, export_id) / name, media_type=media,
                            filename=f"{e.path_code}-{row['snapshot_id']}.{row['format']}",
                            headers={"X-Snapshot-Id": str(row["snapshot_id"]), "Cache-Control": "no-store"})


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(request: Request, p: Problem):
        if hasattr(request.state, "log"):      # /v1 calls are logged, with the refusal's detail
            request.state.log["detail"] = p.detail
        return response(p)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        err = (e.errors() or [{}])[0]
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        return await problem(request, Problem(400, f"{where}: {err.get('msg', 'invalid')}"))

    @app.exception_handler(HTTPException)
    async def http(request: Request, e: HTTPException):
        return await problem(request, Problem(e.status_code, str(e.detail), headers=dict(e.headers or {})))


class LogCalls:
    """Every /v1 call, refused ones too, into the exchange log before it is answered: the row is
    committed (group commit, service.log.Writer) when the response starts, and the response waits for
    it. X-Operator / X-Purpose headers (percent-encoded UTF-8 for Chinese) are logged with each call.
    A plain ASGI middleware: no extra task or stream per call."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            return await self.app(scope, receive, send)
        scope.setdefault("state", {})["log"] = {}
        start, started = time.perf_counter(), False

        async def logged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                await asyncio.wrap_future(scope["app"].state.log_writer.submit(_row(scope, message, start)))
            await send(message)

        try:
            await self.app(scope, receive, logged)
        except Exception:  # noqa: BLE001 - any failure answers 500 as a problem, and is logged
            if started:
                raise
            await response(Problem(500, "internal error: the call was logged; tell the platform operator"))(
                scope, receive, logged)


def _row(scope: Scope, start_message: Message, start: float) -> dict:
    """The exchange log row of a call whose response is starting."""
    req = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    resp = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start_message.get("headers", [])}
    return {**scope["state"]["log"], "at": now(), "method": scope["method"], "path": scope["path"][:500],
            "status": start_message["status"], "latency_ms": round((time.perf_counter() - start) * 1000, 3),
            "bytes": int(resp.get("content-length") or 0),
            "operator": unquote(req.get("x-operator", ""))[:200] or None,
            "purpose": unquote(req.get("x-purpose", ""))[:500] or None}


@asynccontextmanager
async def upkeep(app: FastAPI):
    """While a worker serves, one thread of it: first the exports the last stop cut off are resumed (claimed one by
    one: each by one worker), then the export files past their time to live are expired every
    CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS."""
    st, stop = app.state, threading.Event()

    def work() -> None:
        try:
            export_resume.resume_queued(st.engine, st.lake, st.settings.home)
        except Exception:  # noqa: BLE001 - the expiry sweep below must still run; the failure is in the server's log
            log.exception("resuming the exports the last stop cut off failed")
        export_expiry.sweep(st.engine, st.settings.home, st.settings.export_sweep_seconds, stop)

    threading.Thread(target=work, name="export-upkeep", daemon=True).start()
    yield
    stop.set()


def build(settings: Settings) -> FastAPI:
    app = FastAPIOffline(title="citylake data service (数据共享交换服务)", version="1", lifespan=upkeep,
                         description="Governed data for department systems: catalog, records, verification. "
                                     "See docs/service.md.")
    app.state.settings = settings
    app.state.engine = open_engine(settings.db_url)
    app.state.jwt_key = settings.key("jwt")
    app.state.tokens = tokens.Verified(app.state.jwt_key)
    app.state.cursor_key = settings.key("cursor")
    app.state.lake = Lake(settings.home, threads=settings.duckdb_threads)
    app.state.verifier = Verifier(app.state.lake)
    app.state.access = Access(app.state.engine)
    app.state.quotas = quotas.Window()
    app.state.log_writer = exchange_log.Writer(app.state.engine, app.state.quotas.committed)
    add_routes(app)
    add_error_handlers(app)
    app.add_middleware(LogCalls)
    return app


def create_app() -> FastAPI:
    """uvicorn's factory: the home from CITYLAKE_HOME, chosen once per worker."""
    return build(Settings.from_home(home()))
