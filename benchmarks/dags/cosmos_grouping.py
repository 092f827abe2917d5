"""Benchmark DAGs (not deployed): the same dbt selection run three ways under Airflow.

* `bench_cosmos_one_task`  — one cosmos `dbt build` task for the selection (citylake's choice: per layer/library)
* `bench_cosmos_per_model` — cosmos DbtTaskGroup: one Airflow task per dbt model (+ its tests)
Parsed only by benchmarks/dbt_grouping.py (it points AIRFLOW__CORE__DAGS_FOLDER here).
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import dag, task

from citylake.core.paths import DBT_PROJECT_DIR, home
from citylake.orchestration.dag_spec import cosmos_build

SELECT = os.environ.get("CITYLAKE_BENCH_SELECT", "staging")
START = pendulum.datetime(2026, 1, 1, tz="UTC")


@task
def dbt_plan() -> dict:
    return {"date": os.environ.get("CITYLAKE_RUN_DATE", "2026-11-25"), "exclude": []}


@dag(dag_id="bench_cosmos_one_task", schedule=None, start_date=START, catchup=False,
     render_template_as_native_obj=True, tags=["citylake", "benchmark"])
def one_task():
    dbt_plan() >> cosmos_build("dbt_build", [SELECT], h=home())


@dag(dag_id="bench_cosmos_per_model", schedule=None, start_date=START, catchup=False, tags=["citylake", "benchmark"])
def per_model():
    from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import InvocationMode, LoadMode

    h = home()
    DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(dbt_project_path=DBT_PROJECT_DIR,
                                     manifest_path=h.dbt_target / "manifest.json"),
        profile_config=ProfileConfig(profile_name="citylake", target_name="lake",
                                     profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml"),
        execution_config=ExecutionConfig(invocation_mode=InvocationMode.DBT_RUNNER),
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, select=[SELECT], emit_datasets=False),
        operator_args={"install_deps": False},
    )


one = one_task()
per = per_model()
