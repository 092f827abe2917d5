"""`citylake` — the command line of the platform (typer + rich).

    citylake demo                 generate a small city and run the nightly DAG once
    citylake nightly --date D     run the nightly DAGs for night D in-process (dag.test)
                 [--engine duckdb|spark]  where the dbt models run (docs/scale-out.md)
    citylake sql [-c QUERY]       read-only SQL on the lake (schemas base, theme, indicator, ...)
                 [--format table|csv|json] [--night D | --snapshot N] [--print-attach] [--print-macros]
    citylake status               what the last nights did
    citylake airflow              Airflow's own UI on http://localhost:8080

Bad input (a date that is not YYYY-MM-DD, an unknown id, a home with nothing to work on yet) is
one line on stderr and exit 2 for every command; `citylake --debug ...` shows tracebacks.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from typer._click import exceptions as click_errors  # typer vendors click (0.29)
from typer.core import TyperGroup

from citylake.core.cliargs import NIGHT, KnownId, static
from citylake.core.errors import UserError
from citylake.core.paths import home

console = Console()
err_console = Console(stderr=True, soft_wrap=True)
_debug = {"on": False}


def one_line(message: str) -> str:
    """A message as one line (click's and DuckDB's messages may span several)."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def guarded(run) -> int:  # noqa: ANN001 - a callable running the click command
    """Run the command line; user errors (bad input, nothing to work on yet) as one line on
    stderr and exit 2, any other failure as one line and exit 1. `--debug` shows tracebacks."""
    try:
        rv = run()
    except click_errors.NoArgsIsHelpError as e:
        e.show()
        return 2
    except click_errors.ClickException as e:
        where = f"{e.ctx.command_path}: " if getattr(e, "ctx", None) else "citylake: "
        err_console.print(where + one_line(e.format_message()), markup=False, highlight=False)
        return 2
    except typer.Abort:
        err_console.print("citylake: aborted", markup=False)
        return 130
    except UserError as e:
        if _debug["on"]:
            raise
        err_console.print(f"citylake: {one_line(str(e))}", markup=False, highlight=False)
        return 2
    except Exception as e:
        if _debug["on"]:
            raise
        err_console.print(f"citylake: internal error: {type(e).__name__}: {one_line(str(e))} "
                          f"(run with --debug for the traceback)", markup=False, highlight=False)
        return 1
    return rv if isinstance(rv, int) else 0


