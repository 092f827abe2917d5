"""`citylake serve` and `citylake service …`: the data service and its operator commands.

    citylake serve [--host 127.0.0.1] [--port 8090] [--workers 1]
    citylake service apps add --department civil --name 低保核对系统 [--json]
    citylake service apps list | rotate CLIENT_ID | revoke CLIENT_ID | quota CLIENT_ID --per-minute N
    citylake service tokens revoke JTI
    citylake service log verify | show | anchor [--json]
    citylake service applications [--status pending_review] | refuse ID --department D --reason R
    citylake service applications review ID --pass [--reason N] | review ID --return --reason R
    citylake service applications approve ID --department D [--columns a,b] [--no-clear] [--reason R]
    citylake service applications apply --department D --resource R --columns a,b --purpose P --legal-basis L --valid-until D
                                        [--unmasked a]
    citylake service objections [--department D] [--status open|resolved|all] | resolve ID --note N
    citylake service usage --department D [--days 30] [--json]
    citylake service exports expire [--hours 72]
    citylake service verification [--all] | withdraw [--app CLIENT_ID] [--element id_number] --reason R | restore N
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from citylake.core.errors import UserError
from citylake.core.paths import home
from ingest.cli import DEPARTMENT

service_app = typer.Typer(help="The data service (数据共享交换服务): apps, tokens, exchange log.", no_args_is_help=True)
apps_app = typer.Typer(help="Department apps (应用) that call the service.", no_args_is_help=True)
tokens_app = typer.Typer(help="Access tokens.", no_args_is_help=True)
log_app = typer.Typer(help="The service's hash-chained exchange log.", no_args_is_help=True)
service_app.add_typer(apps_app, name="apps")
service_app.add_typer(tokens_app, name="tokens")
service_app.add_typer(log_app, name="log")
console = Console()


def _settings():
    from service.settings import Settings

    h = home().require_lake()     # the service serves a built lake: nothing made before
    try:
        return Settings.from_home(h)
    except ValueError as e:         # a setting of the environment out of its range: one line, exit 2
        raise UserError(str(e)) from e


def _engine():
    from service.metadb import open_engine

    return open_engine(_settings().db_url)


def serve_cmd(host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)"),
              port: int = typer.Option(8090, help="TCP port"),
              workers: int = typer.Option(1, min=1, help="Worker processes")) -> None:
    """Serve the lake read-only over HTTP (/v1, docs at /docs) for department systems."""
    import uvicorn

    from service import export_expiry, export_resume
    from service import log as exchange_log

    s = _settings()
    engine = _engine()              # tables and keys exist before the workers start
    try:
        export_expiry.expire(engine, s.home, export_expiry.ttl_hours())
        export_resume.queue_interrupted(engine, s.home)      # cut off by the last stop: the workers resume them
        exchange_log.anchor(engine, exchange_log.anchors_file(s.home), s.anchor_url)   # the head as this start found it
    except ValueError as e:
        raise UserError(str(e)) from e
    engine.dispose()
    s.key("jwt"), s.key("cursor")
    console.print(f"citylake service on http://{host}:{port}/v1 (docs /docs), home {s.home.root}")
    # a worker that does not answer uvicorn's health ping in time is killed and restarted: on a loaded
    # machine its start alone (imports, the lake attached) can take longer than uvicorn's 5 s default
    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", server_header=False, timeout_worker_healthcheck=120)


@apps_app.command("add")
def apps_add(department: str = typer.Option(..., help="Department id of the feed registry (e.g. civil)",
                                             callback=DEPARTMENT.check),
             name: str = typer.Option(..., help="The app's name, e.g. 低保核对系统"),
             as_json: bool = typer.Option(False, "--json", help='Print {"client_id", "client_secret"} only')) -> None:
    """Register an app; prints its client id and secret ONCE (the secret is stored argon2-hashed)."""
    from ingest import registry
    from service import apps

    try:
        app, secret = apps.add(_engine(), department, name, set(registry.departments()))
    except apps.AppError as e:
        raise UserError(str(e)) from e
    if as_json:
        print(json.dumps({"client_id": app.client_id, "client_secret": secret}))
        return
    console.print(f"app {app.name} of {app.department}\nclient_id     {app.client_id}\nclient_secret {secret}\n"
                  "[yellow]The secret is shown once; store it in the department system now.[/]")


@apps_app.command("rotate")
def apps_rotate(client_id: str,
                as_json: bool = typer.Option(False, "--json", help='Print {"client_id", "client_secret"} only')) -> None:
    """A new secret; the previous one stays valid until the next rotation (two live at once)."""
    from service import apps

    try:
        secret = apps.rotate(_engine(), client_id)
    except apps.AppError as e:
        raise UserError(str(e)) from e
    if as_json:
        print(json.dumps({"client_id": client_id, "client_secret": secret}))
        return
    console.print(f"client_id     {client_id}\nclient_secret {secret}\n[yellow]Shown once.[/]")


@apps_app.command("revoke")
def apps_revoke(client_id: str) -> None:
    """Revoke an app: no new tokens, and its live tokens are refused on the next call."""
    from service import apps

    try:
        apps.revoke(_engine(), client_id)
    except apps.AppError as e:
        raise UserError(str(e)) from e
    console.print(f"app {client_id} revoked")


@apps_app.command("quota")
def apps_quota(client_id: str,
               per_minute: int = typer.Option(None, "--per-minute", min=1, help="Requests per minute"),
               rows_per_day: int = typer.Option(None, "--rows-per-day", min=1, help="Records rows per day")) -> None:
    """Set an app's quotas (without options: back to the service defaults); past one, calls get 429."""
    from service import quotas

    try:
        quotas.set_limits(_engine(), client_id, per_minute, rows_per_day)
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"app {client_id}: {per_minute or 'default'} requests/min, {rows_per_day or 'default'} rows/day")


