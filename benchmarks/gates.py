"""Gate cost: GX SQL pushdown (what the product runs) against the same suites on a pandas batch.

    python -m benchmarks.gates --scale 0.1            (make bench-gates SCALE=0.1)

Over one night of the cached city (`python -m benchmarks`), every delivery is landed once
(setup, not measured), then for every feed suite (department → raw hand-over):
  - sql_all:      the whole generated suite through `quality.gates.run_gate` — GX's SQL
                  datasource on DuckDB, one query per expectation (the product's gate);
  - sql_builtin:  only its built-in GX expectations (row count, uniqueness, regex) validated on
                  a batch of GX's SQL datasource (pushdown into DuckDB);
  - pandas:       the same built-in expectations validated the same way on a pandas batch of the
                  same Parquet file (GX's pandas datasource), plus the time to load the file.
Both comparisons are `batch.validate(suite)` alone (no checkpoint, no Data Docs), so they
measure the engines; `sql_all` is what a gate task costs in the nightly batch.
The `UnexpectedRowsExpectation` rules (validator macros, code sets, cross-checks — 72 % of the
expectations) are SQL by nature and have no pandas form; the comparison is on the rest.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def _fresh_asset(ds, name: str):  # noqa: ANN001, ANN202
    try:
        ds.delete_asset(name)
    except (LookupError, ValueError):
        pass
    return name


def validate_sql(specs, rel_sql: str, h) -> tuple[float, bool]:
    """(validation seconds, success) of `specs` on a batch of GX's SQL datasource (DuckDB)."""
    import great_expectations as gx

    from quality.gx_run import datasource as _datasource
    from quality.gx_run import dispose as _dispose
    from quality.gx_run import gx_context

    ds = _datasource(gx_context(h), h, lake=False)
    bd = ds.add_query_asset(_fresh_asset(ds, "bench_sql"), query=rel_sql).add_batch_definition_whole_table("night")
    suite = gx.ExpectationSuite(name="bench_sql", expectations=[s.to_gx() for s in specs])
    t = time.perf_counter()
    result = bd.get_batch().validate(suite)
    seconds = time.perf_counter() - t
    _dispose(ds)
    return seconds, bool(result.success)


def validate_pandas(specs, parquet: Path, h) -> tuple[float, float, bool]:
    """(load seconds, validation seconds, success) of `specs` on a pandas batch of `parquet`."""
    import great_expectations as gx
    import pandas as pd

    from quality.gx_run import gx_context

    t = time.perf_counter()
    df = pd.read_parquet(parquet)
    load = time.perf_counter() - t
    ds = gx_context(h).data_sources.add_or_update_pandas("bench_pandas")
    bd = ds.add_dataframe_asset(_fresh_asset(ds, "bench_pandas")).add_batch_definition_whole_dataframe("night")
    suite = gx.ExpectationSuite(name="bench_pandas", expectations=[s.to_gx() for s in specs])
    t = time.perf_counter()
    result = bd.get_batch(batch_parameters={"dataframe": df}).validate(suite)
    return load, time.perf_counter() - t, bool(result.success)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import NIGHT, bench_dir, ensure_city, machine, write_result
    from citylake.core.paths import Home
    from ingest import registry
    from ingest.land import land_all
    from quality import suites
    from quality.gates import UNEXPECTED_ROWS, raw_relation_sql, relation_sql, run_gate

    ap = argparse.ArgumentParser(prog="python -m benchmarks.gates")
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=20231019)
    args = ap.parse_args(argv)
    console = Console()
    work = bench_dir() / f"gates-scale{args.scale}"
    shutil.rmtree(work, ignore_errors=True)
    city, _ = ensure_city(args.scale, args.seed, work / "logs")
    h = Home(work / "home").ensure()
    shutil.copytree(city / "inbox", h.inbox, dirs_exist_ok=True)
    with console.status("landing the night (setup, not measured)…"):
        landed = {r.feed_id: r for r in land_all(NIGHT, h)}
    rows = []
    for feed in registry.load().values():
        if landed[feed.id].status not in ("landed", "replaced"):
            continue
        specs = suites.feed_suite(feed, NIGHT, h=h)
        builtin = [s for s in specs if s.type != UNEXPECTED_ROWS]
        rel = raw_relation_sql(feed, NIGHT, h.raw)
        t = time.perf_counter()
        g_all = run_gate(feed.id, rel, specs, "department_to_raw", NIGHT, h=h, lake=False, record=False)
        sql_all = time.perf_counter() - t
        sql_builtin, builtin_ok = validate_sql(builtin, relation_sql(rel), h)
        load, pandas_s, pandas_ok = validate_pandas(builtin, feed.raw_dir(h.raw, NIGHT) / "part-0.parquet", h)
        rows.append({"feed": feed.id, "rows": g_all.row_count, "expectations": len(specs), "builtin": len(builtin),
                     "sql_all_s": sql_all, "sql_all_gx_s": g_all.gx_seconds, "sql_builtin_s": sql_builtin,
                     "pandas_load_s": load, "pandas_s": pandas_s, "same_verdict": builtin_ok == pandas_ok})
        console.print(f"{feed.id}: {g_all.row_count:,} rows, sql {sql_all:.1f}s, builtin sql {sql_builtin:.1f}s, "
                      f"pandas {load:.1f}+{pandas_s:.1f}s")
    tot = {k: sum(r[k] for r in rows) for k in ("sql_all_s", "sql_builtin_s", "pandas_load_s", "pandas_s", "rows")}
    report = {"machine": machine(), "scale": args.scale, "seed": args.seed, "suites": rows, "totals": tot,
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "pandas_over_sql_builtin": (tot["pandas_load_s"] + tot["pandas_s"]) / tot["sql_builtin_s"],
              "verdicts_agree": all(r["same_verdict"] for r in rows)}
    print_table(console, report)
    console.print(f"wrote {write_result(report, f'gates-scale{args.scale}')}")
    return 0


def print_table(console: Console, report: dict) -> None:
    t = Table(title=f"feed gates, scale {report['scale']}: GX SQL pushdown vs pandas batch (slowest 10 suites)")
    for c in ("suite", "rows", "expectations", "gate task s", "built-in", "SQL validate s", "pandas load+validate s"):
        t.add_column(c, justify="left" if c == "suite" else "right")
    for r in sorted(report["suites"], key=lambda r: -r["sql_all_s"])[:10]:
        t.add_row(r["feed"], f"{r['rows']:,}", str(r["expectations"]), f"{r['sql_all_s']:.1f}", str(r["builtin"]),
                  f"{r['sql_builtin_s']:.1f}", f"{r['pandas_load_s']:.1f}+{r['pandas_s']:.1f}")
    tot = report["totals"]
    t.add_row("all suites", f"{tot['rows']:,}", str(sum(r["expectations"] for r in report["suites"])),
              f"{tot['sql_all_s']:.1f}", str(sum(r["builtin"] for r in report["suites"])),
              f"{tot['sql_builtin_s']:.1f}", f"{tot['pandas_load_s']:.1f}+{tot['pandas_s']:.1f}")
    console.print(t)
    console.print(f"pandas (load + validate) / SQL pushdown on the same built-in expectations: "
                  f"{report['pandas_over_sql_builtin']:.2f}; "
                  f"same verdicts: {report['verdicts_agree']}; peak RSS {report['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
