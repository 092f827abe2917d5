"""`python -m benchmarks.engines --scale 0.01 --scale 0.1`: the dbt stage on DuckDB and on Spark, side
by side in one run, on the same raw zone; and from the per-model costs, what a province needs.

Per scale: the generated city (cached, benchmarks/__main__.ensure_city) is landed once by
`citylake ingest` into a fresh home; then the same dbt selection — every model Spark builds
(`staging intermediate marts --exclude tag:spatial+`, tests/spark/test_spark_equality.py proves
the rows equal) — is run in full with the default DuckDB engine into the lake and with
CITYLAKE_ENGINE=spark (dbt-spark `session`, `--master`, `--driver-memory`) into Spark's warehouse
in the same home. Each build is a child process measured as a process tree (the JVM included):
wall, CPU, peak memory; dbt's run_results give each model's seconds.

The province estimate fits, per engine, the stage's CPU seconds = fixed + per_scale × scale
through the smallest and the largest scale measured (a line through two points, neither part
negative). CPU seconds, not wall: on a shared machine the wall of two builds run one after the
other sees different loads, while the work a build does changes far less. Evaluated at the
province's scale (Sichuan ≈ 24 × Deyang = scale 24): the fixed part runs one statement at a time
(dbt's one thread; Spark's per-statement cost does not shrink with executors), the per-scale part
is spread over the cores — this machine's for DuckDB and Spark local, N cores of a Spark cluster
(ideal scaling: a lower bound of the cluster's wall). `python -m benchmarks --engine spark` runs
the comparison for its own scale on the product's raw zone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.measure import Measurement, python, run

SELECT = ["--select", "staging", "intermediate", "marts", "--exclude", "tag:spatial+"]
PROVINCE_SCALE = 24.0  # Sichuan ≈ 84 M people ≈ 24 × Deyang (scale 1.0 = Deyang)
CLUSTER_CORES = (16, 64, 256)
RESULT = "ENGINE_RESULT "


def build(home: str, date: str) -> int:
    """The child: one full dbt run of SELECT on CITYLAKE_ENGINE, its per-model outcome as one line."""
    from citylake.core.paths import Home
    from citylake.orchestration.dbt_runner import invoke

    done = invoke(["run", *SELECT, "--full-refresh"], run_date=date, h=Home(Path(home)), quiet=False)
    models = {r["unique_id"].split(".")[-1]: round(r["seconds"], 3) for r in done.results
              if r["unique_id"].startswith("model.") and r["status"] == "success"}
    print(RESULT + json.dumps({"success": done.success, "seconds": done.seconds, "models": models,
                               "failures": done.failures()[:5]}))
    return 0 if done.success else 1


def engine_result(log: Path) -> dict:
    for line in log.read_text(errors="replace").splitlines()[::-1]:
        if line.startswith(RESULT):
            return json.loads(line.removeprefix(RESULT))
    return {}


def compare(home: Path, logs: Path, date: str, master: str, driver_memory: str) -> dict[str, Measurement]:
    """Both engines' full builds of night `date` in `home` (its raw zone landed): one measurement each."""
    envs = {"duckdb": {"CITYLAKE_ENGINE": "duckdb"},
            "spark": {"CITYLAKE_ENGINE": "spark", "CITYLAKE_SPARK_MASTER": master,
                      "CITYLAKE_SPARK_DRIVER_MEMORY": driver_memory,
                      "CITYLAKE_SPARK_SHUFFLE_PARTITIONS": str(max(2, 2 * cores(master)))}}
    out = {}
    for engine, env in envs.items():
        log = logs / f"dbt_{engine}.log"
        m = run(f"dbt_{engine}", python("-m", "benchmarks.engines", "build", str(home), date),
                {"CITYLAKE_HOME": str(home), **env}, log, check=False, tree=True)
        m.detail = engine_result(log)
        m.rows = len(m.detail.get("models", {}))
        out[engine] = m
    return out


def cores(master: str) -> int:
    """The cores of a local master (local[N], local[*]); 2 for anything else."""
    inside = master.removeprefix("local[").removesuffix("]")
    if inside == "*":
        return os.cpu_count() or 2
    return int(inside) if inside.isdigit() else 2


def landed_home(scale: float, seed: int, work: Path, date: str) -> Path:
    """A fresh home under `work` with the city of this scale landed by `citylake ingest`."""
    from benchmarks.__main__ import ensure_city

    city, _ = ensure_city(scale, seed, work / "logs")
    home = work / f"scale{scale}"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(city / "inbox", home / "inbox")
    run(f"ingest_{scale}", python("-m", "citylake.cli.main", "ingest", "--date", date),
        {"CITYLAKE_HOME": str(home)}, work / "logs" / f"ingest_{scale}.log")
    return home


def fit(points: dict[float, float]) -> tuple[float, float]:
    """(fixed, per_scale) of the line through the smallest and the largest scale's seconds, neither
    negative: a model no slower with more data is all fixed cost (its seconds at the largest scale)."""
    lo, hi = min(points), max(points)
    if lo == hi:
        return 0.0, points[hi] / hi
    slope = (points[hi] - points[lo]) / (hi - lo)
    if slope <= 0:
        return points[hi], 0.0
    return max(0.0, points[lo] - slope * lo), slope