@apps_app.command("list")
def apps_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """The registered apps (never their secrets)."""
    from service import apps

    rows = apps.listing(_engine())
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("client_id", "department", "name", "status", "live secrets", "created")
    for r in rows:
        table.add_row(r["client_id"], r["department"], r["name"], r["status"], str(r["live_secrets"]), r["created_at"])
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(jti: str = typer.Argument(..., help="The token id (jti), as in the exchange log")) -> None:
    """Revoke one access token: refused on its next call."""
    from service import apps

    apps.revoke_token(_engine(), jti)
    console.print(f"token {jti} revoked")


@log_app.command("verify")
def log_verify() -> None:
    """Recompute the hash chain of the exchange log and check its anchors; exit 1 naming the rows that were
    tampered with, or an anchored row that is gone (the newest rows cut off)."""
    from service import log

    engine, kept = _engine(), log.anchors(log.anchors_file(_settings().home))
    n, problems = log.verify(engine)
    problems += log.check_anchors(engine, kept)
    for p in problems:
        console.print(f"[red]{p}[/]")
    for w in log.unshipped(kept):            # not tampering: the guard against editing the home too is weaker
        console.print(f"[yellow]{w}[/]")
    if problems:
        raise typer.Exit(1)
    console.print(f"exchange log intact: {n} rows, hash chain verified, {len(kept)} anchor(s) found in it")


@log_app.command("anchor")
def log_anchor(as_json: bool = typer.Option(False, "--json", help="Print the anchor line only")) -> None:
    """Write the chain's head (seq, hash) to the home's anchors file, so that `log verify` sees a cut-off tail;
    with CITYLAKE_SERVICE_ANCHOR_URL set it is also POSTed there, off the machine (a notary, a write-once store)."""
    from service import log

    s = _settings()
    path = log.anchors_file(s.home)
    line = log.anchor(_engine(), path, s.anchor_url)
    if line is None:                # nothing to cut off yet: not an error
        console.print("the exchange log is empty: nothing to anchor yet")
        return
    if as_json:
        print(json.dumps(line, sort_keys=True))
        return
    console.print(f"anchored row {line['seq']} ({line['row_hash'][:16]}…) in {path}")
    if line.get("shipped") is False:
        console.print(f"[yellow]not shipped to CITYLAKE_SERVICE_ANCHOR_URL: {line['ship_error']}[/]")
    elif line.get("shipped"):
        console.print("shipped to CITYLAKE_SERVICE_ANCHOR_URL")


