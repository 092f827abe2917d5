"""`python -m benchmarks.catalogs --scale S`: the nightly DAG on the SQLite vs the PostgreSQL
DuckLake catalog, side by side in one run, under the real scheduler.

`citylake nightly` runs the DAG with `dag.test()`, one task at a time, so it cannot show what the
PostgreSQL catalog changes: with it the `lake_writer` pool has AIRFLOW__CORE__PARALLELISM slots
instead of one, so independent feeds' gates run at once beside the landings. This benchmark runs
the `citylake_nightly` DAG under Airflow's own scheduler (LocalExecutor; the services helper
of the scheduler tests, benchmarks/servers/airflow_patient.py), once per catalog, on copies of the same
generated inbox. Airflow's metadata is on PostgreSQL in both runs (CITYLAKE_AIRFLOW_DB_URL), so the
catalog is the only difference. PostgreSQL is a throw-away server (benchmarks/servers/pgserver.py: initdb
+ pg_ctl, stopped by PID) unless `--pg-port` names a running one that trusts user `postgres`.

Per run: the DAG run's wall time, the ingest window (first landing start → last gate end), the
dbt window, the summed task seconds per stage, and the most landings / gates / lake writers
running at one moment. The JSON goes to benchmarks/results/<time>-catalogs-scale<S>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pendulum
from rich.console import Console
from rich.table import Table

from benchmarks.measure import exit_on_sigterm

CATALOGS = ("sqlite", "postgres")


@contextmanager
def environ(**values: str | None):
    """Set (or, for None, remove) variables for a block; afterwards the environment is as before
    (AirflowServices exports Airflow's settings into this process)."""
    saved = dict(os.environ)
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _span(t: dict) -> tuple[datetime, datetime] | None:
    if not (t.get("start_date") and t.get("end_date")):
        return None
    return datetime.fromisoformat(t["start_date"]), datetime.fromisoformat(t["end_date"])


def most_at_once(tis: list[dict], keep) -> int:
    """The most task instances matching `keep` that ran at one moment."""
    spans = [s for t in tis if keep(t) and (s := _span(t))]
    return max((sum(s <= t0 < e for s, e in spans) for t0, _ in spans), default=0)


def window(tis: list[dict], keep) -> float:
    """Seconds from the first start to the last end of the matching task instances."""
    spans = [s for t in tis if keep(t) and (s := _span(t))]
    return (max(e for _, e in spans) - min(s for s, _ in spans)).total_seconds() if spans else 0.0


def summarise_run(run: dict, tis: list[dict]) -> dict:
    from benchmarks.__main__ import stage_of

    ingest = lambda t: stage_of(t["task_id"]) == "ingest" or t["task_id"].endswith(".gate")  # noqa: E731
    dbt = lambda t: t["task_id"].startswith("dbt_") and t["task_id"] != "dbt_plan"  # noqa: E731
    seconds: dict[str, float] = {}
    for t in tis:
        stage = stage_of(t["task_id"])
        seconds[stage] = round(seconds.get(stage, 0.0) + (t.get("duration") or 0.0), 1)
    start, end = (datetime.fromisoformat(run[k]) for k in ("start_date", "end_date"))
    return {
        "state": run["state"],
        "wall_s": round((end - start).total_seconds(), 1),
        "ingest_window_s": round(window(tis, ingest), 1),
        "dbt_window_s": round(window(tis, dbt), 1),
        "task_seconds": seconds,
        "tasks": len(tis),
        "failed": sorted(t["task_id"] for t in tis if t["state"] == "failed"),
        "most_landings_at_once": most_at_once(tis, lambda t: t["task_id"].endswith(".land")),
        "most_gates_at_once": most_at_once(tis, lambda t: t["task_id"].endswith(".gate")),
        "most_lake_writers_at_once": most_at_once(tis, lambda t: t.get("pool") == "lake_writer"),
    }


def night_under_scheduler(home: Path, timeout: float) -> dict:
    """Trigger the nightly DAG for the home's night under the real services; its figures."""
    from benchmarks.__main__ import NIGHT
    from benchmarks.servers.airflow_patient import Services, services_port
    from citylake.core.paths import Home

    with Services(Home(home), port=services_port()) as af:
        af.wait_for_dag("citylake_nightly")
        af.unpause("citylake_nightly")
        slots = af.api("GET", "/pools/lake_writer")["slots"]
        run_id = af.trigger("citylake_nightly", {"date": NIGHT})
        run = af.wait_for_run("citylake_nightly", run_id, timeout=timeout)
        tis = af.task_instances("citylake_nightly", run_id)
    return {"lake_writer_slots": slots, **summarise_run(run, tis)}


def one_catalog(kind: str, city: Path, work: Path, pg, timeout: float) -> dict:
    home = work / kind
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copytree(city / "inbox", home / "inbox")
    suffix = datetime.now().strftime("%H%M%S")
    pg.createdb(f"airflow_{kind}_{suffix}")
    catalog = pg.createdb(f"lake_{kind}_{suffix}") if kind == "postgres" else None
    with environ(CITYLAKE_HOME=str(home), CITYLAKE_CATALOG_URL=catalog, CITYLAKE_METADATA_SCHEMA=None,
                 CITYLAKE_AIRFLOW_DB_URL=pg.sqlalchemy_url(f"airflow_{kind}_{suffix}"),
                 # no scheduled night is due: the only run is the one triggered here
                 CITYLAKE_START_DATE=pendulum.now("Asia/Shanghai").add(days=2).to_date_string(),
                 **{k: None for k in os.environ if k.startswith("AIRFLOW")}):
        return night_under_scheduler(home, timeout)


@contextmanager
def postgres(port: int | None):
    """A running server (`--pg-port`) or a throw-away one for this run, stopped by its PID."""
    from benchmarks.servers import pgserver

    if port:
        yield pgserver.PgServer(pgserver.pg_bin(), Path("/nonexistent"), port)
        return
    if pgserver.pg_bin() is None:
        raise SystemExit("PostgreSQL is not installed: `make postgresql` (apt-get install postgresql)")
    server = pgserver.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.data.parent, ignore_errors=True)


