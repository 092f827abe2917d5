"""What the DAG files need, computed from the registries (no I/O beyond reading them).

DAG files import this module at parse time, so it must stay light: it reads the feed
registry YAML shipped with the code, never the lake, a database or the network.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum

from citylake.core.paths import Home
from standards import libraries

LAKE_WRITER_POOL = "lake_writer"
NIGHT_VERDICT = "night_verdict"  # the task that turns a night with a failed task red
BASE_LIBRARIES = tuple(lib.id for lib in libraries.libraries("base"))     # from standards/libraries.yaml
THEME_LIBRARIES = tuple(lib.id for lib in libraries.libraries("theme"))
NIGHT_ENGINES = ("duckdb", "spark")  # what `citylake nightly --engine` takes (night_engine)
SPATIAL = "tag:spatial+"  # DuckDB spatial models (ST_*) and everything downstream: built on DuckDB only
# dbt's unit tests (given/expect rows) run on DuckDB (nights, CI); on Spark, int_persons_resolved's trips an
# analyzer bug ("NoSuchElementException: key not found") and its error would skip the model
UNIT_TESTS = "resource_type:unit_test"


def lake_writer_slots(concurrent_writers: bool) -> int:
    """Slots of the `lake_writer` pool, which every task that writes the lake takes: one on the
    SQLite catalog (one committer at a time); on a catalog that takes concurrent writers
    (PostgreSQL: citylake.core.db.Catalog) as many as Airflow runs tasks — a commit that loses a race
    is retried (citylake.core.db.retrying)."""
    return max(1, int(os.environ.get("AIRFLOW__CORE__PARALLELISM", "4"))) if concurrent_writers else 1


def timezone() -> str:
    return os.environ.get("CITYLAKE_TIMEZONE", "Asia/Shanghai")


def nightly_schedule():
    from airflow.sdk import CronTriggerTimetable

    return CronTriggerTimetable(os.environ.get("CITYLAKE_NIGHTLY_CRON", "30 1 * * *"), timezone=timezone())


def dag_kwargs(deadline: bool = False) -> dict:
    """start_date and default_args shared by every citylake DAG; the SLA-style deadline for the
    nightly DAG (the one the clock starts: its run is what "the night has not finished" measures)."""
    from airflow.sdk import DeadlineAlert, DeadlineReference, SyncCallback

    hours = float(os.environ.get("CITYLAKE_NIGHT_DEADLINE_HOURS", "5"))
    out = {
        # CITYLAKE_START_DATE: the first night the scheduler may run (YYYY-MM-DD, city time)
        "start_date": pendulum.parse(os.environ.get("CITYLAKE_START_DATE", "2026-01-01"), tz=timezone()),
        "default_args": {
            "owner": "citylake",
            "retries": 2,
            "retry_delay": timedelta(seconds=30),
            "retry_exponential_backoff": True,
            "max_retry_delay": timedelta(minutes=10),
            "execution_timeout": timedelta(hours=2),
        },
    }
    # the alert is the scheduler's: an in-process run (citylake nightly) removes it from the DAG
    # it runs (citylake.orchestration.night.in_process_dag)
    if deadline:
        out["deadline"] = DeadlineAlert(
            reference=DeadlineReference.DAGRUN_QUEUED_AT,
            interval=timedelta(hours=hours),
            callback=SyncCallback("citylake.orchestration.alerts.night_overdue", kwargs={"deadline_hours": hours}),
        )
    return out


def contract_retry_policy():
    """Transient errors (I/O, locks) are retried with backoff; data-contract failures never."""
    from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

    return ExceptionRetryPolicy(rules=[
        RetryRule(exception="citylake.orchestration.pipeline.DataContractError", action=RetryAction.FAIL,
                  reason="a bad delivery does not get better by retrying"),
        RetryRule(exception="ingest.errors.DeliveryRejected", action=RetryAction.FAIL,
                  reason="a bad delivery does not get better by retrying"),
    ])


def feeds_by_department() -> dict[str, list[str]]:
    from ingest import registry

    out: dict[str, list[str]] = {}
    for feed in registry.load().values():
        out.setdefault(feed.department.id, []).append(feed.id)
    return out


def library_asset(layer: str, name: str):
    from airflow.sdk import Asset

    return Asset(f"citylake://lake/{layer}/{name}")


def layer_asset(layer: str):
    from airflow.sdk import Asset

    return Asset(f"citylake://lake/{layer}")


def layer_select(layer: str) -> list[str]:
    """dbt selection of every library of a layer (one `dbt build` for all of them)."""
    return [sel for lib in libraries.libraries(layer) for sel in lib.dbt_select()]


def night_of(context) -> str:
    """The night a run processes.

    Order: the run's conf {"date": ...} (manual runs, `citylake nightly`), the triggering
    Asset event's extra (Asset-scheduled DAGs), else the day before the run in city time.
    """
    dag_run = context.get("dag_run")
    conf = (dag_run.conf or {}) if dag_run else {}
    if conf.get("date"):
        return conf["date"]
    for events in (context.get("triggering_asset_events") or {}).values():
        for ev in events:
            if (ev.extra or {}).get("date"):
                return ev.extra["date"]
    run_after = context.get("logical_date") or dag_run.run_after
    return pendulum.instance(run_after).in_timezone(timezone()).subtract(days=1).to_date_string()


def run_contract_step(fn, *args, **kwargs):
    """Run a step; a data-contract failure fails the task at once (no retry: a bad file stays bad);
    a missing delivery skips it (the feed keeps its last landing; timeliness is scored)."""
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    from citylake.orchestration.pipeline import DataContractError, DeliveryMissing

    try:
        return fn(*args, **kwargs)
    except DeliveryMissing as e:
        raise AirflowSkipException(str(e)) from e
    except DataContractError as e:
        raise AirflowFailException(str(e)) from e


def add_night_verdict(dag) -> None:
    """Make a DAG run red when any of its tasks failed.

    The steps that close a night (`dbt_plan`, the library gates, `base_done`, `theme_done`) run
    with `all_done` so that one bad delivery stops only its own consumers; but Airflow decides a
    run's state from its leaf tasks, so without this the run would be green although a task
    failed. `night_verdict` (trigger rule `one_failed`, downstream of every task) fails as soon as
    any task fails or is upstream-failed, and is skipped otherwise — the "watcher" pattern of
    Airflow's own system tests. It changes nothing else: the night still finishes what it can.
    """
    from airflow.sdk import task

    @task(task_id=NIGHT_VERDICT, trigger_rule="one_failed", retries=0)
    def night_verdict() -> None:
        """Fails the run when a task of the night failed (see the red task for the reason)."""
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException("a task of this night failed: the run is red; the failed task's log says why")

    with dag:
        others = list(dag.tasks)
        verdict = night_verdict()
        for t in others:
            t >> verdict


def night_engine() -> str:
    """The engine of the night's dbt builds: CITYLAKE_ENGINE, duckdb (default) or spark. Not spark-thrift:
    the copy of Spark's tables into the lake reads them through the Spark session of the task's process."""
    from citylake.orchestration.dbt_runner import engine

    value = engine()
    if value not in NIGHT_ENGINES:
        raise ValueError(f"the night runs on {' or '.join(NIGHT_ENGINES)}, not CITYLAKE_ENGINE={value!r}")
    return value


def cosmos_build(task_id: str, select: list[str], plan_task_id: str = "dbt_plan", outlets=None,
                 command: str = "build", exclude_also: tuple[str, ...] = (), *, h: Home, **kwargs):
    """One cosmos `dbt build` (or `dbt test`) for a layer or its libraries, on the night's engine.

    On DuckDB one task (`_cosmos_task`); so is a `dbt test`, which reads the lake whichever engine
    built it. On Spark, a task group of two: `<task_id>` builds the selection without the spatial models
    and their downstream (SPATIAL) on Spark, and its callback copies what it built into the lake
    (citylake.orchestration.spark_sync); then `<task_id>_spatial` builds the selection's SPATIAL part on
    DuckDB over the copied tables. dbt's unit tests are left out on Spark (UNIT_TESTS). `kwargs` (e.g.
    trigger_rule) go to the first task, `outlets` to the last.
    """
    on = night_engine()
    if on == "duckdb" or command == "test":
        return _cosmos_task(task_id, select, "duckdb", plan_task_id, outlets, command, exclude_also, h=h, **kwargs)
    from airflow.sdk import TaskGroup

    with TaskGroup(group_id=f"{task_id}_on_{on}", prefix_group_id=False,
                   tooltip="on Spark, copied into the lake; then the spatial models on DuckDB") as group:
        setup = reads_raw(select)
        spark = _cosmos_task(task_id, select, on, plan_task_id, None, command, (*exclude_also, SPATIAL, UNIT_TESTS), h=h,
                             setup=setup, pre_execute=_spark_codes(h) if setup else None, **kwargs)
        spark >> _cosmos_task(f"{task_id}_spatial", [f"{s},{SPATIAL}" for s in select], "duckdb", plan_task_id,
                              outlets, command, exclude_also, h=h, trigger_rule="all_done")
    return group


def reads_raw(select: list[str]) -> bool:
    """Whether a selection reads the raw sources: only staging calls source(). A Spark build that does not
    skips the setup of the raw tables and cl_* functions (macros/spark_setup.sql), which the night's
    staging build left in the metastore (minutes per build on this machine)."""
    return any(s == "staging" or s.startswith("staging.") for s in select)


def _spark_codes(h: Home):
    """The Spark build's pre_execute hook: the code-set Parquet file its setup reads (dbt_runner.prepare)."""
    from citylake.orchestration.dbt_runner import prepare

    return lambda context: prepare("spark", h=h)


