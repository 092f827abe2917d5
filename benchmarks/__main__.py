"""`python -m benchmarks --scale S` (or `make bench SCALE=S`): the nightly batch against its floor.

1. generate the city at scale S (cached by scale and seed under $CITYLAKE_BENCH_DIR, default var/bench);
2. the floor: the same work as plain DuckDB in one process (ingest, validations, compiled models);
   and the limit: every delivered byte read once and every library row written once (DuckDB
   `COPY … TO parquet`), the speed of light of the night on this machine;
3. the product: `citylake nightly` (the real DAGs), split into ingest, gates, dbt, catalogs,
   reports and orchestration (from Airflow's task durations);
4. a second run of the same night (idempotent) and the next night (incremental);
5. with --scheduler, right after the product: the same night under `airflow scheduler` +
   LocalExecutor on a copy of the same inbox (benchmarks/scheduler.py says what each wall covers);
6. with --engine spark, last: the dbt stage on DuckDB and on Spark side by side on a copy of the
   product's raw zone (benchmarks/engines.py);
then one table — wall, CPU, peak memory, rows, rows/s per stage, ratio product/floor — and
the same as JSON in benchmarks/results/ with the machine's description.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import dbt_log, engines, scheduler
from benchmarks.measure import Measurement, exit_on_sigterm, python, run
from citylake.core.paths import REPO_ROOT

RESULTS = Path(__file__).with_name("results")
NIGHT = "2026-11-25"
NEXT_NIGHT = "2026-11-26"
STAGES = ("ingest", "gates", "dbt", "catalogs", "reports", "orchestration")


def machine() -> dict:
    import psutil

    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "processor": platform.processor()}


def stage_of(task_id: str) -> str:
    if task_id.endswith(".land"):
        return "ingest"
    if task_id.endswith(".gate") or task_id.startswith("gate"):
        return "gates"
    if (task_id.startswith("dbt_") and task_id != "dbt_plan") or task_id == "lineage_check":
        return "dbt"  # lineage_check: `dbt docs generate` (catalog, offline docs) + sqlglot lineage
    if task_id.startswith("catalogs"):
        return "catalogs"
    if task_id.startswith("quality_"):
        return "reports"
    return "orchestration"


def task_breakdown(home: Path) -> dict[str, float]:
    """Seconds per stage from Airflow's metadata (task_instance.duration) for the newest runs."""
    conn = sqlite3.connect(home / "airflow" / "airflow.db")
    rows = conn.execute(
        "select ti.task_id, coalesce(ti.duration, 0) from task_instance ti join dag_run dr "
        "on dr.dag_id = ti.dag_id and dr.run_id = ti.run_id "
        "where dr.id in (select max(id) from dag_run group by dag_id)").fetchall()
    out = dict.fromkeys(STAGES, 0.0)
    for task_id, seconds in rows:
        out[stage_of(task_id)] += float(seconds)
    return out


def airflow_wall(home: Path) -> float:
    """Wall time of the newest night from Airflow's task times (first start to last end)."""
    conn = sqlite3.connect(home / "airflow" / "airflow.db")
    start, end = conn.execute(
        "select min(julianday(ti.start_date)), max(julianday(ti.end_date)) from task_instance ti join dag_run dr "
        "on dr.dag_id = ti.dag_id and dr.run_id = ti.run_id "
        "where dr.id in (select max(id) from dag_run group by dag_id)").fetchone()
    return (end - start) * 86400.0


def landed_rows(home: Path, date: str) -> int:
    total = 0
    for p in (home / "state" / date).glob("landing__*.json"):
        total += int(json.loads(p.read_text()).get("rows_read") or 0)
    return total


def floor_result(log: Path) -> dict:
    for line in log.read_text().splitlines()[::-1]:
        if line.startswith("FLOOR_RESULT "):
            return json.loads(line.split(" ", 1)[1])
    return {}


def bench_dir() -> Path:
    return Path(os.environ.get("CITYLAKE_BENCH_DIR", REPO_ROOT / "var" / "bench"))