def together(kinds: list[str], args, port: int, work: Path) -> dict:
    """Each catalog's night in a child process of its own (the environment is per process), all
    started at once; their figures."""
    outs = {k: work / f"{k}.json" for k in kinds}
    lo, _, hi = os.environ.get("CITYLAKE_TEST_PORTS", "").partition("-")
    step = (int(hi) - int(lo) + 1) // len(kinds) if hi else 0
    children = {}
    for i, k in enumerate(kinds):  # a share of CITYLAKE_TEST_PORTS each: the children pick ports unaware of each other
        env = {**os.environ, **({"CITYLAKE_TEST_PORTS": f"{int(lo) + i * step}-{int(lo) + (i + 1) * step - 1}"}
                                if step else {})}
        children[k] = subprocess.Popen([sys.executable, "-m", "benchmarks.catalogs", "--scale", str(args.scale),
                                        "--seed", str(args.seed), "--catalogs", k, "--pg-port", str(port),
                                        "--timeout", str(args.timeout), "--out", str(outs[k])], env=env)
    try:
        codes = {k: child.wait() for k, child in children.items()}  # all of them: the server outlives them
    finally:  # stopped (SIGTERM) or failed: each child stops its own services (exit_on_sigterm)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
                child.wait()
    if failed := [f"{k} ({rc})" for k, rc in codes.items() if rc != 0]:
        raise SystemExit(f"a night's process exited non-zero: {', '.join(failed)}")
    return {k: json.loads(outs[k].read_text()) for k in kinds}


_writer_slots = None  # in an ingest-stage worker: the lake_writer pool as a semaphore


def _init_worker(slots, env: dict[str, str]) -> None:
    global _writer_slots
    _writer_slots = slots
    os.environ.update(env)


def _land_and_gate(feed_id: str, date: str) -> str:
    """One feed as the DAG runs it: land (no pool), then gate holding a `lake_writer` slot."""
    from citylake.core.paths import Home
    from citylake.orchestration.pipeline import DataContractError, DeliveryMissing, gate_feeds, land

    h = Home(Path(os.environ["CITYLAKE_HOME"]))
    try:
        land(feed_id, date, h=h)
        with _writer_slots:
            gate_feeds([feed_id], date, h=h)
    except DeliveryMissing:
        return "missing"
    except DataContractError:
        return "blocked"
    return "passed"


