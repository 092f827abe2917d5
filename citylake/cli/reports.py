"""`citylake quality report`: the department quality reports, assembled here because a report also tells
the department what the data service's consumers said and did with its data (catalogs.feedback, read from
the metadata database) — quality/ and catalogs/ sit side by side and do not import each other."""

from __future__ import annotations

import typer
from rich.console import Console

from citylake.core.cliargs import NIGHT
from citylake.core.paths import home
from ingest.cli import DEPARTMENT

console = Console()


def report_cmd(department: str = typer.Option(None, "--department", "-d", callback=DEPARTMENT.check,
                                              help="Department id (psb) or code."),
               all_: bool = typer.Option(False, "--all", help="Every department plus the index page."),
               date: str = typer.Option(None, "--date", callback=NIGHT.check,
                                        help="Night YYYY-MM-DD (default: the latest night run).")) -> None:
    """Write the department quality report(s) under <home>/reports/<date>/ (offline HTML)."""
    from catalogs.feedback import Reader
    from quality import report as rpt
    from quality.cli import default_date

    h = home().require_lake()
    if not (all_ or department):
        raise typer.BadParameter("give --department CODE or --all")
    date = date or default_date(h)
    feedback = Reader(h, date)
    try:
        if all_:
            paths = rpt.write_all(date, h=h, feedback=feedback)
            console.print(f"[green]{len(paths) - 1} department reports + index[/green]: {paths[-1]}")
        else:
            console.print(str(rpt.write_department_report(department, date, h=h, feedback=feedback(department))))
    finally:
        feedback.close()
