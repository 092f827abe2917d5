"""`citylake lake …`: the lake's upkeep (citylake/orchestration/lake_upkeep.py does the work)."""

from __future__ import annotations

import typer
from rich.console import Console

from citylake.core.paths import home
from citylake.orchestration.lake_upkeep import maintain

app = typer.Typer(help="The lake's upkeep: snapshot history and data files.", no_args_is_help=True)


@app.command("maintain")
def maintain_cmd(keep_nights: int = typer.Option(7, "--keep-nights", help="Nights whose every snapshot is kept")) -> None:
    """Expire snapshots older than N nights (each night's end mark is kept), merge small files."""
    h = home().require_lake()
    done = maintain(h, keep_nights)
    kept = (f"kept every snapshot of {', '.join(done.kept_nights)} and every night mark" if done.kept_nights
            else "no night is marked yet (a night's publish step marks it), so none is older than N nights")
    Console().print(f"Expired {done.expired} snapshots ({done.snapshots_left} left); {kept}; "
                    f"deleted {done.files_deleted} unreferenced files", highlight=False)
