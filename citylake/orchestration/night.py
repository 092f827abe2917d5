"""Run one night through the real Airflow DAGs in this process (`dag.test()`), then summarise it.

`dag.test()` records Asset events but does not start the DAGs that consume them, so
the Asset-scheduled DAGs are run here one after another, in dependency order, exactly
as the scheduler would start them.
"""

from __future__ import annotations

import importlib.util
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pendulum

from citylake.core import state
from citylake.core.paths import DAGS_DIR, Home
from citylake.orchestration import airflow_env, night_plan, task_logs
from citylake.orchestration.dbt_runner import scoped_environ

# The nightly DAG, then the DAGs scheduled on its Assets, in order.
NIGHT_DAGS = ("citylake_nightly", "citylake_themes", "citylake_publish")


@dataclass
class NightResult:
    date: str
    dag_states: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    landings: dict[str, dict] = field(default_factory=dict)
    gates: dict[str, dict] = field(default_factory=dict)
    unusable: dict[str, str] = field(default_factory=dict)
    failed_tasks: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(s == "success" for s in self.dag_states.values())


def load_dag(dag_id: str):
    """Import a DAG file from dags/ and return its DAG object."""
    path = DAGS_DIR / f"{dag_id}.py"
    spec = importlib.util.spec_from_file_location(f"citylake_dags.{dag_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from airflow.sdk import DAG

    return next(v for v in vars(module).values() if isinstance(v, DAG) and v.dag_id == dag_id)


def in_process_dag(dag):
    """The DAG as `dag.test()` runs it in this process: without its DAG-run deadline. The
    deadline alert is for the scheduler (an in-process run is watched by whoever started it),
    and dag.test() fails on DAG-run deadlines in Airflow 3.3 ("'dict' object has no attribute
    'hex'" when the run succeeds)."""
    dag.deadline = None
    return dag


def failed_tasks(dag_id: str, run_id: str) -> list[str]:
    """The tasks of one run that failed (mapped ones as task_id[index]), for the summary."""
    from airflow.models.taskinstance import TaskInstance as TI
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.execute(select(TI.task_id, TI.map_index).where(
            TI.dag_id == dag_id, TI.run_id == run_id, TI.state == "failed").order_by(TI.task_id, TI.map_index))
        return [t if i < 0 else f"{t}[{i}]" for t, i in rows]


@contextmanager
def real_start_dates():
    """Stamp each run that `dag.test()` creates with the wall-clock time it starts.

    `dag.test()` gives a run the start date of its logical date (apache/airflow#66127, open in
    3.3): a night processed five days late shows in the UI as a run of five days. The run row is
    corrected as it is written (an SQLAlchemy `before_insert` hook on DagRun), so the UI shows the
    true start while the run is going and the true duration once it ends.
    """
    from airflow.models.dagrun import DagRun
    from airflow.utils.types import DagRunTriggeredByType
    from sqlalchemy import event

    def stamp(mapper, connection, run) -> None:
        if run.triggered_by == DagRunTriggeredByType.TEST:
            run.start_date = datetime.now(UTC)

    event.listen(DagRun, "before_insert", stamp)
    try:
        yield
    finally:
        event.remove(DagRun, "before_insert", stamp)


def run_night(date: str, *, h: Home, dag_ids: tuple[str, ...] = NIGHT_DAGS, engine: str = "duckdb") -> NightResult:
    """Run night `date`'s DAGs in this process, their dbt builds on `engine` (dag_spec.NIGHT_ENGINES;
    CITYLAKE_ENGINE while they run: the DAG files read it as they are parsed)."""
    with scoped_environ({"CITYLAKE_ENGINE": engine}):
        return _run_dags(date, h=h, dag_ids=dag_ids)


def _run_dags(date: str, *, h: Home, dag_ids: tuple[str, ...]) -> NightResult:
    h = h.ensure()
    airflow_env.ensure_metadata_db(h=h)
    result = NightResult(date=date)
    tz = airflow_env.airflow_env(h=h)["AIRFLOW__CORE__DEFAULT_TIMEZONE"]
    # A run for night D happens in the small hours of D+1, city time.
    logical = pendulum.parse(date, tz=tz).add(days=1, hours=1, minutes=30)
    for dag_id in dag_ids:
        dag = in_process_dag(load_dag(dag_id))
        t0 = time.perf_counter()
        with real_start_dates(), task_logs.capture():
            dr = dag.test(logical_date=logical, run_conf={"date": date})
        result.seconds[dag_id] = time.perf_counter() - t0
        result.dag_states[dag_id] = str(getattr(dr.state, "value", dr.state)) if dr else "unknown"
        if dr:
            result.failed_tasks[dag_id] = failed_tasks(dag_id, dr.run_id)
    result.landings = state.read_all(date, "landing", h=h)
    result.gates = state.read_all(date, "gate", h=h)
    result.unusable = {f: str(v) for f, v in night_plan.unusable_feeds(date, h).items()}
    return result


def print_summary(result: NightResult, console, h: Home) -> None:
    from citylake.orchestration.summary import render_summary

    render_summary(result, console, h)