def _cosmos_task(task_id: str, select: list[str], on: str, plan_task_id: str, outlets, command: str,
                 exclude_also: tuple[str, ...], *, h: Home, setup: bool = True, **kwargs):
    """One cosmos `dbt build` (or `dbt test`) task on engine `on` (its profile output: dbt_runner.target).

    The night's date and the exclusions (models downstream of unusable feeds) come from the
    plan task's XCom at run time, so a blocked feed removes exactly its consumers; `exclude_also`
    is left out as well (e.g. `tag:cross_library`). Tests run with the model only when all their
    parents are selected (`cautious`); `setup` false skips the Spark setup (reads_raw). A build
    records its nodes' outcomes for the libraries' gates (citylake.orchestration.dbt_results; on Spark after copying them into the lake: spark_sync).
    """
    from cosmos import ProfileConfig
    from cosmos.constants import InvocationMode
    from cosmos.operators.local import DbtBuildLocalOperator, DbtTestLocalOperator

    from citylake.core.paths import DBT_PROJECT_DIR
    from citylake.orchestration.dbt_runner import target

    operator = {"build": DbtBuildLocalOperator, "test": DbtTestLocalOperator}[command]
    recorder = {"duckdb": "dbt_results", "spark": "spark_sync"}[on]
    kwargs.setdefault("indirect_selection", "cautious")
    return operator(
        task_id=task_id,
        project_dir=str(DBT_PROJECT_DIR),
        profile_config=ProfileConfig(profile_name="citylake", target_name=target(on),
                                     profiles_yml_filepath=str(DBT_PROJECT_DIR / "profiles.yml")),
        invocation_mode=InvocationMode.DBT_RUNNER,
        install_deps=False,
        # dbt's partial-parse state, shared by the dbt tasks (they run one at a time: lake_writer
        # pool); without a cache_dir a stand-alone cosmos operator fully parses the project (~3 s)
        cache_dir=h.cosmos_cache,
        select=select,
        exclude=f"{{{{ ti.xcom_pull(task_ids='{plan_task_id}')['exclude'] + {list(exclude_also)!r} }}}}",
        env={"CITYLAKE_RUN_DATE": f"{{{{ ti.xcom_pull(task_ids='{plan_task_id}')['date'] }}}}",
             "CITYLAKE_SPARK_SETUP": str(setup).lower()},
        append_env=True,
        emit_datasets=False,  # citylake declares its own Assets (one per library and layer)
        pool=LAKE_WRITER_POOL,
        outlets=outlets or [],
        callback=f"citylake.orchestration.{recorder}.record" if command == "build" else None,
        **kwargs,
    )
