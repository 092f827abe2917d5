"""What the DAG files need, computed from the registries (no I/O beyond reading them).

DAG files import this module at parse time, so it must stay light: it reads the feed
registry YAML shipped with the code, never the lake, a database or the network.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum

LAKE_WRITER_POOL = "lake_writer"
BASE_LIBRARIES = ("population", "legal_entity", "spatial_geography", "address", "e_license",
                  "social_credit", "iot_sensing", "macro_economy")


def timezone() -> str:
    return os.environ.get("CITYLAKE_TIMEZONE", "Asia/Shanghai")


def nightly_schedule():
    from airflow.sdk import CronTriggerTimetable

    return CronTriggerTimetable(os.environ.get("CITYLAKE_NIGHTLY_CRON", "30 1 * * *"), timezone=timezone())


DEFAULT_ARGS = {
    "owner": "citylake",
    "start_date": pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(hours=2),
}


def feed_ids() -> list[str]:
    from ingest import registry

    return list(registry.load())


def base_assets():
    from airflow.sdk import Asset

    return [Asset(f"citylake://lake/base/{name}") for name in BASE_LIBRARIES]


def night_of(context) -> str:
    """The night a run processes: `CITYLAKE_RUN_DATE` in dag.test, else the day before the run."""
    conf = (context.get("dag_run").conf or {}) if context.get("dag_run") else {}
    if conf.get("date"):
        return conf["date"]
    run_after = context.get("logical_date") or context["dag_run"].run_after
    return pendulum.instance(run_after).in_timezone(timezone()).subtract(days=1).to_date_string()


def run_contract_step(fn, *args):
    """Run a step; a data-contract failure fails the task at once (no retry: a bad file stays bad)."""
    from airflow.sdk.exceptions import AirflowFailException

    from citylake.pipeline import DataContractError

    try:
        return fn(*args)
    except DataContractError as e:
        raise AirflowFailException(str(e)) from e