@log_app.command("show")
def log_show(limit: int = typer.Option(20, min=1, max=1000)) -> None:
    """The latest calls."""
    from service import log

    table = Table("seq", "at", "client", "method", "path", "status", "rows", "snapshot", "ms", "detail")
    for r in log.recent(_engine(), limit):
        cells = [str(r[k]) if r[k] is not None else "" for k in
                 ("seq", "at", "client_id", "method", "path", "status", "rows", "snapshot_id", "latency_ms", "detail")]
        table.add_row(*cells[:-1], cells[-1][:60])
    console.print(table)


applications_app = typer.Typer(help="Sharing applications (共享申请) for 有条件共享 data: list, approve, refuse.",
                               invoke_without_command=True)
service_app.add_typer(applications_app, name="applications")


@applications_app.callback()
def applications_list(ctx: typer.Context,
                      status: str = typer.Option(None, help="Only pending_review (the platform's review), pending "
                                                            "(with the provider), approved, refused or returned"),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """The applications with the platform's review clock and the provider's reply clock (working days used, due
    date, overdue), and what each asked vs what its provider approved."""
    if ctx.invoked_subcommand:
        return
    from datetime import date

    from service import applications

    s = _settings()
    from catalogs.grants import STATUSES

    if status not in (None, *STATUSES):
        raise UserError(f"--status must be one of {', '.join(STATUSES)}, not {status!r}")
    rows = [r for r in applications.listing(_engine(), date.today(), s.reply_working_days,
                                            review_days=s.review_working_days) if status in (None, r["status"])]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "applicant", "resource", "provider", "status", "applied", "review", "reply due", "working days",
                  "valid until", "requested", "approved", "reason", caption="* in clear (明文): asked / approved")
    for r in rows:
        clock = r["clock_note"] or ("–" if r["working_days"] is None else f"{r['working_days']}") + (
            " [red]overdue[/]" if r["overdue"] else "")
        status = r["status"] + (" (expired)" if r["expired"] else "") + (" (part)" if r["cut"] else "")
        table.add_row(r["application_id"], r["department"], r["resource_code"], r["provider"], status,
                      r["applied_on"], _review_cell(r), r["reply_due"] or "–", clock, r["valid_until"],
                      _marked(r["requested_columns"], r["requested_unmasked"]),
                      "all requested" if r["approved_columns"] is not None and not r["cut"]
                      else _marked(r["approved_columns"], r["approved_unmasked"]), r["reason"] or r["review_note"] or "")
    console.print(table)


def _review_cell(r: dict) -> str:
    """The platform's review of a listed application: its clock while under review, else the day it ended."""
    if r["status"] == "pending_review":
        return (f"due {r['review_due']}, {r['review_working_days']} wd" if r["review_due"] else "under review") + (
            " [red]overdue[/]" if r["review_overdue"] else "")
    if r["reviewed_on"]:
        return f"{'returned' if r['status'] == 'returned' else 'passed'} {r['reviewed_on']}"
    return "–"


def _decide(application_id: str, department: str, approve: bool, reason: str, part=None) -> None:  # noqa: ANN001
    from datetime import date

    from service import applications

    try:
        row = applications.decide(_engine(), application_id, department, approve, reason, date.today(), part)
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"application {application_id} {'approved' if approve else 'refused'} by {department}"
                  + (f": {_part_line(row)}" if approve else ""))