class _OneLineErrors(TyperGroup):
    """The top command group: every failure goes through `guarded`."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: ANN001, ANN201
        _debug["on"] = False
        code = guarded(lambda: super(_OneLineErrors, self).main(
            args=args, prog_name="citylake", complete_var=complete_var,
            standalone_mode=False, **extra))
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(help="citylake — government data middle platform (数据中台) on a DuckDB/DuckLake lake.",
                  no_args_is_help=True, add_completion=False, cls=_OneLineErrors,
                  pretty_exceptions_enable=False)


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors")) -> None:
    _debug["on"] = debug


DEMO_DATE = "2026-11-25"
DEMO_SCALE = 0.002

# Sub-commands contributed by the modules: (module, attribute, name, kind)
_SUBCOMMANDS = [
    ("standards.cli", "app", "standards", "group"),
    ("ingest.cli", "feeds_app", "feeds", "group"),
    ("ingest.cli", "ingest_cmd", "ingest", "command"),
    ("synth.cli", "generate_cmd", "generate", "command"),
    ("quality.cli", "app", "quality", "group"),
    ("catalogs.cli", "catalog_app", "catalog", "group"),
    ("catalogs.cli", "publish_cmd", "publish", "command"),
    ("service.cli", "serve_cmd", "serve", "command"),
    ("service.cli", "service_app", "service", "group"),
    ("citylake.cli.lake", "app", "lake", "group"),
]
for _module, _attr, _name, _kind in _SUBCOMMANDS:
    _obj = getattr(importlib.import_module(_module), _attr)
    if _kind == "group":
        app.add_typer(_obj, name=_name)
    else:
        app.command(_name)(_obj)
# `citylake quality report` reads quality/ and catalogs/ (the objections and usage of the data service)
importlib.import_module("quality.cli").app.command("report")(
    importlib.import_module("citylake.cli.reports").report_cmd)


def _engines() -> tuple[str, ...]:
    from citylake.orchestration.dag_spec import NIGHT_ENGINES

    return NIGHT_ENGINES


@app.command()
def nightly(date: str = typer.Option(..., "--date", callback=NIGHT.check, help="The night to process, YYYY-MM-DD"),
            engine: str = typer.Option("duckdb", "--engine", envvar="CITYLAKE_ENGINE",
                                       callback=KnownId("engine", _engines).check,
                                       help="Where the dbt models run: duckdb, or spark (in this process; "
                                            "docs/scale-out.md); default CITYLAKE_ENGINE's"),
            summary: bool = typer.Option(True, help="Print the night's summary table")) -> None:
    """Run the nightly batch for one night through the real Airflow DAGs, in this process."""
    from citylake.orchestration.dbt_runner import spark_missing
    from citylake.orchestration.night import print_summary, run_night

    if engine == "spark" and (why := spark_missing()):
        raise UserError(f"--engine spark: {why}")
    h = home().require_inbox()
    result = run_night(date, h=h, engine=engine)
    if summary:
        print_summary(result, console, h)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def demo(scale: float = typer.Option(DEMO_SCALE, help="City size (1.0 = Deyang, 3.45 M residents)"),
         date: str = typer.Option(DEMO_DATE, callback=NIGHT.check, help="The night to generate and process")) -> None:
    """Generate a small synthetic city and run the real nightly DAG over it."""
    from citylake.orchestration.night import print_summary, run_night
    from synth import generate_city

    h = home().ensure()
    console.rule(f"[bold]citylake demo[/] — scale {scale}, night {date}, home {h.root}")
    with console.status("Generating the synthetic city (生成模拟城市数据)…"):
        rows = generate_city(h.inbox, scale=scale, date=date)
    console.print(f"Generated {sum(rows.values()):,} rows in {len(rows)} feed deliveries under {h.inbox}")
    result = run_night(date, h=h)
    print_summary(result, console, h)
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def sql(command: str = typer.Option(None, "-c", "--command",
                                    help="SQL to run (one or more statements separated by ;), then exit"),
        fmt: str = typer.Option("table", "--format", callback=KnownId("format", static("table", "csv", "json")).check,
                                help="table (for people), csv or json (for scripts)"),
        max_rows: int = typer.Option(None, "--max-rows", min=1,
                                     help="Rows to print per result (default: 200 in table format, "
                                          "all in csv/json); a truncated table says so"),
        snapshot: int = typer.Option(None, help="Time travel: read the lake as of this DuckLake snapshot"),
        night: str = typer.Option(None, "--night", callback=NIGHT.check,
                                  help="Time travel: read the lake as it was at the end of this night"),
        print_attach: bool = typer.Option(False, "--print-attach",
                                          help="Print the SQL a plain DuckDB client runs to open this lake offline"),
        print_macros: bool = typer.Option(False, "--print-macros",
                                          help="Print the cl_* standards macros the staging views call")) -> None:
    """Read-only SQL on the lake (DuckDB). Without -c: a script on stdin, or an interactive prompt
    (line editing, history, statements end with `;`). A SQL error exits 2."""
    from citylake.cli import sql as sqlshell

    h = home().require_lake()
    if print_attach or print_macros:
        typer.echo(sqlshell.recipe(h, attach=print_attach, macros=print_macros))
        return
    conn = sqlshell.open_lake(h, snapshot=snapshot, night=night)
    out = sqlshell.Output(fmt, max_rows, console)
    if command is not None:
        sqlshell.run_script(conn, command, out)
    elif not sys.stdin.isatty():
        sqlshell.run_script(conn, sys.stdin.read(), out)
    else:
        sqlshell.interactive(conn, out, h.sql_history)


@app.command()
def status(nights: int = typer.Option(3, min=1, help="How many recent nights to show")) -> None:
    """What the last nights did: DAG runs and task states from Airflow's metadata, and the lake."""
    from citylake.orchestration.status import print_status

    print_status(console, home().require_lake(), nights)


@app.command("airflow")
def airflow_ui() -> None:
    """Start Airflow (`airflow standalone`: scheduler, dag-processor, API server/UI) under the citylake home."""
    from citylake.orchestration import airflow_env

    h = home().require_inbox()
    env = airflow_env.apply(h=h)
    airflow_env.ensure_metadata_db(h=h)
    console.print(f"Airflow UI: http://localhost:{env['AIRFLOW__API__PORT']}  login: admin / admin "
                  f"(AIRFLOW_HOME={env['AIRFLOW_HOME']})")
    os.execvpe(str(Path(sys.executable).parent / "airflow"), ["airflow", "standalone"], os.environ)


if __name__ == "__main__":
    app()
