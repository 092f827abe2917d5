"""Open data and sharing packages, leak-checked, logged — and the nightly publish step.

    publish/open/<schema>.<table>/data.parquet|data.csv|resource.json   open data (开放数据)
    publish/open/catalog/open_catalog.csv|xlsx|jsonld                   open catalog (开放目录)
    publish/share/<department>/<application>__<schema>.<table>/...      sharing packages (共享数据包)
    publish/share/_catalog/share_catalog.csv|xlsx                       sharing catalog (共享目录)

Open data carries only items whose open type is unconditional. A sharing package carries only
what the department may have: unconditional items, plus conditional items covered by an
approved, unexpired application of that department; not-shared items never. Personal data is
masked by the policy's macros (catalogs/sql/masking.sql) before it is written; free text is
scrubbed. Everything is written to a staging area in the restricted zone (work/), scanned by
the leak check, and only then moved under publish/ — a finding fails the step and nothing
is published. Every export, package and refusal is recorded in the exchange log.

Publishing never destroys what was published: a night is published only from its own lake
snapshot (``night_in_lake``); a publication of a later night is never replaced by an older
one (``check_not_older``); a package that came out empty keeps its previous publication
(``keep_previous_if_empty``); and each scope is swapped in whole, atomically
(``publish/<scope>`` is a symlink to ``publish/.releases/<scope>-<night>-<id>``, replaced by one
rename), so readers see the previous publication until the new one is complete.

Applications live in the platform's metadata database (catalogs.grants), the same rows the data
service grants by: one grant model for files and API. catalogs/applications.yml is demo seed data
loaded into a database once, never written.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import duckdb

from catalogs import exchange_log, export, grants, rowfilter, sqlfiles
from catalogs.generate import Catalog, Entry, Item, generate
from citylake.core.errors import UserError
from citylake.core.hashing import sha256_file
from citylake.core.paths import Home
from egress import leakcheck
from egress.masking import rule_of

PLAN_GLOB = "plan__*.json"      # citylake.orchestration.pipeline.plan_dbt: the lake snapshot before a night's build


class SharingRefused(PermissionError):
    """A sharing request that the catalog and the application registry do not allow."""


class PublishRefused(UserError, ValueError):
    """A publication refused because it would publish nothing real or destroy what was published
    (the command line shows it as one line, exit 2)."""


@dataclass
class Application:
    id: str
    department: str
    resource: str
    items: list[str]
    purpose: str
    status: str
    approver: str | None = None
    approved_on: Date | None = None      # the day of the decision (audit)
    valid_from: Date | None = None       # the authorisation is in force from …
    valid_until: Date | None = None      # … until this day, inclusive
    row_filter: tuple[rowfilter.Filter, ...] = ()   # only these rows are delivered (the API applies the same)
    unmasked: tuple[str, ...] = ()       # personal items granted in clear (明文); the others leave masked

    def refusal(self, night: Date, today: Date) -> str | None:
        """Why this application does not allow delivering the data of `night` today (None: it does):
        the one dates rule of files and API, catalogs.grants.refusal."""
        return grants.refusal(self.id, self.status, self.valid_from, self.valid_until, today, night)

    def valid_on(self, night: Date, today: Date) -> bool:
        return self.refusal(night, today) is None


@dataclass
class Package:
    scope: str                   # open | share
    resource_code: str
    model: str
    department: str | None
    application: str | None
    directory: Path              # final location under publish/
    staging: Path                # where it was written and scanned
    columns: list[str]
    forbidden: set[str]
    rows: int = 0
    files: dict[str, str] = field(default_factory=dict)   # file name -> sha256
    kept_from: str | None = None  # the night of the previous publication kept instead (this one was empty)
    unmasked: set[str] = field(default_factory=set)   # personal columns its application grants in clear


def _d(v) -> Date | None:
    if v is None or v == "":
        return None
    return v if isinstance(v, Date) else Date.fromisoformat(str(v))


def load_applications(h: Home) -> list[Application]:
    """The applications of the home's metadata database (catalogs.grants; the demo ones seeded on first use)."""
    engine = grants.open_engine(grants.db_url(h))
    try:
        return [_application(r) for r in grants.all_applications(engine)]
    finally:
        engine.dispose()