def ensure_city(scale: float, seed: int, logs: Path) -> tuple[Path, Measurement | None]:
    """The generated city at this scale and seed (cached); the generation's measurement if it ran now."""
    city = bench_dir() / f"city-scale{scale}-seed{seed}"
    if (city / ".complete").exists():
        return city, None
    shutil.rmtree(city, ignore_errors=True)
    m = run("generate", python("-m", "citylake.cli.main", "generate", "--scale", str(scale), "--date", NIGHT,
                               "--seed", str(seed)), {"CITYLAKE_HOME": str(city)}, logs / "generate.log")
    (city / ".complete").touch()
    return city, m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=20231019)
    ap.add_argument("--skip-reruns", action="store_true", help="skip the idempotent re-run and the next night")
    ap.add_argument("--skip-same-night-rerun", action="store_true", help="measure the next night, not the re-run")
    ap.add_argument("--reuse-product", action="store_true",
                    help="keep an already finished product run (wall time from Airflow's task times; "
                         "its CPU and memory are then not known)")
    ap.add_argument("--scheduler", action="store_true",
                    help="also run the night under the real Airflow services (scheduler + LocalExecutor) and "
                         "report ratios.scheduler_over_in_process")
    ap.add_argument("--scheduler-timeout", type=float, default=4 * 3600, help="seconds that night may take")
    ap.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                    help="spark: also run the dbt stage on Spark beside DuckDB on the product's raw zone "
                         "(needs `uv sync --extra spark` and Java)")
    ap.add_argument("--spark-master", default="local[2]")
    ap.add_argument("--spark-driver-memory", default="6g")
    args = ap.parse_args(argv)
    console = Console()
    work = bench_dir() / f"run-scale{args.scale}"
    product, floor = work / "product", work / "floor"
    logs = work / "logs"
    results: dict[str, Measurement] = {}
    if not args.reuse_product:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(floor, ignore_errors=True)

    # 1. the city (cached)
    city, generated = ensure_city(args.scale, args.seed, logs)
    if generated:
        results["generate"] = generated
    env = {"CITYLAKE_HOME": str(product)}

    # 3. the product (first: the floor replays its compiled SQL)
    if args.reuse_product:
        night = Measurement("product", wall_s=airflow_wall(product), cpu_s=float("nan"),
                            peak_rss_mb=float("nan"), returncode=0, detail={"reused": True})
    else:
        product.mkdir(parents=True)
        shutil.copytree(city / "inbox", product / "inbox")
        night = run("product", python("-m", "citylake.cli.main", "nightly", "--date", NIGHT, "--no-summary"), env,
                    logs / "product.log", check=False)
    night.rows = landed_rows(product, NIGHT)
    night.detail = {**night.detail, **task_breakdown(product), "dbt_nodes": dbt_log.summarise_file(logs / "product.log")}
    results["product"] = night
    if args.engine == "spark":  # the raw zone of the first night, before the next night adds its own
        shutil.rmtree(work / "engines", ignore_errors=True)
        shutil.copytree(product / "raw", work / "engines" / "raw")
    if args.scheduler:
        if night.returncode == 0:  # the DAGs alone: first task start to last task end
            night.detail["task_span_s"] = airflow_wall(product)
        results["scheduler"] = under_scheduler(city, work / "scheduler", args.scheduler_timeout)

    # 2. the floor, same data, same invocation
    floor.mkdir(parents=True)
    fenv = {"CITYLAKE_HOME": str(floor)}
    results["floor_ingest"] = run("floor_ingest", python("-m", "benchmarks.floor", "ingest", str(product / "inbox"),
                                                         str(floor), NIGHT), fenv, logs / "floor_ingest.log")
    results["floor_checks"] = run("floor_checks", python("-m", "benchmarks.floor", "checks", str(floor), NIGHT),
                                  fenv, logs / "floor_checks.log")
    results["floor_transform"] = run("floor_transform", python("-m", "benchmarks.floor", "transform", str(floor),
                                                               str(product)), fenv, logs / "floor_transform.log")
    results["limit"] = run("limit", python("-m", "benchmarks.floor", "limit", str(product / "inbox"), str(floor),
                                           str(product), NIGHT), fenv, logs / "limit.log")
    for k in ("floor_ingest", "floor_checks", "floor_transform", "limit"):
        fr = floor_result(logs / f"{k}.log")
        results[k].rows = fr.get("rows")
        results[k].detail = fr

    # 4. re-run of the same night, then the next night
    if not args.skip_reruns:
        if not args.skip_same_night_rerun:
            results["rerun_same_night"] = run("rerun_same_night", python("-m", "citylake.cli.main", "nightly", "--date",
                                                                         NIGHT, "--no-summary"), env, logs / "rerun.log",
                                              check=False)
        run("generate_next", python("-m", "citylake.cli.main", "generate", "--scale", str(args.scale), "--date", NEXT_NIGHT,
                                    "--seed", str(args.seed)), env, logs / "generate_next.log")
        results["next_night"] = run("next_night", python("-m", "citylake.cli.main", "nightly", "--date", NEXT_NIGHT,
                                                         "--no-summary"), env, logs / "next.log", check=False)

    report = summarise(results, args.scale)
    if args.engine == "spark":
        both = engines.compare(work / "engines", logs / "engines", NIGHT, args.spark_master,
                               args.spark_driver_memory)
        report["engines"] = {"master": args.spark_master, "driver_memory": args.spark_driver_memory,
                             "select": " ".join(engines.SELECT), **engines.summarise({args.scale: both}, engines.cores(args.spark_master))}
    print_report(console, report)
    if "engines" in report:
        engines.print_report(console, report["engines"])
    out = write_result({"machine": machine(), "scale": args.scale, "seed": args.seed, **report},
                       f"scale{args.scale}")
    console.print(f"wrote {out}")
    if "scheduler" in results and (line := scheduler.failure_line(results["scheduler"].detail)):
        print(line, file=sys.stderr)
        return 1
    return 0 if results["product"].returncode == 0 else 1


