"""How to group dbt in Airflow, measured: dbt CLI vs one cosmos task vs cosmos task-per-model.

    python -m benchmarks.dbt_grouping [--select staging]

Needs a citylake home after one night (CITYLAKE_HOME): runs the same `dbt build` selection
(a) with the dbt CLI in one process, (b) as one cosmos task, (c) as a cosmos DbtTaskGroup with
one task per model, the last two through Airflow's `dag.test()`; prints wall times and the
per-model overhead. The nightly DAGs use (b) per layer and per library.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from citylake.core.paths import home
from citylake.orchestration import airflow_env


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--select", default="staging")
    ap.add_argument("--date", default="2026-11-25")
    args = ap.parse_args()
    os.environ["CITYLAKE_BENCH_SELECT"] = args.select
    os.environ["CITYLAKE_RUN_DATE"] = args.date
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).with_name("dags"))
    h = home()
    airflow_env.apply(h=h)
    os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).with_name("dags"))
    airflow_env.ensure_metadata_db(h=h)

    from citylake.orchestration.dbt_runner import invoke

    t0 = time.perf_counter()
    run = invoke(["build", "--select", args.select], run_date=args.date, h=h)
    cli = time.perf_counter() - t0
    nodes = len(run.results)

    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_dags", Path(__file__).with_name("dags") / "cosmos_grouping.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    timings = {}
    for name, d in (("cosmos_one_task", mod.one), ("cosmos_per_model", mod.per)):
        t0 = time.perf_counter()
        dr = d.test(run_conf={"date": args.date})
        timings[name] = (time.perf_counter() - t0, str(dr.state), len(d.tasks))
    models = sum(1 for r in run.results if r["unique_id"].startswith("model."))
    out = {
        "select": args.select, "dbt_nodes": nodes, "models": models,
        "dbt_cli_s": round(cli, 1),
        **{f"{k}_s": round(v[0], 1) for k, v in timings.items()},
        **{f"{k}_state": v[1] for k, v in timings.items()},
        **{f"{k}_tasks": v[2] for k, v in timings.items()},
        "one_task_over_cli": round(timings["cosmos_one_task"][0] / cli, 2),
        "per_model_over_cli": round(timings["cosmos_per_model"][0] / cli, 2),
        "per_model_overhead_s_per_model": round((timings["cosmos_per_model"][0] - cli) / max(models, 1), 2),
    }
    print("DBT_GROUPING " + json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
