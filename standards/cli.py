"""`citylake standards ...`: check ID numbers and USCCs, list the element registry, run the 一数一源 lineage check.

The top-level CLI mounts this app: ``app.add_typer(standards.cli.app, name="standards")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from citylake.core.cliargs import KnownId, static
from standards import validators as v

app = typer.Typer(help="Data standards (数据标准): validators, data elements, one-data-one-source lineage.",
                  no_args_is_help=True)
check_app = typer.Typer(help="Validate identifiers; exit code 1 if any value is invalid.", no_args_is_help=True)
app.add_typer(check_app, name="check")


def _domains() -> set[str]:
    from standards.registry import elements

    return {e.domain for e in elements().values()}


DOMAIN = KnownId("domain", _domains)
# the dbt model schemas (dbt_project.yml `+schema`) whose models lineage can check
MODEL_SCHEMA = KnownId("schema", static("staging", "intermediate", "base", "theme", "indicator"))


def _report(values: list[str], reason_fn, reasons: dict[str, str], normalize_fn) -> None:
    bad = 0
    for value in values:
        n = normalize_fn(value)
        if n is None:
            typer.echo(f"{value!r}: invalid: empty")
            bad += 1
            continue
        reason = reason_fn(value)
        if reason is None:
            typer.echo(f"{n}: valid")
        else:
            bad += 1
            typer.echo(f"{value}: invalid: {reason} ({reasons[reason]})")
    if bad:
        raise typer.Exit(1)


@check_app.command("resident-id")
def check_resident_id(values: Annotated[list[str], typer.Argument(help="ID numbers (公民身份号码)")]) -> None:
    """Check resident ID numbers (GB 11643): length, format, check character, birth date, division code."""
    _report(values, v.ric_reason, v.RIC_REASONS, v.ric_normalize)


@check_app.command("uscc")
def check_uscc(values: Annotated[list[str], typer.Argument(help="unified social credit codes (统一社会信用代码)")]) -> None:
    """Check unified social credit codes (GB 32100), including the embedded GB 11714 organisation code."""
    _report(values, v.uscc_reason, v.USCC_REASONS, v.uscc_normalize)


@app.command("elements")
def list_elements(
    domain: Annotated[str | None, typer.Option(callback=DOMAIN.check,
                                               help="only this domain (person, entity, address, ...)")] = None,
) -> None:
    """List the data element registry (数据元) with authoritative sources."""
    from standards.registry import elements

    table = Table(title="citylake data elements 数据元")
    for col in ("id", "名称", "name", "type", "codeset", "validator", "pii", "authoritative 权威来源"):
        table.add_column(col)
    shown = [e for e in elements().values() if domain is None or e.domain == domain]
    for e in shown:
        auth = str(e.authoritative) if e.authoritative else "—"
        if e.also_authoritative:
            auth += f" (+{len(e.also_authoritative)} scoped)"
        table.add_row(e.id, e.name_zh, e.name_en, e.type, e.codeset or "", e.validator or "", e.pii, auth)
    Console(width=200).print(table)
    typer.echo(f"{len(shown)} elements")


@app.command("lineage")
def lineage(
    project_dir: Annotated[Path | None, typer.Option(help="dbt project directory (default: dbt_project/)")] = None,
    manifest: Annotated[Path | None, typer.Option(help="manifest.json (default: <project-dir>/target/manifest.json)")] = None,
    schema: Annotated[str, typer.Option(callback=MODEL_SCHEMA.check, help="models of this schema are checked")] = "base",
    violations_only: Annotated[bool, typer.Option("--violations-only", help="print only violations")] = False,
) -> None:
    """一数一源: trace every base-library column to dbt sources; exit 1 on a non-authoritative source."""
    from citylake.core.paths import home
    from standards import lineage as lin

    if project_dir is None and manifest is None:
        home().require_lake()  # the manifest a night kept lives in the home
    try:
        rows = lin.check_manifest(lin.manifest_path(home(), project_dir, manifest), schema=schema)
    except FileNotFoundError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from e
    table = Table(title=f"一数一源 lineage of the {schema} models")
    for col in ("model", "column", "element", "authoritative", "sources", "status"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if violations_only and r.ok:
            continue
        table.add_row(r.model, r.column, r.element or "", r.authoritative_text, ", ".join(r.sources),
                      "ok" if r.ok else f"[red]VIOLATION[/red] {r.message}")
    Console(width=220).print(table)
    bad = [r for r in rows if not r.ok]
    typer.echo(f"{len(rows)} columns checked, {len(bad)} violations")
    for r in bad:
        typer.echo(f"VIOLATION {r.message}", err=True)
    if bad:
        raise typer.Exit(1)
