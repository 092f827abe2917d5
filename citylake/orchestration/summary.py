"""The end-of-night summary table: rows per dataset, gate results, where things are."""

from __future__ import annotations

from rich.table import Table

from citylake.core.paths import Home
from citylake.orchestration.dag_spec import NIGHT_VERDICT
from standards import libraries


def library_counts(h: Home) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every analyst-facing table in the lake."""
    from citylake.core.db import connect

    if not h.lake_catalog.exists():
        return []
    conn = connect(read_only=True, h=h)
    try:
        tables = conn.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'lake' "
            "and list_contains(?, schema_name) order by 1, 2", [list(libraries.LAYERS)]).fetchall()
        # one query: counts of every table, unioned (identifiers come from the catalog itself)
        return [(s, t, conn.execute(f'select count(*) from lake."{s}"."{t}"').fetchone()[0]) for s, t in tables]
    finally:
        conn.close()


def render_summary(result, console, h: Home) -> None:
    feeds = Table(title=f"Night {result.date}: deliveries 交换 (department → raw lake)")
    for col in ("feed", "status", "read", "landed", "quarantined", "gate"):
        feeds.add_column(col, justify="right" if col in ("read", "landed", "quarantined") else "left")
    for feed_id, landing in sorted(result.landings.items()):
        gate = result.gates.get(feed_id)
        gate_txt = "—" if gate is None else ("[green]pass[/]" if gate.get("passed") else "[red]BLOCKED[/]")
        if gate and gate.get("passed") and gate.get("warnings"):
            gate_txt += f" ({len(gate['warnings'])} warn)"
        status = landing.get("status", "?")
        feeds.add_row(feed_id, status if status not in ("failed", "missing") else f"[red]{status}[/]",
                      f"{landing.get('rows_read', 0):,}", f"{landing.get('rows_landed', 0):,}",
                      f"{landing.get('rows_quarantined', 0):,}", gate_txt)
    console.print(feeds)

    libs = Table(title="Libraries in the lake 库 (rows)")
    libs.add_column("schema")
    libs.add_column("table")
    libs.add_column("rows", justify="right")
    for schema, table, n in library_counts(h):
        libs.add_row(schema, table, f"{n:,}")
    console.print(libs)

    for dag_id, st in result.dag_states.items():
        colour = "green" if st == "success" else "red"
        console.print(f"DAG [bold]{dag_id}[/]: [{colour}]{st}[/] in {result.seconds.get(dag_id, 0):.1f}s")
        failed = [t for t in result.failed_tasks.get(dag_id, []) if t != NIGHT_VERDICT]
        if failed:
            console.print(f"  [red]failed tasks[/] (their logs say why): {', '.join(failed)}")
    from catalogs.exchange_log import summary as exchange_summary

    exchanges = exchange_summary(result.date, h=h)
    if exchanges:
        console.print("Exchanges logged 交换日志 (catalog.exchange_log): " + ", ".join(
            f"{kind} {v.get('exchanges', 0)}" for kind, v in sorted(exchanges.items())))
    if result.unusable:
        console.print("[yellow]Not published tonight (readers keep the last good snapshot):[/] "
                      + ", ".join(f"{k} ({v})" for k, v in result.unusable.items()))
    console.print(f"Lake: {h.lake_catalog} (data {h.lake_data})   Reports: {h.reports}   Raw: {h.raw}")
    console.print('Query it:  [bold]citylake sql -c "select count(*) from base.population"[/]')