def _part_line(row: dict) -> str:
    """`columns a,b of a,b,c; in clear: …` of an approval (its stored row)."""
    from service.applications import requested_and_approved

    part = requested_and_approved(row)
    cols, asked = part["approved_columns"], part["requested_columns"]
    clear, asked_clear = part["approved_unmasked"], part["requested_unmasked"]
    return (f"columns {','.join(cols)}" + (f" of {','.join(asked)}" if cols != asked else "")
            + (f"; in clear: {','.join(clear) or 'none'}" + (f" (asked {','.join(asked_clear)})" if clear != asked_clear
                                                             else "") if asked_clear else ""))


def _marked(columns: list[str] | None, clear: list[str] | None) -> str:
    """Columns with those in clear (明文) marked `*`."""
    return "–" if columns is None else ",".join(c + ("*" if c in (clear or ()) else "") for c in columns)


@applications_app.command("approve")
def applications_approve(application_id: str,
                         department: str = typer.Option(..., help="The provider department deciding",
                                                         callback=DEPARTMENT.check),
                         columns: str = typer.Option(None, help="Approve only these of the requested columns "
                                                                "(comma-separated; default all)"),
                         no_clear: bool = typer.Option(False, "--no-clear",
                                                       help="Refuse the in-clear (明文) right: the personal columns "
                                                            "asked in clear leave masked"),
                         reason: str = typer.Option("", help="A note for the applicant; required when "
                                                             "--columns or --no-clear cut anything")) -> None:
    """Approve an application, or part of it: it becomes a grant of the approved columns (masked unless approved
    in clear) and its row filter until its valid-until."""
    from service.applications import Part

    cols = None if columns is None else tuple(c.strip() for c in columns.split(",") if c.strip())
    _decide(application_id, department, True, reason, Part(cols, not no_clear))


@applications_app.command("refuse")
def applications_refuse(application_id: str,
                        department: str = typer.Option(..., help="The provider department deciding",
                                                         callback=DEPARTMENT.check),
                        reason: str = typer.Option(..., help="Why (required): the applicant sees it")) -> None:
    """Refuse an application, with the reason the applicant sees."""
    _decide(application_id, department, False, reason)


@applications_app.command("review")
def applications_review(application_id: str,
                        passed: bool = typer.Option(None, "--pass/--return",
                                                    help="Pass it on to its provider, or return it to the applicant"),
                        reason: str = typer.Option("", help="Why (required with --return: the applicant sees it); "
                                                            "a note with --pass")) -> None:
    """The platform's conformity review (合规性审核): purpose and legal basis stated, the request conforms to the
    catalog's sharing type. Passed, the application goes to its provider; returned, the applicant files again."""
    from datetime import date

    from service import review

    engine = _engine()  # no platform home yet: that is what the operator needs to hear first
    if passed is None:
        raise UserError("give --pass (on to the provider) or --return --reason R (back to the applicant)")
    try:
        done = review.review(engine, _entry_of(engine, application_id) if passed else None, application_id, passed,
                             reason, date.today())
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"application {application_id} " + (f"passed the conformity review: now with its provider "
                                                       f"{done['provider']}" if passed else
                                                       f"returned to {done['department']}: {reason.strip()}"))


def _entry_of(engine, application_id: str):  # noqa: ANN001, ANN202 - a SQLAlchemy engine; an Entry or None
    """The catalog entry an application names, as the lake publishes it now (None: not in it, or no application)."""
    from catalogs.grants import all_applications
    from service.lake import Lake
    from service.problems import Problem

    code = next((r["resource_code"] for r in all_applications(engine) if r["application_id"] == application_id), None)
    if code is None:
        return None
    lake = Lake(_settings().home)
    try:
        with lake.cursor() as cur:
            return lake.entry(cur, lake.snapshot(cur), code.replace("/", "-"))
    except Problem:
        return None                      # not in the catalog any more: the review names it