def _application(r: dict) -> Application:
    return Application(id=r["application_id"], department=r["department"], resource=r["resource_code"],
                       items=list(r["columns"]), purpose=r["purpose"], status=r["status"], approver=r["approver"],
                       approved_on=_d(r["decided_on"]), valid_from=_d(r["valid_from"]),
                       valid_until=_d(r["valid_until"]), row_filter=rowfilter.from_pairs(r["row_filter"]),
                       unmasked=tuple(r["unmasked"]))


# --- authorisation ----------------------------------------------------------------------------

def authorise(entry: Entry, department: str, items: list[str] | None, applications: list[Application],
              night: str | Date, today: Date) -> tuple[list[Item], Application | None]:
    """The items `department` may receive of `entry` today, and the application that allows them.

    Raises SharingRefused (with the reason) for unknown or not-shared items, and for
    conditional items without an application of that department covering them that is
    valid for the night and today (Application.refusal).
    """
    night = _d(night)
    by_name = {i.column_name: i for i in entry.items}
    wanted = list(items) if items else [i.column_name for i in entry.items if i.share_type != "not_shared"]
    unknown = [c for c in wanted if c not in by_name]
    if unknown:
        raise SharingRefused(f"{entry.resource_code} ({entry.model}) has no data items {unknown}")
    not_shared = [c for c in wanted if by_name[c].share_type == "not_shared"]
    if not_shared:
        raise SharingRefused(f"items {not_shared} of {entry.resource_code} ({entry.model}) are 不予共享 "
                             f"(not shared): they never leave the platform")
    conditional = [c for c in wanted if by_name[c].share_type == "conditional"]
    if entry.share_type == "not_shared":
        raise SharingRefused(f"{entry.resource_code} ({entry.model}) is 不予共享 (not shared)")
    if not conditional:
        return [by_name[c] for c in wanted], None
    mine = [a for a in applications
            if a.department == department and a.resource in (entry.resource_code, entry.model)]
    ok = [a for a in mine if a.valid_on(night, today) and set(conditional) <= set(a.items)]
    if ok:
        return [by_name[c] for c in wanted], ok[0]
    reasons = [a.refusal(night, today) or f"{a.id} does not cover {sorted(set(conditional) - set(a.items))}"
               for a in mine]
    why = "; ".join(reasons) or "no application on file"
    raise SharingRefused(
        f"有条件共享 items {conditional} of {entry.resource_code} ({entry.model}) need an approved, unexpired "
        f"application by department {department!r}: {why}")


# --- writing packages -------------------------------------------------------------------------

def install_masking(conn) -> None:
    conn.execute(sqlfiles.load("masking.sql"))


def _column_types(conn, entry: Entry) -> dict[str, str]:
    """{column: DuckDB type} of the entry's table in the lake."""
    rel = conn.execute(sqlfiles.load("lake_tables.sql")).fetchall()
    return {c: dtype for s, t, c, dtype, _ in rel if s == entry.schema_name and t == entry.table_name}


def _mask_of(item: Item, pkg: Package) -> str | None:
    """The masking macro of an item in a package: the policy's, none for an item the application grants in clear."""
    return rule_of(item, pkg.unmasked)


