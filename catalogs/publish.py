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
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import yaml

from catalogs import exchange_log, export, sqlfiles
from catalogs.generate import Catalog, Entry, Item, generate
from citylake.hashing import sha256_file
from citylake.paths import Home, home
from citylake.yamlio import load_yaml
from egress import leakcheck

APPLICATIONS_FILE = Path(__file__).with_name("applications.yml")
STATUSES = ("pending", "approved", "rejected")


class SharingRefused(PermissionError):
    """A sharing request that the catalog and the application registry do not allow."""


@dataclass
class Application:
    id: str
    department: str
    resource: str
    items: list[str]
    purpose: str
    status: str
    approver: str | None = None
    approved_on: Date | None = None
    expires: Date | None = None

    def valid_on(self, night: Date) -> bool:
        return (self.status == "approved" and self.expires is not None and night <= self.expires
                and (self.approved_on is None or self.approved_on <= night))


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


def _d(v) -> Date | None:
    if v is None or v == "":
        return None
    return v if isinstance(v, Date) else Date.fromisoformat(str(v))


def load_applications(path: Path = APPLICATIONS_FILE) -> list[Application]:
    doc = load_yaml(path) if path.exists() else {}
    out = []
    for a in (doc or {}).get("applications") or []:
        app = Application(id=str(a["id"]), department=str(a["department"]), resource=str(a["resource"]),
                          items=[str(x) for x in a.get("items") or []], purpose=str(a.get("purpose") or ""),
                          status=str(a.get("status") or "pending"), approver=a.get("approver"),
                          approved_on=_d(a.get("approved_on")), expires=_d(a.get("expires")))
        if app.status not in STATUSES:
            raise ValueError(f"{path.name}: application {app.id}: status {app.status!r} not in {STATUSES}")
        if app.status == "approved" and not (app.approver and app.expires):
            raise ValueError(f"{path.name}: application {app.id} is approved without approver and expiry")
        out.append(app)
    ids = [a.id for a in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name}: duplicate application ids")
    return out


