"""CLI pieces registered by citylake/cli/main.py: `citylake feeds list`, `citylake ingest`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from citylake.core.cliargs import NIGHT, KnownId
from citylake.core.paths import home
from ingest import registry

console = Console()


def _departments() -> dict[str, str]:
    """Every accepted spelling of a department (its id or its unified social credit code) → its id."""
    out = {}
    for d in registry.departments().values():
        out[d.code] = d.id
        out[d.id] = d.id
    return out


FEED = KnownId("feed", lambda: list(registry.load()))
DEPARTMENT = KnownId("department", _departments)   # the parsers of every command's --feed / --department
feeds_app = typer.Typer(help="The feed registry (数据源登记).", no_args_is_help=True)

STATUS_STYLE = {"landed": "green", "replaced": "cyan", "unchanged": "dim", "failed": "bold red", "missing": "yellow"}


@feeds_app.command("list")
def list_feeds(department: str | None = typer.Option(
        None, "--department", "-d", callback=DEPARTMENT.check, help="Only this department (id or code)")) -> None:
    """Departments and their feeds: format, encoding, delivery, cycle, primary key, fields."""
    feeds = [f for f in registry.load().values() if department in (None, f.department.id)]
    t = Table(title=f"{len({f.department.id for f in feeds})} departments, {len(feeds)} feeds", show_lines=False)
    for col in ("department", "feed", "name", "format", "encoding", "delivery", "cycle", "primary key", "fields"):
        t.add_column(col, overflow="fold")
    for f in feeds:
        enc = f.encoding or (f"header row {f.header_row}" if f.format == "xlsx" else
                             f"{f.table}.{f.watermark}" if f.format == "sqlite" else "utf-8")
        t.add_row(f"{f.department.id} {f.department.name_zh}", f.id, f.name_zh, f.format, enc, f.delivery,
                  f.update_cycle, ", ".join(f.primary_key), str(len(f.fields)))
    console.print(t)


def ingest_cmd(date: str = typer.Option(..., "--date", callback=NIGHT.check, help="Delivery date YYYY-MM-DD"),
               feed: str | None = typer.Option(None, "--feed", callback=FEED.check, help="Only this feed id"),
               file: Path | None = typer.Option(None, "--file", exists=True, dir_okay=False,  # noqa: B008
                                                help="Land this file instead of the inbox's (needs --feed)")) -> None:
    """Land the night's deliveries into the raw zone (with quarantine); exit 1 if any failed."""
    from ingest.land import LandingResult, land_all, land_feed

    if file and not feed:
        raise typer.BadParameter("--file needs --feed (which feed's contract applies)")
    h = (home() if file else home().require_inbox()).ensure()
    selected = [feed] if feed else list(registry.load())
    results: list[LandingResult] = []
    with Progress(TextColumn("[bold]ingest {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(date, total=len(selected))

        def step(r: LandingResult) -> None:
            results.append(r)
            progress.update(task, advance=1, description=f"{date} {r.feed_id}")

        if file:
            step(land_feed(registry.feed(feed), date, h.inbox, h.raw, h.quarantine, file=file))
        else:
            land_all(date, h, feeds=selected, progress=step)
    t = Table(title=f"ingest {date}")
    for col, just in (("feed", "left"), ("read", "right"), ("landed", "right"), ("quarantined", "right"),
                      ("status", "left"), ("message", "left")):
        t.add_column(col, justify=just, overflow="fold")
    for r in results:
        note = r.message + ("; drift: " + "; ".join(r.schema_drift) if r.schema_drift else "")
        t.add_row(r.feed_id, f"{r.rows_read:,}", f"{r.rows_landed:,}", f"{r.rows_quarantined:,}",
                  f"[{STATUS_STYLE.get(r.status, '')}]{r.status}[/]", note)
    tot = [sum(getattr(r, a) for r in results) for a in ("rows_read", "rows_landed", "rows_quarantined")]
    t.add_row("[bold]total", *(f"[bold]{x:,}" for x in tot), "", "")
    console.print(t)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)