@applications_app.command("apply")
def applications_apply(department: str = typer.Option(..., help="The applying department",
                                                      callback=DEPARTMENT.check),
                       resource: str = typer.Option(..., help="Resource code, e.g. 101001001/000001"),
                       columns: str = typer.Option(..., help="Comma-separated data items (columns)"),
                       purpose: str = typer.Option(..., help="用途: what the data is for"),
                       legal_basis: str = typer.Option(..., help="依据: the law or duty it serves"),
                       valid_until: str = typer.Option(..., help="YYYY-MM-DD, the last day of the grant"),
                       unmasked: str = typer.Option("", help="Comma-separated personal columns asked in clear (明文), "
                                                             "among --columns; the others leave masked")) -> None:
    """File an application for a department without an app: it grants the department's nightly share
    packages (publish/share/<department>/) once approved; apps apply over POST /v1/applications."""
    from datetime import date

    from pydantic import ValidationError

    from service import applications
    from service.lake import Lake
    from service.problems import Problem

    s = _settings()
    try:
        body = applications.ApplicationIn(resource_code=resource, columns=[c.strip() for c in columns.split(",")
                                                                           if c.strip()],
                                          purpose=purpose, legal_basis=legal_basis, valid_until=valid_until,
                                          unmasked=[c.strip() for c in unmasked.split(",") if c.strip()])
        lake = Lake(s.home)
        with lake.cursor() as cur:
            entry = lake.entry(cur, lake.snapshot(cur), resource.replace("/", "-"))
        row = applications.apply(_engine(), None, entry, body, date.today(), department=department)
    except ValidationError as e:
        raise UserError(f"invalid application: {e.errors()[0]['loc'][0]}: {e.errors()[0]['msg']}") from e
    except Problem as e:
        raise UserError(e.detail) from e
    console.print(f"filed {row['application_id']} ({row['status']}: the platform's conformity review first) for "
                  f"{department}: {entry.resource_code}, decided by {entry.provider_id}")


objections_app = typer.Typer(help="Objections (数据纠错): wrong values reported by consumers; list, resolve.",
                             invoke_without_command=True)
service_app.add_typer(objections_app, name="objections")


@objections_app.callback()
def objections_list(ctx: typer.Context,
                    department: str = typer.Option(None, help="Only those of this provider department",
                                                   callback=DEPARTMENT.check),
                    status: str = typer.Option("open", help="open, resolved or all"),
                    as_json: bool = typer.Option(False, "--json")) -> None:
    """The objections to the provider departments' data; their records are flagged 存疑 until resolved."""
    if ctx.invoked_subcommand:
        return
    from service import objections

    if status not in ("open", "resolved", "all"):
        raise UserError(f"--status must be open, resolved or all, not {status!r}")
    rows = objections.listing(_engine(), department, None if status == "all" else status)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "provider", "dataset", "record", "field", "claimed", "evidence", "from", "status", "note")
    for r in rows:
        table.add_row(r["objection_id"], r["provider"], r["resource_code"], json.dumps(r["record_key"], ensure_ascii=False),
                      r["field"], r["claimed_value"], r["evidence"][:60], r["department"], r["status"], r["note"] or "")
    console.print(table)


@objections_app.command("resolve")
def objections_resolve(objection_id: str, note: str = typer.Option(..., help="What was checked or corrected")) -> None:
    """Resolve an objection: its record is no longer flagged 存疑."""
    from service import objections

    try:
        objections.resolve(_engine(), objection_id, note)
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"objection {objection_id} resolved")


