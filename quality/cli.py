"""`citylake quality ...`: quality reports, scores and generated suites."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta

import typer
from rich.console import Console

from citylake.core.cliargs import NIGHT
from citylake.core.paths import home
from ingest.cli import DEPARTMENT

app = typer.Typer(help="Quality gates, GB/T 36344 scores and department quality reports (数据质量).",
                  no_args_is_help=True)
console = Console()


def _default_date(h) -> str:  # noqa: ANN001
    nights = sorted(p.name for p in h.state.glob("????-??-??")) if h.state.exists() else []
    return nights[-1] if nights else (Date.today() - timedelta(days=1)).isoformat()


@app.command()
def report(department: str = typer.Option(None, "--department", "-d", callback=DEPARTMENT.check,
                                          help="Department id (psb) or code."),
           all_: bool = typer.Option(False, "--all", help="Every department plus the index page."),
           date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                    help="Night YYYY-MM-DD (default: the latest night run).")) -> None:
    """Write the department quality report(s) under <home>/reports/<date>/ (offline HTML)."""
    from quality import report as rpt

    h = home().require_lake()
    if not (all_ or department):
        raise typer.BadParameter("give --department CODE or --all")
    date = date or _default_date(h)
    if all_:
        paths = rpt.write_all(date, h=h)
        console.print(f"[green]{len(paths) - 1} department reports + index[/green]: {paths[-1]}")
    elif department:
        console.print(str(rpt.write_department_report(department, date, h=h)))


@app.command()
def docs() -> None:
    """Render GX's Data Docs (every stored validation result) for offline reading; prints the index."""
    from quality import datadocs

    index = datadocs.build(home().require_lake())
    if index is None:
        raise typer.BadParameter("no gate has run in this citylake home yet")
    console.print(str(index))


@app.command()
def scores(date: str = typer.Option(None, "--date", callback=NIGHT.check, help="Night YYYY-MM-DD.")) -> None:
    """(Re)compute the night's six-dimension scores into quality.scores."""
    from quality.scores import compute_scores

    h = home().require_lake()
    date = date or _default_date(h)
    rows = [s for s in compute_scores(date, h=h) if s.level == "department" and s.dimension == "overall"]
    for s in sorted(rows, key=lambda s: s.department):
        console.print(f"{s.department:10} {'–' if s.score is None else f'{s.score:6.1f}'}")


@app.command()
def suites(date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                    help="Night YYYY-MM-DD (row-count history).")) -> None:
    """How many suites and expectations the registries generate."""
    from quality.suites import suite_stats

    h = home().require_lake()
    console.print(suite_stats(date or _default_date(h), h))