def write_package(conn, entry: Entry, items: list[Item], pkg: Package, meta: dict,
                  row_filter: tuple[rowfilter.Filter, ...] = ()) -> Package:
    """Write data.parquet + data.csv + a manifest JSON of one package into pkg.staging, of the rows of
    `row_filter` (an application's, compiled by catalogs.rowfilter as the service's calls are)."""
    pkg.staging.mkdir(parents=True, exist_ok=True)
    types = _column_types(conn, entry)
    cols = [{"name": i.column_name, "mask": _mask_of(i, pkg),
             "text": types.get(i.column_name, "").upper().startswith("VARCHAR")} for i in items if i.mask != "drop"]
    if not cols:
        raise SharingRefused(f"{entry.resource_code}: nothing left to publish after masking")
    try:
        specs, params = rowfilter.compile_filters(row_filter, types)
    except rowfilter.FilterError as e:
        raise SharingRefused(f"{entry.resource_code}: the row filter of {pkg.application}: {e}") from e
    install_masking(conn)
    for name, csv in (("data.parquet", False), ("data.csv", True)):
        sql = sqlfiles.render("package.sql.j2", columns=cols, schema=entry.schema_name, table=entry.table_name,
                              filters=specs, csv=csv, path=str(pkg.staging / name))
        try:
            conn.execute(sql, params)
        except duckdb.ConversionException as e:
            raise SharingRefused(f"{entry.resource_code}: a value of the row filter of {pkg.application} does not "
                                 f"fit its column's type") from e
    pkg.rows = conn.execute(sqlfiles.render("count_rows.sql.j2",
                                            path=str(pkg.staging / "data.parquet"))).fetchone()[0]
    pkg.columns = [c["name"] for c in cols]
    pkg.files = {p.name: sha256_file(p) for p in sorted(pkg.staging.iterdir())}
    manifest = {
        "resource_code": entry.resource_code, "model": entry.model, "name_zh": entry.name_zh,
        "name_en": entry.name_en, "provider": entry.provider_zh, "provider_code": entry.provider_code,
        "scope": pkg.scope, "rows": pkg.rows, "files": pkg.files,
        "row_filter": {f.column: f"{f.op}.{','.join(f.values)}" for f in row_filter},
        "items": [{"name": i.column_name, "name_zh": i.name_zh, "type": i.data_type,
                   "share_type": i.share_type, "open_type": i.open_type,
                   "masked_by": _mask_of(i, pkg), "in_clear": i.column_name in pkg.unmasked}
                  for i in items if i.mask != "drop"],
        "withheld_items": sorted(pkg.forbidden), **meta,
    }
    (pkg.staging / ("resource.json" if pkg.scope == "open" else "package.json")).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return pkg


def open_packages(conn, catalog: Catalog, staging: Path, final: Path) -> list[Package]:
    licence = {k: export.licence()[k] for k in ("name", "uri")}
    out = []
    for e in catalog.entries:
        items = [i for i in e.items if i.open_type == "unconditional" and i.mask != "drop"]
        if e.open_type == "not_open" or not items:
            continue
        slug = f"{e.schema_name}.{e.table_name}"
        pkg = Package(scope="open", resource_code=e.resource_code, model=e.model, department=None,
                      application=None, directory=final / slug, staging=staging / slug, columns=[],
                      forbidden={i.column_name for i in e.items if i not in items})
        out.append(write_package(conn, e, items, pkg, {"licence": licence, "night": catalog.date}))
    return out


def share_package(conn, catalog: Catalog, department: str, resource: str, items: list[str] | None,
                  applications: list[Application], staging: Path, final: Path, today: Date,
                  label: str | None = None) -> Package:
    """One sharing package for a department, delivered today (raises SharingRefused when not allowed)."""
    entry = catalog.entry(resource)
    granted, app = authorise(entry, department, items, applications, catalog.date, today)
    name = f"{app.id if app else (label or 'unconditional')}__{entry.schema_name}.{entry.table_name}"
    pkg = Package(scope="share", resource_code=entry.resource_code, model=entry.model, department=department,
                  application=app.id if app else None, directory=final / department / name,
                  staging=staging / department / name, columns=[],
                  forbidden={i.column_name for i in entry.items if i not in granted},
                  unmasked=set(app.unmasked) & {i.column_name for i in granted} if app else set())
    meta = {"department": department, "night": catalog.date,
            "application": None if app is None else {
                "id": app.id, "purpose": app.purpose, "approver": app.approver, "approved_on": app.approved_on,
                "valid_from": app.valid_from, "valid_until": app.valid_until}}
    return write_package(conn, entry, granted, pkg, meta, app.row_filter if app else ())


# --- never destroy what was published ---------------------------------------------------------

