"""`citylake` — the command line of the platform (typer + rich).

    citylake demo                 generate a small city and run the nightly DAG once
    citylake nightly --date D     run the nightly DAGs for night D in-process (dag.test)
    citylake sql [-c QUERY]       read-only SQL on the lake (schemas base, theme, indicator, ...)
    citylake status               what the last nights did
    citylake airflow              Airflow's own UI on http://localhost:8080
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from citylake.paths import home

app = typer.Typer(help="citylake — government data middle platform (数据中台) on a DuckDB/DuckLake lake.",
                  no_args_is_help=True, add_completion=False)
console = Console()

DEMO_DATE = "2026-11-25"
DEMO_SCALE = 0.002

# Sub-commands contributed by the modules: (module, attribute, name, kind)
_SUBCOMMANDS = [
    ("standards.cli", "app", "standards", "group"),
    ("ingest.cli", "feeds_app", "feeds", "group"),
    ("ingest.cli", "ingest_cmd", "ingest", "command"),
    ("ingest.cli", "generate_cmd", "generate", "command"),
    ("quality.cli", "app", "quality", "group"),
    ("catalogs.cli", "catalog_app", "catalog", "group"),
    ("catalogs.cli", "publish_cmd", "publish", "command"),
    ("service.cli", "serve_cmd", "serve", "command"),
    ("service.cli", "service_app", "service", "group"),
]
for _module, _attr, _name, _kind in _SUBCOMMANDS:
    _obj = getattr(importlib.import_module(_module), _attr)
    if _kind == "group":
        app.add_typer(_obj, name=_name)
    else:
        app.command(_name)(_obj)


@app.command()
def nightly(date: str = typer.Option(..., "--date", help="The night to process, YYYY-MM-DD"),
            summary: bool = typer.Option(True, help="Print the night's summary table")) -> None:
    """Run the nightly batch for one night through the real Airflow DAGs, in this process."""
    from citylake.night import print_summary, run_night

    result = run_night(date)
    if summary:
        print_summary(result, console)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def demo(scale: float = typer.Option(DEMO_SCALE, help="City size (1.0 = Deyang, 3.45 M residents)"),
         date: str = typer.Option(DEMO_DATE, help="The night to generate and process")) -> None:
    """Generate a small synthetic city and run the real nightly DAG over it."""
    from citylake.night import print_summary, run_night
    from ingest.synth import generate_city

    h = home().ensure()
    console.rule(f"[bold]citylake demo[/] — scale {scale}, night {date}, home {h.root}")
    with console.status("Generating the synthetic city (生成模拟城市数据)…"):
        rows = generate_city(h.inbox, scale=scale, date=date)
    console.print(f"Generated {sum(rows.values()):,} rows in {len(rows)} feed deliveries under {h.inbox}")
    result = run_night(date)
    print_summary(result, console)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def sql(command: str = typer.Option(None, "-c", "--command", help="Run one query and exit"),
        snapshot: int = typer.Option(None, help="Time-travel: read the lake as of this DuckLake snapshot")) -> None:
    """Read-only SQL on the lake (DuckDB). Without -c, an interactive prompt."""
    from citylake.db import EXTENSIONS, connect

    conn = connect(read_only=True, extensions=EXTENSIONS)  # spatial: geometry columns
    if snapshot is not None:
        from citylake.db import LAKE_ALIAS

        conn.execute("USE memory")
        conn.execute(f"DETACH {LAKE_ALIAS}")
        conn.execute(f"ATTACH 'ducklake:sqlite:{home().lake_catalog}' AS {LAKE_ALIAS} "
                     f"(READ_ONLY, SNAPSHOT_VERSION {int(snapshot)})")
        conn.execute(f"USE {LAKE_ALIAS}")

    def run(q: str) -> None:
        try:
            rel = conn.sql(q)
        except Exception as e:  # show the database's message, keep the prompt alive
            console.print(f"[red]{type(e).__name__}: {e}[/]")
            return
        if rel is None:
            return
        table = Table(*rel.columns, show_lines=False)
        for row in rel.fetchmany(200):
            table.add_row(*["NULL" if v is None else str(v) for v in row])
        console.print(table)

    if command:
        run(command)
        return
    console.print("citylake lake (read-only). Schemas: base, theme, indicator, quality, catalog. Ctrl-D to quit.")
    while True:
        try:
            q = input("citylake> ")
        except EOFError:
            break
        if q.strip():
            run(q)


@app.command()
def status(nights: int = typer.Option(3, help="How many recent nights to show")) -> None:
    """What the last nights did: DAG runs and task states from Airflow's metadata, and the lake."""
    from citylake.status import print_status

    print_status(console, nights)


@app.command("airflow")
def airflow_ui() -> None:
    """Start Airflow (`airflow standalone`: scheduler, dag-processor, API server/UI) under the citylake home."""
    from citylake import airflow_env

    env = airflow_env.apply()
    airflow_env.ensure_metadata_db()
    console.print(f"Airflow UI: http://localhost:{env['AIRFLOW__API__PORT']}  login: admin / admin "
                  f"(AIRFLOW_HOME={env['AIRFLOW_HOME']})")
    os.execvpe(str(Path(sys.executable).parent / "airflow"), ["airflow", "standalone"], os.environ)


if __name__ == "__main__":
    app()
