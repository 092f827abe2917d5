"""`citylake quality ...`: scores, generated suites and GX's Data Docs; `report` is added by the CLI's
assembly (citylake.cli.reports), because a report also reads the data service's records (catalogs)."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta

import typer
from rich.console import Console

from citylake.core.cliargs import NIGHT
from citylake.core.paths import home

app = typer.Typer(help="Quality gates, GB/T 36344 scores and department quality reports (数据质量).",
                  no_args_is_help=True)
console = Console()


def default_date(h) -> str:  # noqa: ANN001
    nights = sorted(p.name for p in h.state.glob("????-??-??")) if h.state.exists() else []
    return nights[-1] if nights else (Date.today() - timedelta(days=1)).isoformat()


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
    date = date or default_date(h)
    rows = [s for s in compute_scores(date, h=h) if s.level == "department" and s.dimension == "overall"]
    for s in sorted(rows, key=lambda s: s.department):
        console.print(f"{s.department:10} {'–' if s.score is None else f'{s.score:6.1f}'}")


@app.command()
def suites(date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                    help="Night YYYY-MM-DD (row-count history).")) -> None:
    """How many suites and expectations the registries generate."""
    from quality.suites import suite_stats

    h = home().require_lake()
    console.print(suite_stats(date or default_date(h), h=h))
