"""`citylake generate`: the synthetic city's deliveries for one night (a demo and benchmark tool)."""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.table import Table

from citylake.core.cliargs import NIGHT
from citylake.core.paths import home

console = Console()


def generate_cmd(scale: float = typer.Option(0.001, "--scale", help="1.0 = Deyang (3.45 M residents)"),
                 date: str = typer.Option(..., "--date", callback=NIGHT.check, help="Night to generate, YYYY-MM-DD"),
                 seed: int = typer.Option(20231019, "--seed")) -> None:
    """Write the synthetic city's deliveries for one night into the inbox."""
    from synth import generate_city

    h = home().ensure()
    t0 = time.perf_counter()
    with console.status(f"generating the city at scale {scale} for {date}…"):
        rows = generate_city(h.inbox, scale, date, seed=seed)
    t = Table(title=f"synthetic city {date} (scale {scale}, seed {seed}) → {h.inbox}")
    t.add_column("feed")
    t.add_column("rows", justify="right")
    for k, v in rows.items():
        t.add_row(k, f"{v:,}")
    t.add_row("[bold]total", f"[bold]{sum(rows.values()):,}")
    console.print(t)
    console.print(f"{time.perf_counter() - t0:.1f} s")