def lake_nights(h: Home) -> dict[str, int]:
    """The nights built into the lake, the most recently built last: night -> the lake snapshot
    before its build began (the plans citylake.orchestration.pipeline.plan_dbt records, one per build stage;
    -1 for a build into an empty lake). A night built again moves to the end."""
    plans: dict[str, list[tuple[int, float]]] = {}
    for p in h.state.glob(f"*/{PLAN_GLOB}") if h.state.exists() else []:
        before = json.loads(p.read_text(encoding="utf-8")).get("snapshot_before")
        plans.setdefault(p.parent.name, []).append((-1 if before is None else int(before), p.stat().st_mtime))
    return {n: min(k)[0] for n, k in sorted(plans.items(), key=lambda kv: max(kv[1]))}


def check_lake(h: Home) -> None:
    """Refuse a home without a lake (connecting would create an empty one)."""
    if not h.lake_catalog.exists():
        raise PublishRefused(f"no lake at {h.lake_catalog}: run `citylake demo` or `citylake nightly --date D` first")


def night_in_lake(h: Home, conn, night: str) -> int:
    """The lake snapshot that holds `night`, or PublishRefused: the night must have been built
    (planned, then committed) and no other night may have been built into the lake since."""
    nights = lake_nights(h)
    built = ", ".join(nights) or "none"
    if night not in nights:
        raise PublishRefused(f"night {night} has no lake snapshot of its own: no nightly build ran for it "
                             f"(nights built: {built}); run `citylake nightly --date {night}` first")
    later = list(nights)[list(nights).index(night) + 1:]
    if later:
        raise PublishRefused(f"night {night} is no longer in the lake: night {later[-1]} was built after it "
                             f"and publishing now would label its data as {night}")
    current = conn.execute(sqlfiles.load("current_snapshot.sql")).fetchone()[0]
    if current is None or current <= nights[night]:
        raise PublishRefused(f"night {night} has no lake snapshot of its own: its build committed nothing "
                             f"after snapshot {nights[night]}")
    return current


def published(root: Path) -> dict[str, dict]:
    """The packages published under publish/<scope>: path relative to the scope -> manifest."""
    out = {}
    for m in (*root.glob("*/resource.json"), *root.glob("*/*/package.json")) if root.exists() else ():
        out[str(m.parent.relative_to(root))] = json.loads(m.read_text(encoding="utf-8"))
    return out


def check_not_older(previous: dict[str, dict], scope: str, night: str) -> None:
    """Refuse to replace a publication of a later night by the one of `night`."""
    newest = max((str(m.get("night") or "") for m in previous.values()), default="")
    if newest > night:
        raise PublishRefused(f"publish/{scope} holds night {newest}: refusing to replace it by the older "
                             f"night {night}")


def keep_previous_if_empty(pkg: Package, previous: dict[str, dict], scope_root: Path) -> Package:
    """A package that came out empty never replaces a published one that has rows: the staged
    package becomes a copy of the previous publication (its manifest still names its own night)."""
    rel = str(pkg.directory.relative_to(scope_root))
    before = previous.get(rel)
    if pkg.rows or not before or not before.get("rows"):
        return pkg
    shutil.rmtree(pkg.staging)
    shutil.copytree(scope_root / rel, pkg.staging)
    pkg.rows, pkg.files, pkg.kept_from = before["rows"], dict(before["files"]), str(before.get("night"))
    pkg.columns = [i["name"] for i in before["items"]]
    pkg.forbidden = set(before.get("withheld_items") or ())
    return pkg


def swap_in(staged: Path, link: Path, night: str) -> None:
    """Make `staged` the publication at `link` in one atomic step, then drop the previous one.

    `link` (publish/<scope>) is a relative symlink to publish/.releases/<scope>-<night>-<id>;
    os.replace of a new symlink over it is a single rename, so a reader sees either the whole
    previous publication or the whole new one. A plain directory left by an older citylake is
    moved into .releases first (the only moment the path is briefly absent)."""
    releases = link.parent / ".releases"
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / f"{link.name}-{night}-{uuid.uuid4().hex[:8]}"
    shutil.move(staged, target)
    old = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        old = releases / f"{link.name}-unversioned-{uuid.uuid4().hex[:8]}"
        link.rename(old)
    tmp = link.with_name(f".{link.name}.swap-{uuid.uuid4().hex[:8]}")
    tmp.symlink_to(os.path.relpath(target, link.parent))
    os.replace(tmp, link)
    if old is not None and old != target:
        shutil.rmtree(old, ignore_errors=True)