def save_applications(apps: list[Application], path: Path = APPLICATIONS_FILE) -> None:
    head = "".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines()
                   if line.startswith("#")) if path.exists() else ""
    body = [{k: (str(v) if isinstance(v, Date) else v) for k, v in a.__dict__.items()} for a in apps]
    path.write_text(head + yaml.safe_dump({"applications": body}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


# --- authorisation ----------------------------------------------------------------------------

def authorise(entry: Entry, department: str, items: list[str] | None, applications: list[Application],
              night: str | Date) -> tuple[list[Item], Application | None]:
    """The items `department` may receive of `entry`, and the application that allows them.

    Raises SharingRefused (with the reason) for unknown or not-shared items, and for
    conditional items without an approved, unexpired application of that department
    covering them.
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
    ok = [a for a in mine if a.valid_on(night) and set(conditional) <= set(a.items)]
    if ok:
        return [by_name[c] for c in wanted], ok[0]
    if not mine:
        why = "no application on file"
    else:
        reasons = []
        for a in mine:
            if a.status != "approved":
                reasons.append(f"{a.id} is {a.status}")
            elif a.expires is None or night > a.expires:
                reasons.append(f"{a.id} expired on {a.expires}")
            elif a.approved_on and a.approved_on > night:
                reasons.append(f"{a.id} is approved only from {a.approved_on}")
            else:
                reasons.append(f"{a.id} does not cover {sorted(set(conditional) - set(a.items))}")
        why = "; ".join(reasons)
    raise SharingRefused(
        f"有条件共享 items {conditional} of {entry.resource_code} ({entry.model}) need an approved, unexpired "
        f"application by department {department!r}: {why}")


# --- writing packages -------------------------------------------------------------------------



def install_masking(conn) -> None:
    conn.execute(sqlfiles.load("masking.sql"))


def _text_columns(conn, entry: Entry) -> set[str]:
    rel = conn.execute(sqlfiles.load("lake_tables.sql")).fetchall()
    return {c for s, t, c, dtype, _ in rel if s == entry.schema_name and t == entry.table_name
            and dtype.upper().startswith("VARCHAR")}


def write_package(conn, entry: Entry, items: list[Item], pkg: Package, meta: dict) -> Package:
    """Write data.parquet + data.csv + a manifest JSON of one package into pkg.staging."""
    pkg.staging.mkdir(parents=True, exist_ok=True)
    text = _text_columns(conn, entry)
    cols = [{"name": i.column_name, "mask": None if i.mask in (None, "drop") else i.mask,
             "text": i.column_name in text} for i in items if i.mask != "drop"]
    if not cols:
        raise SharingRefused(f"{entry.resource_code}: nothing left to publish after masking")
    install_masking(conn)
    conn.execute(sqlfiles.render("package.sql.j2", columns=cols, schema=entry.schema_name, table=entry.table_name,
                                 parquet=str(pkg.staging / "data.parquet"), csv=str(pkg.staging / "data.csv")))
    pkg.rows = conn.execute(sqlfiles.render("count_rows.sql.j2",
                                            path=str(pkg.staging / "data.parquet"))).fetchone()[0]
    pkg.columns = [c["name"] for c in cols]
    pkg.files = {p.name: sha256_file(p) for p in sorted(pkg.staging.iterdir())}
    manifest = {
        "resource_code": entry.resource_code, "model": entry.model, "name_zh": entry.name_zh,
        "name_en": entry.name_en, "provider": entry.provider_zh, "provider_code": entry.provider_code,
        "scope": pkg.scope, "rows": pkg.rows, "files": pkg.files,
        "items": [{"name": i.column_name, "name_zh": i.name_zh, "type": i.data_type,
                   "share_type": i.share_type, "open_type": i.open_type,
                   "masked_by": None if i.mask in (None, "drop") else i.mask}
                  for i in items if i.mask != "drop"],
        "withheld_items": sorted(pkg.forbidden), **meta,
    }
    (pkg.staging / ("resource.json" if pkg.scope == "open" else "package.json")).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return pkg


def open_packages(conn, catalog: Catalog, staging: Path, final: Path) -> list[Package]:
    out = []
    for e in catalog.entries:
        items = [i for i in e.items if i.open_type == "unconditional" and i.mask != "drop"]
        if e.open_type == "not_open" or not items:
            continue
        slug = f"{e.schema_name}.{e.table_name}"
        pkg = Package(scope="open", resource_code=e.resource_code, model=e.model, department=None,
                      application=None, directory=final / slug, staging=staging / slug, columns=[],
                      forbidden={i.column_name for i in e.items if i not in items})
        out.append(write_package(conn, e, items, pkg, {"licence": "CC BY 4.0", "night": catalog.date}))
    return out


def share_package(conn, catalog: Catalog, department: str, resource: str, items: list[str] | None,
                  applications: list[Application], staging: Path, final: Path, label: str | None = None) -> Package:
    """One sharing package for a department (raises SharingRefused when not allowed)."""
    entry = catalog.entry(resource)
    granted, app = authorise(entry, department, items, applications, catalog.date)
    name = f"{app.id if app else (label or 'unconditional')}__{entry.schema_name}.{entry.table_name}"
    pkg = Package(scope="share", resource_code=entry.resource_code, model=entry.model, department=department,
                  application=app.id if app else None, directory=final / department / name,
                  staging=staging / department / name, columns=[],
                  forbidden={i.column_name for i in entry.items if i not in granted})
    meta = {"department": department, "night": catalog.date,
            "application": None if app is None else {
                "id": app.id, "purpose": app.purpose, "approver": app.approver,
                "approved_on": app.approved_on, "expires": app.expires}}
    return write_package(conn, entry, granted, pkg, meta)


# --- the publish step -------------------------------------------------------------------------

def _targets(pkgs: list[Package], exports: list[Path]) -> list[leakcheck.Target]:
    t = [leakcheck.Target(path=p, allowed_columns=set(export.HEADERS)) if p.suffix != ".jsonld"
         else leakcheck.Target(path=p) for p in exports]
    for pkg in pkgs:
        for name in pkg.files:
            t.append(leakcheck.Target(path=pkg.staging / name, forbidden_columns=pkg.forbidden,
                                      allowed_columns=set(pkg.columns) if name.startswith("data.") else None))
    return t


def _replace(src: Path, dst: Path) -> None:
    """Move a staged tree into place, replacing what was there."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{uuid.uuid4().hex[:8]}")
        dst.rename(old)
        src.rename(dst)
        shutil.rmtree(old, ignore_errors=True)
    elif src.exists():
        src.rename(dst)


def publish(conn, catalog: Catalog, h: Home, scope: str = "all",
            applications: list[Application] | None = None) -> dict:
    """Exports + packages for `scope` (open|share|all) into staging, leak check, then publish and log."""
    if scope not in ("open", "share", "all"):
        raise ValueError(f"scope must be open, share or all, not {scope!r}")
    applications = load_applications() if applications is None else applications
    date = catalog.date
    run = h.root / "work" / "publish_staging" / f"{date}-{uuid.uuid4().hex[:8]}"
    scopes = ("open", "share") if scope == "all" else (scope,)
    log: list[dict] = []
    pkgs: list[Package] = []
    exports: list[tuple[str, str, Path]] = []     # (scope, format, staged path)
    refused: list[dict] = []
    for sc in scopes:
        root = run / sc
        cat_dir = root / ("catalog" if sc == "open" else "_catalog")
        for fmt in (("csv", "xlsx", "dcat") if sc == "open" else ("csv", "xlsx")):
            exports.append((sc, fmt, export.write(catalog, sc, fmt, cat_dir / export.file_name(sc, fmt))))
        if sc == "open":
            pkgs += open_packages(conn, catalog, root, h.publish / "open")
        else:
            for app in applications:
                try:
                    pkgs.append(share_package(conn, catalog, app.department, app.resource, app.items,
                                              applications, root, h.publish / "share", label=app.id))
                except (SharingRefused, KeyError) as e:
                    refused.append({"application": app.id, "department": app.department,
                                    "resource": app.resource, "reason": str(e)})
    try:
        scanned = leakcheck.check(conn, _targets(pkgs, [p for _, _, p in exports]), catalog)
    except leakcheck.LeakError as e:
        exchange_log.write_rows(conn, [exchange_log.make_row("leakcheck", "publish", date, {
            "who": "citylake", "gate_result": "failed", "what": "leak check blocked the publish step",
            "staging": str(run), "findings": [f.__dict__ for f in e.findings]})])
        raise
    for sc in scopes:
        _replace(run / sc, h.publish / sc)
    shutil.rmtree(run, ignore_errors=True)

    for sc, fmt, p in exports:
        final = h.publish / sc / p.parent.name / p.name
        log.append(exchange_log.make_row("export", f"{sc}_catalog.{fmt}", date, {
            "who": "citylake", "what": f"{'开放目录' if sc == 'open' else '共享目录'} {fmt} export",
            "rows": len(export.rows(catalog, sc)) if fmt != "dcat" else sum(
                1 for e in catalog.entries if export.in_scope(e, "open")),
            "content_hash": sha256_file(final), "gate_result": "pass", "path": str(final)}))
    for pkg in pkgs:
        log.append(exchange_log.make_row("open_data" if pkg.scope == "open" else "share_package",
                                         pkg.resource_code, date, {
            "who": pkg.department or "public", "what": f"{pkg.scope} package of {pkg.model}"
                                                      + (f" under {pkg.application}" if pkg.application else ""),
            "rows": pkg.rows, "content_hash": pkg.files.get("data.parquet"), "gate_result": "pass",
            "path": str(pkg.directory), "columns": pkg.columns, "withheld": sorted(pkg.forbidden)}))
    for r in refused:
        log.append(exchange_log.make_row("share_refused", r["resource"], date, {
            "who": r["department"], "what": f"sharing application {r['application']} refused",
            "gate_result": "refused", **r}))
    log.append(exchange_log.make_row("leakcheck", "publish", date, {
        "who": "citylake", "what": f"leak check passed on {scanned} files", "rows": scanned, "gate_result": "pass"}))
    exchange_log.write_rows(conn, log)
    return {
        "exports": len(exports), "open_packages": sum(p.scope == "open" for p in pkgs),
        "share_packages": sum(p.scope == "share" for p in pkgs), "refused": len(refused),
        "files_scanned": scanned, "open_rows": sum(p.rows for p in pkgs if p.scope == "open"),
        "share_rows": sum(p.rows for p in pkgs if p.scope == "share"), "refusals": refused,
    }


def publish_night(date: str, h: Home | None = None, scope: str = "all", conn=None, **generate_kw) -> dict:
    """The nightly publish step: generate catalog → exports → packages → leak check → exchange log.

    Called by the orchestrator after the libraries are built. Returns counts. Raises
    leakcheck.LeakError (nothing published) if anything about to leave holds personal data
    or a not-shared item.
    """
    h = (h or home()).ensure()
    own = conn is None
    if own:
        from citylake.db import connect

        conn = connect(h=h, macros=False)
    try:
        exchange_log.flush(conn, h)
        catalog = generate(date, h, conn=conn, **generate_kw)
        exchange_log.write_rows(conn, [exchange_log.make_row("catalog", "catalog.entries", date, {
            "who": "citylake", "what": "catalog generated", "rows": len(catalog.entries),
            "gate_result": "pass", **catalog.counts()})])
        counts = publish(conn, catalog, h, scope=scope)
        return {"date": date, "catalog": catalog.counts(), "missing_libraries": catalog.missing_libraries,
                **counts}
    finally:
        if own:
            conn.close()