def estimate(cpu_by_scale: dict[float, dict[str, float]], local_cores: int) -> dict:
    """The province's dbt stage per engine from its CPU seconds at each scale ({scale: {engine: cpu_s}}):
    CPU seconds in all, and the wall on this machine's cores (and, for Spark, on N cores of a cluster)."""
    out: dict[str, dict] = {}
    for engine in ("duckdb", "spark"):
        fixed, per = fit({scale: by_engine[engine] for scale, by_engine in cpu_by_scale.items()})
        work = per * PROVINCE_SCALE
        out[engine] = {"fixed_cpu_s": round(fixed, 1), "cpu_per_scale_s": round(per, 1),
                       "cpu_s": round(fixed + work, 1), "this_machine_s": round(fixed + work / local_cores, 1)}
        if engine == "spark":
            out[engine]["cluster_s"] = {str(n): round(fixed + work / n, 1) for n in CLUSTER_CORES}
    return out


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["build"]:
        return build(*sys.argv[2:4])
    from benchmarks.__main__ import NIGHT, bench_dir, machine, write_result

    ap = argparse.ArgumentParser(prog="python -m benchmarks.engines")
    ap.add_argument("--scale", type=float, action="append", help="repeat for several (default 0.01 and 0.1)")
    ap.add_argument("--seed", type=int, default=20231019)
    ap.add_argument("--master", default="local[2]", help="Spark's master (the machine's cores: local[2])")
    ap.add_argument("--driver-memory", default="6g", help="Spark driver's heap (DuckDB's limit is 5GB)")
    ap.add_argument("--from", dest="saved", type=Path, help="summarise the builds of a saved result again")
    args = ap.parse_args(argv)
    if args.saved:  # its machine, seed and Spark settings are the saved run's
        saved = json.loads(args.saved.read_text())
        runs = saved_runs(saved)
        vars(args).update({k: saved[k] for k in ("seed", "master", "driver_memory")})
    else:
        work = bench_dir() / "engines"
        runs = {}
        for scale in sorted(set(args.scale or [0.01, 0.1])):
            home = landed_home(scale, args.seed, work, NIGHT)
            runs[scale] = compare(home, work / "logs" / f"scale{scale}", NIGHT, args.master, args.driver_memory)
    report = summarise(runs, cores(args.master))
    report = {"machine": saved["machine"] if args.saved else machine(), "seed": args.seed, "master": args.master,
              "driver_memory": args.driver_memory, "select": " ".join(SELECT),
              **({"summarised_from": args.saved.name} if args.saved else {}), **report}
    print_report(Console(), report)
    print(f"wrote {write_result(report, 'engines')}")
    return 0 if all(m.returncode == 0 for r in runs.values() for m in r.values()) else 1


def saved_runs(report: dict) -> dict[float, dict[str, Measurement]]:
    """The measured builds of a results JSON this module wrote, as `compare` returned them."""
    runs = {}
    for scale, v in report["scales"].items():
        runs[float(scale)] = {}
        for engine, m in v["measurements"].items():
            fields = {k: m[k] for k in ("stage", "wall_s", "cpu_s", "peak_rss_mb", "returncode", "rows")}
            runs[float(scale)][engine] = Measurement(**fields, detail={**m["detail"], "models": v["model_s"][engine]})
    return runs


def summarise(runs: dict[float, dict[str, Measurement]], local_cores: int) -> dict:
    scales = {}
    for scale, by_engine in runs.items():
        d, s = by_engine["duckdb"], by_engine["spark"]
        slowest = sorted(s.detail.get("models", {}).items(), key=lambda kv: -kv[1])[:8]
        scales[str(scale)] = {
            "measurements": {k: {**m.as_dict(), "detail": {"success": m.detail.get("success"),
                                                          "failures": m.detail.get("failures")}}
                             for k, m in by_engine.items()},
            "spark_over_duckdb": {"wall": s.wall_s / d.wall_s, "cpu": s.cpu_s / d.cpu_s,
                                  "peak_memory": s.peak_rss_mb / d.peak_rss_mb},
            "slowest_on_spark": [{"model": k, "spark_s": v, "duckdb_s": d.detail.get("models", {}).get(k)}
                                 for k, v in slowest],
            "model_s": {e: m.detail.get("models", {}) for e, m in by_engine.items()}}
    cpu_by_scale = {scale: {e: m.cpu_s for e, m in by_engine.items()} for scale, by_engine in runs.items()}
    ok = all(m.detail.get("success") for r in runs.values() for m in r.values())
    return {"scales": scales,
            "province_estimate": {"scale": PROVINCE_SCALE, "local_cores": local_cores,
                                  **estimate(cpu_by_scale, local_cores)} if ok and len(runs) > 1 else None}


def print_report(console: Console, report: dict) -> None:
    t = Table(title=f"dbt stage: DuckDB vs Spark ({report['master']}), same raw zone, {report['select']}")
    for c in ("scale", "engine", "wall s", "cpu s", "peak MB", "models", "exit"):
        t.add_column(c, justify="left" if c == "engine" else "right")
    for scale, v in report["scales"].items():
        for engine, m in v["measurements"].items():
            t.add_row(scale, engine, f"{m['wall_s']:.1f}", f"{m['cpu_s']:.1f}", f"{m['peak_rss_mb']:.0f}",
                      str(m["rows"]), str(m["returncode"]))
        r = v["spark_over_duckdb"]
        t.add_row(scale, "spark/duckdb", f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{r['peak_memory']:.2f}", "", "")
    console.print(t)
    if est := report.get("province_estimate"):
        e = Table(title=f"province (scale {est['scale']:g}) dbt stage, estimated from the CPU at each scale")
        e.add_column("where")
        e.add_column("seconds", justify="right")
        e.add_row("DuckDB, one machine like this one", f"{est['duckdb']['this_machine_s']:,.0f}")
        e.add_row(f"Spark {report['master']}, this machine", f"{est['spark']['this_machine_s']:,.0f}")
        for n, s in est["spark"]["cluster_s"].items():
            e.add_row(f"Spark cluster, {n} cores (ideal scaling)", f"{s:,.0f}")
        console.print(e)


if __name__ == "__main__":
    sys.exit(main())