# --- the publish step -------------------------------------------------------------------------

def _targets(pkgs: list[Package], exports: list[Path]) -> list[leakcheck.Target]:
    t = [leakcheck.Target(path=p, allowed_columns=set(export.HEADERS)) if p.suffix != ".jsonld"
         else leakcheck.Target(path=p) for p in exports]
    for pkg in pkgs:
        for name in pkg.files:
            t.append(leakcheck.Target(path=pkg.staging / name, forbidden_columns=pkg.forbidden,
                                      allowed_columns=set(pkg.columns) if name.startswith("data.") else None,
                                      unmasked_columns=pkg.unmasked if name.startswith("data.") else set()))
    return t


def _stage(conn, catalog: Catalog, h: Home, sc: str, root: Path, applications: list[Application],
           today: Date) -> tuple[list[tuple[str, str, Path]], list[Package], list[dict]]:
    """Write one scope's exports and packages under `root` (staging): (exports, packages, refusals)."""
    cat_dir = root / ("catalog" if sc == "open" else "_catalog")
    exports = [(sc, fmt, export.write(catalog, sc, fmt, cat_dir / export.file_name(sc, fmt)))
               for fmt in (("csv", "xlsx", "dcat") if sc == "open" else ("csv", "xlsx"))]
    if sc == "open":
        return exports, open_packages(conn, catalog, root, h.publish / "open"), []
    pkgs, refused = [], []
    for app in applications:
        try:
            pkgs.append(share_package(conn, catalog, app.department, app.resource, app.items,
                                      applications, root, h.publish / "share", today, label=app.id))
        except (SharingRefused, KeyError) as e:
            refused.append({"application": app.id, "department": app.department,
                            "resource": app.resource, "reason": str(e)})
    return exports, pkgs, refused


def publish(conn, catalog: Catalog, h: Home, scope: str = "all",
            applications: list[Application] | None = None, today: Date | None = None) -> dict:
    """Exports + packages for `scope` (open|share|all) into staging, leak check, then swap in and log.

    Refuses (PublishRefused, nothing changed) an empty catalog and replacing a later night's
    publication; a package that came out empty keeps its previous publication."""
    if scope not in ("open", "share", "all"):
        raise ValueError(f"scope must be open, share or all, not {scope!r}")
    if not catalog.entries:
        raise PublishRefused(f"the catalog of night {catalog.date} has no entries (no library table in the lake): "
                             f"refusing to replace the publication by an empty one")
    applications = load_applications(h) if applications is None else applications
    today = today or Date.today()
    date = catalog.date
    scopes = ("open", "share") if scope == "all" else (scope,)
    previous = {sc: published(h.publish / sc) for sc in scopes}
    for sc in scopes:
        check_not_older(previous[sc], sc, date)
    run = h.publish_staging / f"{date}-{uuid.uuid4().hex[:8]}"
    pkgs: list[Package] = []
    exports: list[tuple[str, str, Path]] = []     # (scope, format, staged path)
    refused: list[dict] = []
    for sc in scopes:
        e, p, r = _stage(conn, catalog, h, sc, run / sc, applications, today)
        exports, refused = exports + e, refused + r
        pkgs += [keep_previous_if_empty(pkg, previous[sc], h.publish / sc) for pkg in p]
    try:
        scanned = leakcheck.check(conn, _targets(pkgs, [p for _, _, p in exports]), catalog)
    except leakcheck.LeakError as e:
        exchange_log.write_rows(conn, [exchange_log.make_row("leakcheck", "publish", date, {
            "who": "citylake", "gate_result": "failed", "what": "leak check blocked the publish step",
            "staging": str(run), "findings": [f.__dict__ for f in e.findings]})])
        raise
    for sc in scopes:
        swap_in(run / sc, h.publish / sc, date)
    shutil.rmtree(run, ignore_errors=True)
    exchange_log.write_rows(conn, _log_rows(catalog, h, exports, pkgs, refused, scanned))
    return {
        "exports": len(exports), "open_packages": sum(p.scope == "open" for p in pkgs),
        "share_packages": sum(p.scope == "share" for p in pkgs), "refused": len(refused),
        "files_scanned": scanned, "open_rows": sum(p.rows for p in pkgs if p.scope == "open"),
        "share_rows": sum(p.rows for p in pkgs if p.scope == "share"), "refusals": refused,
        "kept": {p.model: p.kept_from for p in pkgs if p.kept_from},
    }