def under_scheduler(city: Path, home: Path, timeout: float) -> Measurement:
    """The night under the real services (benchmarks/scheduler.py); services that would not start or a
    night past its timeout end the benchmark with one line."""
    try:
        m = scheduler.scheduler_night(city, home, NIGHT, timeout)
    except (RuntimeError, TimeoutError) as e:
        raise SystemExit(f"--scheduler: {e}") from None
    m.rows = landed_rows(home, NIGHT)
    return m


def write_result(report: dict, name: str) -> Path:
    """benchmarks/results/<UTC time>-<name>.json: one run's figures, kept to compare runs."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{name}.json"
    out.write_text(json.dumps(report, indent=1, default=str))
    return out


def summarise(results: dict[str, Measurement], scale: float) -> dict:
    p = results["product"]
    floor_total = sum(results[k].wall_s for k in ("floor_ingest", "floor_checks", "floor_transform"))
    stages = {k: v for k, v in p.detail.items() if k in STAGES}
    task_total = sum(v for k, v in stages.items() if k != "orchestration")
    stages["orchestration"] = max(0.0, p.wall_s - task_total)
    floor_of = {"ingest": results["floor_ingest"].wall_s, "gates": results["floor_checks"].wall_s,
                "dbt": results["floor_transform"].wall_s}
    out = {
        "measurements": {k: v.as_dict() for k, v in results.items()},
        "product_stages_s": stages,
        "ratios": {
            "overall_product_over_floor": p.wall_s / floor_total if floor_total else None,
            **{f"{k}_product_over_floor": stages[k] / v for k, v in floor_of.items() if v},
            "gates_share_of_batch": stages["gates"] / p.wall_s if p.wall_s else None,
            "orchestration_share_of_batch": stages["orchestration"] / p.wall_s if p.wall_s else None,
        },
    }
    if "limit" in results:
        limit = results["limit"].wall_s
        out["ratios"]["floor_over_limit"] = floor_total / limit
        out["ratios"]["product_over_limit"] = p.wall_s / limit
        out["versus_limit"] = versus_limit(results, stages, floor_of)
        out["furthest_from_limit"] = furthest_from_limit(results, stages)
    if "next_night" in results:
        out["ratios"]["next_night_over_first"] = results["next_night"].wall_s / p.wall_s
    if "rerun_same_night" in results:
        out["ratios"]["rerun_over_first"] = results["rerun_same_night"].wall_s / p.wall_s
    if "scheduler" in results:
        out["scheduler_stages_s"] = results["scheduler"].detail["stages_s"]
        out["ratios"].update(scheduler_ratios(results["scheduler"], p))
    return out


def scheduler_ratios(s: Measurement, p: Measurement) -> dict:
    """The night under the scheduler over the in-process night: whole walls, and the task spans
    (first task start to last task end: the DAGs alone; benchmarks/scheduler.py)."""
    span, in_process_span = s.detail.get("task_span_s"), p.detail.get("task_span_s")
    return {"scheduler_over_in_process": s.wall_s / p.wall_s if p.wall_s else None,
            "scheduler_over_in_process_tasks": span / in_process_span if span and in_process_span else None}


def versus_limit(results: dict[str, Measurement], stages: dict[str, float], floor_of: dict[str, float]) -> dict:
    """Seconds of the whole night and of its ingest, gates and dbt: product, floor, limit."""
    lim = results["limit"].detail
    floor_total = sum(floor_of.values())
    out = {"night": {"product": results["product"].wall_s, "floor": floor_total, "limit": results["limit"].wall_s}}
    limit_of = {"ingest": lim.get("read_s", 0.0), "gates": 0.0, "dbt": lim.get("write_s", 0.0)}
    for k, v in floor_of.items():
        out[k] = {"product": stages[k], "floor": v, "limit": limit_of[k]}
    return out


def furthest_from_limit(results: dict[str, Measurement], stages: dict[str, float], top: int = 3) -> list[dict]:
    """The models and steps with the most seconds above the limit (a dbt model's limit: writing its
    table once if it is a library table, else nothing; a step's: reading the deliveries, or nothing)."""
    lim = results["limit"].detail
    nodes = results["product"].detail.get("dbt_nodes") or {}
    per_table = lim.get("per_table_s", {})
    gaps = {f"model {name}": (s, per_table.get(name.removeprefix("lake."), 0.0))
            for name, s in (nodes.get("model_s") or {}).items()}
    gaps["step ingest (landing)"] = (stages["ingest"], lim.get("read_s", 0.0))
    for k in ("gates", "catalogs", "reports", "orchestration"):
        gaps[f"step {k}"] = (stages[k], 0.0)
    if nodes:
        gaps["step dbt data tests"] = (nodes.get("tests_s", 0.0), 0.0)
        gaps["step dbt start-up and parsing"] = (max(0.0, stages["dbt"] - nodes["models_s"] - nodes["tests_s"]), 0.0)
    rows = [{"what": k, "product_s": round(s, 2), "limit_s": round(lm, 2), "gap_s": round(s - lm, 2)}
            for k, (s, lm) in gaps.items()]
    return sorted(rows, key=lambda r: -r["gap_s"])[:top]


def print_report(console: Console, report: dict) -> None:
    t = Table(title="citylake nightly batch vs floor")
    for c in ("stage", "wall s", "cpu s", "peak MB", "rows", "rows/s", "exit"):
        t.add_column(c, justify="right" if c != "stage" else "left")
    for k, m in report["measurements"].items():
        t.add_row(k, f"{m['wall_s']:.1f}", f"{m['cpu_s']:.1f}", f"{m['peak_rss_mb']:.0f}",  # nan = not known
                  f"{m['rows']:,}" if m.get("rows") else "", f"{m['rows_per_s']:,.0f}" if m.get("rows_per_s") else "",
                  str(m["returncode"]))
    console.print(t)
    sched = report.get("scheduler_stages_s")
    s = Table(title="product stages (from Airflow task durations)")
    s.add_column("stage")
    s.add_column("in-process s" if sched else "seconds", justify="right")
    if sched:
        s.add_column("scheduler s (summed task s; orchestration: no task running)", justify="right")
    for k, v in report["product_stages_s"].items():
        s.add_row(k, f"{v:.1f}", *([f"{sched.get(k, 0.0):.1f}"] if sched else []))
    console.print(s)
    nodes = report["measurements"]["product"].get("detail", {}).get("dbt_nodes")
    if nodes:
        d = Table(title=f"dbt: {nodes['models']} models {nodes['models_s']:.1f} s, {nodes['tests']} data tests "
                        f"{nodes['tests_s']:.1f} s, full parses {nodes['full_parses']} — slowest models")
        d.add_column("model")
        d.add_column("seconds", justify="right")
        for k, v in nodes["slowest_models"].items():
            d.add_row(k, f"{v:.1f}")
        console.print(d)
    if "versus_limit" in report:
        v = Table(title="product, floor and limit (seconds; limit = read every delivered byte, write every "
                        "library row once)")
        for c in ("", "product", "floor", "limit"):
            v.add_column(c, justify="right" if c else "left")
        for k, row in report["versus_limit"].items():
            v.add_row(k, f"{row['product']:.1f}", f"{row['floor']:.1f}", f"{row['limit']:.1f}")
        console.print(v)
        f = Table(title="furthest from the limit")
        for c in ("model or step", "product s", "limit s", "gap s"):
            f.add_column(c, justify="right" if c.endswith(" s") else "left")
        for row in report["furthest_from_limit"]:
            f.add_row(row["what"], f"{row['product_s']:.1f}", f"{row['limit_s']:.1f}", f"{row['gap_s']:.1f}")
        console.print(f)
    r = Table(title="ratios")
    r.add_column("ratio")
    r.add_column("value", justify="right")
    for k, v in report["ratios"].items():
        r.add_row(k, "n/a" if v is None else f"{v:.2f}")
    console.print(r)


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())
