"""`citylake catalog ...` and `citylake publish` (registered by citylake/cli/main.py).

    citylake catalog generate [--date D]                     regenerate the catalog in the lake
    citylake catalog list                                    the catalog entries
    citylake catalog export --scope open|share --format csv|xlsx|dcat [--out FILE]
    citylake catalog applications [--date D]                 the sharing applications, valid for tonight's packages?
                                    (filed and decided by `citylake service applications …`: one grant model)
    citylake publish [--scope open|share|all] [--date D]     exports + packages, leak-checked
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import date as Date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from citylake.core.cliargs import NIGHT, KnownId, static
from citylake.core.paths import home

catalog_app = typer.Typer(help="Government information resource catalog (政务信息资源目录, GB/T 21063): "
                               "generate, list, export; sharing applications.",
                          no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


def _export_scopes() -> tuple[str, ...]:
    from catalogs.export import SCOPES

    return SCOPES


def _export_formats() -> tuple[str, ...]:
    from catalogs.export import FORMATS

    return FORMATS


SCOPE = KnownId("scope", _export_scopes)
PUBLISH_SCOPE = KnownId("scope", static("open", "share", "all"))
FORMAT = KnownId("format", _export_formats)


def _night(date: str | None) -> str:
    """The night given (already checked by NIGHT), else the latest night run in this home."""
    if date:
        return date
    h = home()
    nights = sorted(p.name for p in h.state.glob("*") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name)) \
        if h.state.exists() else []
    return nights[-1] if nights else Date.today().isoformat()


def _stored_catalog(conn):
    from catalogs.generate import load_catalog

    cat = load_catalog(conn)
    if not cat.entries:
        console.print("[red]No catalog in the lake yet: run `citylake catalog generate` or `citylake publish`.[/]")
        raise typer.Exit(1)
    return cat


@catalog_app.command("generate")
def generate_cmd(date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                          help="The night (YYYY-MM-DD); default: the latest")) -> None:
    """Generate the catalog from the dbt manifest, the standards and the feed registry; store it in the lake.

    Only for a night the lake holds (its own snapshot), like `citylake publish`."""
    from catalogs.generate import generate
    from catalogs.publish import night_in_lake
    from citylake.core.db import connect

    h = home().require_lake()
    night = _night(date)
    conn = connect(h=h)
    try:
        night_in_lake(h, conn, night)     # PublishRefused (a UserError): one line, exit 2
        cat = generate(night, h=h, conn=conn)
    finally:
        conn.close()
    console.print(cat.counts())
    if cat.missing_libraries:
        console.print(f"[yellow]Libraries without a model yet: {', '.join(cat.missing_libraries)}[/]")


@catalog_app.command("list")
def list_cmd() -> None:
    """The catalog entries stored in the lake."""
    from catalogs.export import _zh
    from citylake.core.db import connect

    conn = connect(read_only=True, h=home())
    try:
        cat = _stored_catalog(conn)
    finally:
        conn.close()
    t = Table(title=f"政务信息资源目录 — {len(cat.entries)} entries (generated {cat.date})")
    for c in ("信息资源代码", "model", "信息资源名称", "提供方", "共享类型", "开放属性", "更新周期", "items", "rows"):
        t.add_column(c)
    for e in cat.entries:
        t.add_row(e.resource_code, e.model, e.name_zh, e.provider_zh, _zh("sharing_type", e.share_type),
                  _zh("open_type", e.open_type), _zh("update_cycle", e.update_cycle), str(len(e.items)),
                  "" if e.row_count is None else f"{e.row_count:,}")
    Console().print(t)


@catalog_app.command("export")
def export_cmd(scope: str = typer.Option("share", "--scope", callback=SCOPE.check, help="open | share"),
               fmt: str = typer.Option("csv", "--format", callback=FORMAT.check,
                                       help="csv | xlsx | dcat (DCAT-AP 3 JSON-LD, open only)"),
               out: str = typer.Option(None, "--out", help="File to write; default: stdout")) -> None:
    """Export the sharing (共享目录) or open (开放目录) catalog; leak-checked and logged."""
    from catalogs import exchange_log, export
    from citylake.core.db import connect
    from egress import leakcheck

    h = home().require_lake()
    out_path = Path(out) if out else None
    conn = connect(h=h)
    try:
        cat = _stored_catalog(conn)
        try:
            data = export.render(cat, scope, fmt)
        except ValueError as e:
            raise typer.BadParameter(str(e)) from e
        h.work.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=h.work) as tmp:
            staged = Path(tmp) / export.file_name(scope, fmt)
            staged.write_bytes(data)
            target = leakcheck.Target(staged, allowed_columns=None if fmt == "dcat" else set(export.HEADERS))
            try:
                leakcheck.check(conn, [target], cat)
            except leakcheck.LeakError as e:
                console.print(f"[red]{e}[/]")
                raise typer.Exit(2) from e
        import hashlib

        exchange_log.write_rows(conn, [exchange_log.make_row("export", f"{scope}_catalog.{fmt}", cat.date, {
            "who": "citylake", "what": f"catalog export {scope} {fmt} via CLI",
            "content_hash": hashlib.sha256(data).hexdigest(), "gate_result": "pass",
            "path": str(out_path) if out_path else "stdout"})])
    finally:
        conn.close()
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_bytes(data)
        console.print(f"Wrote {out_path} ({len(data):,} bytes)")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@catalog_app.command("applications")
def applications_cmd(date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                              help="Validity on this night; default: latest")) -> None:
    """The sharing applications (共享申请) of the metadata database and whether each is valid for tonight's
    share packages; file and decide them with `citylake service applications …`."""
    from catalogs.publish import load_applications

    night, today = Date.fromisoformat(_night(date)), Date.today()
    t = Table(title=f"Sharing applications (night {night} delivered today, {today})")
    for c in ("id", "department", "resource", "items", "purpose", "status", "approver", "approved_on",
              "valid_from", "valid_until", "valid"):
        t.add_column(c)
    for a in load_applications(home().require_lake()):
        why = a.refusal(night, today)
        t.add_row(a.id, a.department, a.resource, ", ".join(a.items), a.purpose, a.status, a.approver or "",
                  str(a.approved_on or ""), str(a.valid_from or ""), str(a.valid_until or ""),
                  "[green]yes[/]" if why is None else f"[red]no[/] ({why})")
    Console().print(t)


def publish_cmd(scope: str = typer.Option("all", "--scope", callback=PUBLISH_SCOPE.check, help="open | share | all"),
                date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                         help="The night (YYYY-MM-DD); default: the latest")) -> None:
    """Publish open data (publish/open/) and sharing packages (publish/share/<department>/), leak-checked."""
    from catalogs.publish import publish_night
    from egress.leakcheck import LeakError

    h = home().require_lake()
    try:
        counts = publish_night(_night(date), h=h, scope=scope)
    except LeakError as e:  # the findings, one per line; PublishRefused is a UserError (one line)
        console.print(f"[red]{e}[/]")
        raise typer.Exit(2) from e
    t = Table(title=f"Published ({scope}) — night {counts['date']}")
    t.add_column("what")
    t.add_column("count", justify="right")
    for k in ("exports", "open_packages", "share_packages", "refused", "files_scanned", "open_rows", "share_rows"):
        t.add_row(k, f"{counts[k]:,}")
    for k, v in counts["catalog"].items():
        t.add_row(f"catalog {k}", str(v))
    Console().print(t)
    for model, night in counts["kept"].items():
        console.print(f"[yellow]kept {model} of night {night}: tonight's package was empty[/]")
    for r in counts["refusals"]:
        console.print(f"[yellow]refused {r['application']} ({r['department']} → {r['resource']}): {r['reason']}[/]")