def _log_rows(catalog: Catalog, h: Home, exports: list[tuple[str, str, Path]], pkgs: list[Package],
              refused: list[dict], scanned: int) -> list[dict]:
    date, log = catalog.date, []
    for sc, fmt, p in exports:
        final = h.publish / sc / p.parent.name / p.name
        log.append(exchange_log.make_row("export", f"{sc}_catalog.{fmt}", date, {
            "who": "citylake", "what": f"{'开放目录' if sc == 'open' else '共享目录'} {fmt} export",
            "rows": len(export.rows(catalog, sc)) if fmt != "dcat" else sum(
                1 for e in catalog.entries if export.in_scope(e, "open")),
            "content_hash": sha256_file(final), "gate_result": "pass", "path": str(final)}))
    for pkg in pkgs:
        kept = f"; tonight's package was empty, the publication of {pkg.kept_from} is kept" if pkg.kept_from else ""
        log.append(exchange_log.make_row("open_data" if pkg.scope == "open" else "share_package",
                                         pkg.resource_code, date, {
            "who": pkg.department or "public", "what": f"{pkg.scope} package of {pkg.model}"
                                                      + (f" under {pkg.application}" if pkg.application else "") + kept,
            "rows": pkg.rows, "content_hash": pkg.files.get("data.parquet"),
            "gate_result": "kept" if pkg.kept_from else "pass",
            "path": str(pkg.directory), "columns": pkg.columns, "withheld": sorted(pkg.forbidden)}))
    for r in refused:
        log.append(exchange_log.make_row("share_refused", r["resource"], date, {
            "who": r["department"], "what": f"sharing application {r['application']} refused",
            "gate_result": "refused", **r}))
    log.append(exchange_log.make_row("leakcheck", "publish", date, {
        "who": "citylake", "what": f"leak check passed on {scanned} files", "rows": scanned, "gate_result": "pass"}))
    return log


def publish_night(date: str, *, h: Home, scope: str = "all", conn=None,
                  today: Date | None = None, **generate_kw) -> dict:
    """The nightly publish step: generate catalog → exports → packages → leak check → exchange log.

    Called by the orchestrator after the libraries are built. Returns counts. Raises
    PublishRefused (nothing written, not even the catalog) when the home has no lake or the
    lake does not hold `date` (night_in_lake), and leakcheck.LeakError (nothing published) if
    anything about to leave holds personal data or a not-shared item.
    """
    check_lake(h)
    own = conn is None
    if own:
        from citylake.core.db import connect

        conn = connect(h=h)
    try:
        night_in_lake(h, conn, date)
        exchange_log.flush(conn, h=h)
        catalog = generate(date, h=h, conn=conn, **generate_kw)
        exchange_log.write_rows(conn, [exchange_log.make_row("catalog", "catalog.entries", date, {
            "who": "citylake", "what": "catalog generated", "rows": len(catalog.entries),
            "gate_result": "pass", **catalog.counts()})])
        counts = publish(conn, catalog, h, scope=scope, today=today)
        return {"date": date, "catalog": catalog.counts(), "missing_libraries": catalog.missing_libraries,
                **counts}
    finally:
        if own:
            conn.close()
