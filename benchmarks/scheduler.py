"""`python -m benchmarks --scale S --scheduler`: the same night under `airflow scheduler` + LocalExecutor.

`citylake nightly` (the product run of `python -m benchmarks`) runs the three DAGs of a night —
citylake_nightly, then the Asset-scheduled citylake_themes and citylake_publish
(citylake/orchestration/night.py, NIGHT_DAGS) — one after the other with `dag.test()`, one task
at a time, in one process. Production runs them under Airflow's own services. Here the same
generated inbox is copied into a fresh home, the real scheduler, dag-processor, API server and
triggerer are started on it (benchmarks/servers/airflow_patient.py, on loopback ports from CITYLAKE_TEST_PORTS
when set), `citylake_nightly` is triggered for the night through the REST API, and the Asset
events start the other two, as in production.

What each wall covers:
- in-process (`measurements.product.wall_s`): the whole `citylake nightly` process — Python and
  Airflow start-up, migrating a fresh home's Airflow metadata, the three `dag.test()` runs, the
  summary. `measurements.product.detail.task_span_s`: first task start to last task end of the
  three runs (Airflow's task times).
- scheduler (`measurements.scheduler.wall_s`): the citylake_nightly run's start (the scheduler
  set it running) to the end of the last of the three DAG runs (the API's run times); the
  services' start, the metadata migration and DAG parsing happen before and are not in it.
  `detail.task_span_s`: first task start to last task end, as for the in-process run.
`ratios.scheduler_over_in_process` = scheduler wall / in-process wall (target ≤ 1.2);
`ratios.scheduler_over_in_process_tasks` = the two task spans' ratio (the DAGs alone).
CPU: the services' process trees (psutil: the processes' own and their reaped children's
seconds) from the trigger to the last run's end; peak memory: the largest sum of their RSS
sampled once a second (shared pages counted once per process, so an upper bound).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path

import pendulum

from benchmarks.catalogs import _span, environ, summarise_run, window
from benchmarks.measure import Measurement
from citylake.orchestration.night import NIGHT_DAGS


def covered_s(spans: list[tuple[datetime, datetime]]) -> float:
    """Seconds covered by at least one of the spans (overlaps counted once)."""
    total, reach = 0.0, None
    for start, end in sorted(spans):
        if reach is None or start > reach:
            total += (end - start).total_seconds()
            reach = end
        elif end > reach:
            total += (end - reach).total_seconds()
            reach = end
    return total


def whole_night(runs: dict[str, dict], tis: dict[str, list[dict]], dag_ids: tuple[str, ...] = NIGHT_DAGS) -> dict:
    """The night's figures from the API's DAG runs and task instances (by DAG id): the wall from
    the first DAG's run start to the last run's end, the task span, the summed task seconds per
    stage and, as "orchestration", the seconds in which no ingest, gate, dbt, catalog or report
    task ran (the in-process table's rule, wall − task time, for tasks that may overlap)."""
    from benchmarks.__main__ import STAGES, stage_of

    missing = [d for d in dag_ids if d not in runs]
    failed = [d for d in dag_ids if d in runs and runs[d]["state"] != "success"]
    every = [t for d in dag_ids for t in tis.get(d, [])]
    stages = dict.fromkeys(STAGES, 0.0)
    for t in every:
        stages[stage_of(t["task_id"])] += t.get("duration") or 0.0
    ended = [datetime.fromisoformat(r["end_date"]) for r in runs.values() if r.get("end_date")]
    start = runs[dag_ids[0]].get("start_date") if dag_ids[0] in runs else None
    wall = (max(ended) - datetime.fromisoformat(start)).total_seconds() if start and ended else 0.0
    busy = covered_s([s for t in every if stage_of(t["task_id"]) != "orchestration" and (s := _span(t))])
    stages["orchestration"] = max(0.0, wall - busy)
    return {
        "state": "failed" if missing or failed else "success",
        "failed_dags": failed, "missing_dags": missing,
        "failed_tasks": sorted(f"{d}.{t['task_id']}" for d in dag_ids for t in tis.get(d, []) if t["state"] == "failed"),
        "wall_s": round(wall, 1),
        "trigger_to_start_s": round(_seconds(runs.get(dag_ids[0], {}), "queued_at", "start_date"), 1),
        "task_span_s": round(window(every, lambda t: True), 1),
        "stages_s": {k: round(v, 1) for k, v in stages.items()},
        "dags": {d: summarise_run(runs[d], tis.get(d, [])) for d in dag_ids if runs.get(d, {}).get("end_date")},
    }


def _seconds(run: dict, since: str, until: str) -> float:
    if not (run.get(since) and run.get(until)):
        return 0.0
    return (datetime.fromisoformat(run[until]) - datetime.fromisoformat(run[since])).total_seconds()


def failure_line(figures: dict) -> str | None:
    """One line naming what failed, or None when all three runs succeeded."""
    if figures["state"] == "success":
        return None
    parts = [f"{d} failed" for d in figures["failed_dags"]] + [f"{d} never ran" for d in figures["missing_dags"]]
    tasks = figures["failed_tasks"][:5]
    return ("under the scheduler: " + ", ".join(parts)
            + (f" (failed tasks: {', '.join(tasks)}{' …' if len(figures['failed_tasks']) > 5 else ''})"
               if tasks else ""))


class TreeSampler(threading.Thread):
    """CPU seconds and the largest summed RSS of some processes and all their descendants."""

    def __init__(self, pids: list[int], every: float = 1.0):
        super().__init__(daemon=True)
        self.pids, self.every, self.peak_rss = pids, every, 0
        self._done = threading.Event()
        self.cpu_at_start = self.cpu_s()

    def _tree(self) -> list:
        import psutil

        out = []
        for pid in self.pids:
            try:
                root = psutil.Process(pid)
                out += [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
        return out

    def cpu_s(self) -> float:
        import psutil

        total = 0.0
        for p in self._tree():
            try:
                c = p.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += c.user + c.system + c.children_user + c.children_system
        return total

    def run(self) -> None:
        import psutil

        while not self._done.wait(self.every):
            rss = 0
            for p in self._tree():
                try:
                    rss += p.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            self.peak_rss = max(self.peak_rss, rss)

    def finish(self) -> tuple[float, float]:
        """(CPU seconds since the start, peak summed RSS in MB)."""
        cpu = self.cpu_s() - self.cpu_at_start
        self._done.set()
        self.join()
        return cpu, self.peak_rss / 2**20


def drive_night(af, date: str, timeout: float) -> tuple[dict[str, dict], dict[str, list[dict]], TreeSampler]:
    """Trigger the nightly DAG and wait for it and the DAGs its Assets start (all within `timeout`)."""
    for dag_id in NIGHT_DAGS:
        af.wait_for_dag(dag_id, timeout=900.0)  # a loaded machine parses slowly
        af.unpause(dag_id)
    sampler = TreeSampler([p.pid for p in af.procs.values()])
    sampler.start()
    deadline = time.monotonic() + timeout
    run_id = af.trigger(NIGHT_DAGS[0], {"date": date})
    runs = {NIGHT_DAGS[0]: af.wait_for_run(NIGHT_DAGS[0], run_id, timeout=timeout)}
    if runs[NIGHT_DAGS[0]]["state"] == "success":  # a failed night emits no Asset events
        for dag_id in NIGHT_DAGS[1:]:
            if (run := af.first_run(dag_id, max(60.0, deadline - time.monotonic()))) is not None:
                runs[dag_id] = run
    tis = {d: af.task_instances(d, r["dag_run_id"]) for d, r in runs.items()}
    return runs, tis, sampler


def scheduler_night(city: Path, work: Path, date: str, timeout: float) -> Measurement:
    """The night of `city`'s inbox in a fresh home `work` under the real services; its measurement
    (returncode 1 when a DAG run failed or never started; `detail` holds the figures)."""
    from benchmarks.servers.airflow_patient import Services, services_port
    from citylake.core.paths import Home

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(city / "inbox", work / "inbox")
    # no scheduled night is due: the only nightly run is the one triggered here
    start_date = pendulum.now("Asia/Shanghai").add(days=2).to_date_string()
    with environ(CITYLAKE_HOME=str(work), CITYLAKE_START_DATE=start_date,
                 **{k: None for k in os.environ if k.startswith("AIRFLOW")}):
        with Services(Home(work), port=services_port()) as af:
            runs, tis, sampler = drive_night(af, date, timeout)
            cpu, peak = sampler.finish()
    figures = whole_night(runs, tis)
    return Measurement("scheduler", wall_s=figures["wall_s"], cpu_s=cpu, peak_rss_mb=peak,
                       returncode=0 if figures["state"] == "success" else 1, detail=figures)
