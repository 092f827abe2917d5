"""Ingest throughput per format: the product's landing against a plain read into Parquet.

    python -m benchmarks.ingest --scale 1.0            (make bench-ingest SCALE=1.0)

For each delivery format (csv, xlsx, jsonl, sqlite) two child processes run over the same
generated deliveries (the city cached by `python -m benchmarks`):
  - product: `ingest.land.land_feed` for every feed of that format (read, contract checks
    with the standards' cl_* macros, quarantine, manifest, atomic write);
  - floor:   the faster, per delivery, of a plain DuckDB read into Parquet
    (benchmarks/sql/floor_read.sql) and a plain Polars read written as Parquet (CSV, JSON Lines,
    XLSX via fastexcel; SQLite has DuckDB only) — no checks, no quarantine, no manifest.
Each is measured for wall time, CPU and peak RSS; the table gives rows/s and the ratio
product/floor per format, and the product's own read/check/write split from its manifests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.measure import python, run

FORMATS = ("csv", "xlsx", "jsonl", "sqlite")


def feeds_of(fmt: str):
    from ingest import registry

    return [f for f in registry.load().values() if f.format == fmt]


def polars_read(feed, src: Path, target: Path) -> float | None:
    """A plain Polars read of the delivery written as Parquet (None: no plain Polars reader)."""
    import polars as pl

    t = time.perf_counter()
    if feed.format == "csv":
        enc = "utf8" if feed.encoding.startswith("utf-8") else None
        data = src.read_bytes().decode(feed.encoding) if enc is None else src
        df = pl.read_csv(data.encode() if enc is None else data, infer_schema=False, truncate_ragged_lines=True)
    elif feed.format == "jsonl":
        df = pl.read_ndjson(src, infer_schema_length=None)
    elif feed.format == "xlsx":
        df = pl.concat(pl.read_excel(src, sheet_id=0, read_options={"header_row": feed.header_row - 1},
                                     infer_schema_length=0).values(), how="diagonal_relaxed")
    else:
        return None
    df.write_parquet(target)
    return time.perf_counter() - t


def side(which: str, fmt: str, inbox: Path, out: Path, date: str) -> dict:
    """Run one side for one format in this process; print and return its figures as JSON."""
    from benchmarks.floor import read_plain
    from citylake.core.db import EXTENSIONS, connect
    from ingest.land import land_feed
    from standards.macros import install_macros

    con = connect(lake=False, extensions=EXTENSIONS)
    if which == "product":
        install_macros(con)
    per_feed, rows = {}, 0
    t0 = time.perf_counter()
    for feed in feeds_of(fmt):
        src = feed.inbox_path(inbox, date)
        if not src.exists():
            continue
        t = time.perf_counter()
        if which == "product":
            r = land_feed(feed, date, inbox, out / "raw", out / "quarantine", con=con)
            if r.status not in ("landed", "replaced"):
                raise SystemExit(f"{feed.id}: {r.status} {r.message}")
            manifest = json.loads((feed.raw_dir(out / "raw", date) / "_manifest.json").read_text())
            n = r.rows_read
            per_feed[feed.id] = {"rows": n, "seconds": time.perf_counter() - t, **manifest["timings"],
                                 "quarantined": r.rows_quarantined}
        else:
            target = out / "raw" / feed.department.id / feed.id / f"dt={date}" / "part-0.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            n = read_plain(con, feed, src, target)
            duck_s = time.perf_counter() - t
            polars_s = polars_read(feed, src, target.with_name("part-polars.parquet"))
            per_feed[feed.id] = {"rows": n, "duckdb": duck_s, "polars": polars_s,
                                 "seconds": min(duck_s, polars_s if polars_s is not None else duck_s)}
        rows += n
    result = {"rows": rows, "seconds": sum(f["seconds"] for f in per_feed.values()),
              "process_seconds": time.perf_counter() - t0, "feeds": per_feed}
    print("RESULT " + json.dumps(result))
    return result


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import NIGHT, bench_dir, ensure_city, machine, write_result

    ap = argparse.ArgumentParser(prog="python -m benchmarks.ingest")
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=20231019)
    ap.add_argument("--formats", default=",".join(FORMATS))
    args = ap.parse_args(argv)
    console = Console()
    work = bench_dir() / f"ingest-scale{args.scale}"
    shutil.rmtree(work, ignore_errors=True)
    city, generated = ensure_city(args.scale, args.seed, work / "logs")
    inbox = city / "inbox"
    report = {"machine": machine(), "scale": args.scale, "seed": args.seed, "formats": {}}
    if generated:
        report["generate"] = generated.as_dict()
    for fmt in args.formats.split(","):
        row = {}
        for which in ("floor", "product"):
            out = work / which / fmt
            log = work / "logs" / f"{which}-{fmt}.log"
            m = run(f"{which}_{fmt}", python("-m", "benchmarks.ingest", "--side", which, fmt, str(inbox), str(out),
                                             NIGHT), {}, log)
            res = next(json.loads(x[7:]) for x in log.read_text().splitlines() if x.startswith("RESULT "))
            m.rows = res["rows"]
            row[which] = {**m.as_dict(), "feeds": res["feeds"]}
            shutil.rmtree(out, ignore_errors=True)
        # the ratio compares the work on the deliveries (per-delivery seconds summed), not process start-up
        row["product_s"], row["floor_s"] = res_s(row["product"]), res_s(row["floor"])
        row["ratio"] = row["product_s"] / row["floor_s"]
        report["formats"][fmt] = row
    tot = {w: sum(report["formats"][f][f"{w}_s"] for f in report["formats"]) for w in ("floor", "product")}
    report["ratio_all_formats"] = tot["product"] / tot["floor"]
    print_table(console, report)
    console.print(f"wrote {write_result(report, f'ingest-scale{args.scale}')}")
    return 0


def res_s(side_result: dict) -> float:
    return sum(f["seconds"] for f in side_result["feeds"].values())


def print_table(console: Console, report: dict) -> None:
    t = Table(title=f"ingest throughput per format, scale {report['scale']} (product = land_feed; floor = plain DuckDB read → Parquet)")
    for c in ("format", "feeds", "rows", "floor s", "product s", "ratio", "floor rows/s", "product rows/s",
              "floor MB", "product MB", "read/check/write s"):
        t.add_column(c, justify="left" if c == "format" else "right")
    for fmt, r in report["formats"].items():
        f, p = r["floor"], r["product"]
        split = [sum(x.get(k, 0) for x in p["feeds"].values()) for k in ("read", "check", "write")]
        t.add_row(fmt, str(len(p["feeds"])), f"{p['rows']:,}", f"{r['floor_s']:.1f}", f"{r['product_s']:.1f}",
                  f"{r['ratio']:.2f}", f"{p['rows'] / r['floor_s']:,.0f}", f"{p['rows'] / r['product_s']:,.0f}",
                  f"{f['peak_rss_mb']:.0f}", f"{p['peak_rss_mb']:.0f}", " / ".join(f"{x:.1f}" for x in split))
    console.print(t)
    console.print(f"all formats: product/floor = {report['ratio_all_formats']:.2f} "
                  "(seconds on the deliveries; process wall, CPU and peak memory in the JSON)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--side":
        side(sys.argv[2], sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]), sys.argv[6])
        sys.exit(0)
    sys.exit(main())