@service_app.command("usage")
def usage_cmd(department: str = typer.Option(..., help="The provider department whose data was used",
                                             callback=DEPARTMENT.check),
              days: int = typer.Option(30, min=1, max=366, help="The days up to today (UTC) to count"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Who used a provider department's data (谁使用了本部门数据): departments, apps, calls, rows, purposes
    from the exchange log — the same figures as the department's quality report."""
    from datetime import UTC, datetime

    from catalogs.feedback import Reader

    reader = Reader(_settings().home, datetime.now(UTC).date().isoformat(), days)
    try:
        rows = reader(department)["usage"]
    finally:
        reader.close()
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("department", "app", "dataset", "calls", "refused", "rows", "purposes (calls)", "last call",
                  title=f"{department}: {reader.since} .. {reader.until} (exclusive)")
    for u in rows:
        table.add_row(u["department"] or "–", f"{u['app_name'] or '–'} {u['client_id'] or ''}",
                      f"{u['resource_code']} {u['dataset_zh']}" + (" (核验 verify)" if u["use"] == "verify" else ""),
                      f"{u['calls']:,}", f"{u['refused']:,}",
                      f"{u['rows']:,}", "; ".join(f"{p or '(none)'} ({n})" for p, n in u["purposes"].items()),
                      u["last_call"][:16])
    console.print(table if rows else f"no calls on {department}'s data from {reader.since} to {reader.until}")


exports_app = typer.Typer(help="Bulk exports (批量导出): their files expire.", no_args_is_help=True)
service_app.add_typer(exports_app, name="exports")


@exports_app.command("expire")
def exports_expire(hours: float = typer.Option(None, min=0, help="Time to live in hours "
                                                "(default CITYLAKE_SERVICE_EXPORT_TTL_HOURS, else 72)")) -> None:
    """Remove the files of ready exports older than the time to live; they answer `expired`."""
    from service import export_expiry

    try:
        ttl = export_expiry.ttl_hours(None if hours is None else str(hours))
    except ValueError as e:
        raise UserError(str(e)) from e
    ids = export_expiry.expire(_engine(), _settings().home, ttl)
    console.print(f"{len(ids)} export file(s) older than {ttl:g} h removed" + (f": {', '.join(ids)}" if ids else ""))


verification_app = typer.Typer(help="The verification policy (核验策略): every app may verify unless withdrawn.",
                               invoke_without_command=True)
service_app.add_typer(verification_app, name="verification")


@verification_app.callback()
def verification_list(ctx: typer.Context,
                      include_restored: bool = typer.Option(False, "--all", help="Also the restored withdrawals"),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """The withdrawals of verification in force (with --all, the restored ones too)."""
    if ctx.invoked_subcommand:
        return
    from service import verify_policy

    rows = verify_policy.listing(_engine(), include_restored)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "app", "element", "reason", "withdrawn", "restored")
    for r in rows:
        table.add_row(str(r["withdrawal_id"]), r["client_id"] or "(every app)", r["element"] or "(every element)",
                      r["reason"], r["withdrawn_at"], r["restored_at"] or "")
    console.print(table if rows else "verification is open to every registered app: nothing withdrawn")


@verification_app.command("withdraw")
def verification_withdraw(client_id: str = typer.Option(None, "--app", help="The app (client id); default every app"),
                          element: str = typer.Option(None, help="The element looked up: id_number (person) or "
                                                                 "uscc (entity); default every element"),
                          reason: str = typer.Option(..., help="Why (shown to the refused app)")) -> None:
    """Withdraw verification for an app, an element or both: the next such call is refused (403, the reason)."""
    from service import verify_policy
    from service.verify import sources

    elements = {src.key_field for src in sources().values()}
    try:
        wid = verify_policy.withdraw(_engine(), reason, elements, client_id, element)
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"withdrawal {wid}: verification of {element or 'every element'} withdrawn for "
                  f"{client_id or 'every app'}")


@verification_app.command("restore")
def verification_restore(withdrawal_id: str = typer.Argument(..., help="The withdrawal's id, as listed")) -> None:
    """End a withdrawal: verification is allowed again where no other withdrawal applies."""
    from service import verify_policy

    engine = _engine()              # the home first: an empty one says what to run
    if not withdrawal_id.isdigit():
        raise UserError(f"a withdrawal id is a number (as listed by `citylake service verification`), not {withdrawal_id!r}")
    try:
        verify_policy.restore(engine, int(withdrawal_id))
    except ValueError as e:
        raise UserError(str(e)) from e
    console.print(f"withdrawal {withdrawal_id} restored")