def ingest_stage(kind: str, city: Path, work: Path, pg, workers: int, feeds_at_most: int | None) -> dict:
    """Every feed's landing and gate in `workers` processes, gates limited to the pool's slots
    for this catalog (citylake.orchestration.dag_spec.lake_writer_slots): the DAG's ingest stage
    without Airflow's per-task process start."""
    import multiprocessing as mp
    import resource
    import time
    from concurrent.futures import ProcessPoolExecutor

    from benchmarks.__main__ import NIGHT
    from citylake.core import db
    from citylake.core.paths import Home
    from citylake.orchestration.dag_spec import feeds_by_department, lake_writer_slots

    home = work / f"ingest-{kind}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copytree(city / "inbox", home / "inbox")
    catalog = pg.createdb(f"lake_ingest_{datetime.now().strftime('%H%M%S')}") if kind == "postgres" else None
    env = {"CITYLAKE_HOME": str(home), **({"CITYLAKE_CATALOG_URL": catalog} if catalog else {})}
    with environ(CITYLAKE_HOME=str(home), CITYLAKE_CATALOG_URL=catalog, CITYLAKE_METADATA_SCHEMA=None):
        h = Home(home)
        db.connect(h=h).close()  # the lake exists before the workers start (one creator)
        slots = lake_writer_slots(db.catalog(h).concurrent_writers)
        # independent feeds first: one per department in turn, then the departments' next ones
        by_dept = list(feeds_by_department().values())
        feeds = [fs[i] for i in range(max(map(len, by_dept))) for fs in by_dept if i < len(fs)][:feeds_at_most]
        ctx = mp.get_context("spawn")
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(ctx.Semaphore(slots), env)) as pool:
            outcomes = list(pool.map(_land_and_gate, feeds, [NIGHT] * len(feeds)))
        wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"lake_writer_slots": slots, "workers": workers, "feeds": len(feeds), "wall_s": round(wall, 1),
            "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "peak_rss_mb": round(after.ru_maxrss / 1024, 1),
            "outcomes": {o: outcomes.count(o) for o in sorted(set(outcomes))}}


def print_report(console: Console, report: dict) -> None:
    runs = report["runs"]
    what = "ingest stage (land + gate)" if report["stage"] == "ingest" else "citylake_nightly under the scheduler"
    t = Table(title=f"{what}, scale {report['scale']}: SQLite vs PostgreSQL catalog")
    t.add_column("figure")
    for kind in runs:
        t.add_column(kind, justify="right")
    if len(runs) == 2:
        t.add_column("postgres / sqlite", justify="right")
    keys = ("lake_writer_slots", "wall_s", "ingest_window_s", "dbt_window_s", "most_landings_at_once",
            "most_gates_at_once", "most_lake_writers_at_once", "tasks", "workers", "feeds", "cpu_s", "peak_rss_mb")
    for key in (k for k in keys if k in next(iter(runs.values()))):
        vals = [runs[k][key] for k in runs]
        ratio = [f"{vals[1] / vals[0]:.2f}" if vals[0] else ""] if len(runs) == 2 else []
        t.add_row(key, *(str(v) for v in vals), *ratio)
    console.print(t)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import bench_dir, ensure_city, machine, write_result

    ap = argparse.ArgumentParser(prog="python -m benchmarks.catalogs")
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=20231019)
    ap.add_argument("--catalogs", default=",".join(CATALOGS), help="which to run, in order (default: both)")
    ap.add_argument("--pg-port", type=int, help="a running PostgreSQL on 127.0.0.1 (user postgres, trust)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds one night may take")
    ap.add_argument("--together", action="store_true",
                    help="start the catalogs' nights at the same moment (each in its own process) instead of "
                         "one after the other: both then see the same load on a shared machine")
    ap.add_argument("--stage", choices=("night", "ingest"), default="night",
                    help="night: the nightly DAG under the scheduler; ingest: only the landings and gates, "
                         "in --workers processes with the pool's rule (no Airflow)")
    ap.add_argument("--workers", type=int, default=4, help="ingest stage: processes (Airflow's parallelism)")
    ap.add_argument("--feeds", type=int, help="ingest stage: only this many feeds, one per department in turn")
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)  # a --together child's figures
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.catalogs.split(",")]
    if bad := [k for k in kinds if k not in CATALOGS]:
        raise SystemExit(f"--catalogs: {', '.join(bad)} is not one of {', '.join(CATALOGS)}")
    console = Console()
    work = bench_dir() / f"catalogs-scale{args.scale}"
    city, _ = ensure_city(args.scale, args.seed, work / "logs")
    with postgres(args.pg_port) as pg:
        if args.out:
            args.out.write_text(json.dumps(one_catalog(kinds[0], city, work, pg, args.timeout)))
            return 0
        if args.stage == "ingest":
            runs = {kind: ingest_stage(kind, city, work, pg, args.workers, args.feeds) for kind in kinds}
        elif args.together:
            runs = together(kinds, args, pg.port, work)
        else:
            runs = {kind: one_catalog(kind, city, work, pg, args.timeout) for kind in kinds}
    report = {"machine": machine(), "scale": args.scale, "seed": args.seed, "stage": args.stage,
              **({"dag": "citylake_nightly", "executor": "LocalExecutor", "airflow_metadata": "postgres"}
                 if args.stage == "night" else {}),
              "order": "together" if args.together and args.stage == "night" else "one after the other",
              "runs": runs}
    print_report(console, report)
    console.print(f"wrote {write_result(report, f'catalogs-{args.stage}-scale{args.scale}')}")
    return 0 if all(r.get("state", "success") == "success" for r in runs.values()) else 1


if __name__ == "__main__":
    exit_on_sigterm()
    raise SystemExit(main())
