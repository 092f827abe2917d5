"""An in-process run (`dag.test()`, as `citylake nightly` runs a night) must look in Airflow like a
scheduled one: the run's start is when it ran, each task's log is where Airflow's log reader (the
UI's Logs tab) finds it, mapped instances carry their map_index_template label. A toy DAG in a
fresh metadata database, once with citylake's fixes and once without (the failing baseline)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from citylake.core.paths import REPO_ROOT, Home
from tests.once import seed_airflow

pytestmark = pytest.mark.slow  # two in-process runs, each in a new home (from tests/conftest.py's airflow_template)
RUNNER = REPO_ROOT / "tests" / "dags" / "in_process" / "run_toy.py"


def run_toy(tmp_path, fixes: bool, airflow_template) -> dict:
    seed_airflow(airflow_template, Home(tmp_path))  # a migrated, empty metadata database
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(CITYLAKE_HOME=str(tmp_path), PYTHONPATH=str(REPO_ROOT),
               AIRFLOW__CORE__DAGS_FOLDER=str(RUNNER.parent / "dags"))
    proc = subprocess.run([sys.executable, str(RUNNER), str(tmp_path), "1" if fixes else "0"], env=env,
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stdout[-2000:] + proc.stderr[-4000:]
    return json.loads(line.removeprefix("RESULT "))


@pytest.fixture(scope="module")
def fixed(tmp_path_factory, airflow_template) -> dict:
    return run_toy(tmp_path_factory.mktemp("fixed"), True, airflow_template)


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def test_the_run_starts_when_it_ran(fixed):
    run = fixed["run"]
    first_task = min(at(t["start_date"]) for t in fixed["tis"])
    assert at(run["start_date"]) <= first_task < at(run["start_date"]) + timedelta(minutes=1)
    assert at(run["end_date"]) - at(run["start_date"]) < timedelta(minutes=10)


def test_each_task_log_is_found_with_what_the_task_logged(fixed):
    by_label = {t["label"]: t for t in fixed["tis"]}
    good, bad = [[e["event"] for e in by_label[f]["log"]] for f in ("good_feed", "bad_feed")]
    assert "landing good_feed" in good and "Done. Returned value was: good_feed" in good
    assert "landing bad_feed" in bad and "Task failed with exception" in bad
    failure = next(e for e in by_label["bad_feed"]["log"] if e["event"] == "Task failed with exception")
    assert "wrong encoding" in json.dumps(failure), "the reason is in the failed task's log"


def test_mapped_instances_are_labelled(fixed):
    assert sorted((t["map_index"], t["label"]) for t in fixed["tis"]) == [(0, "good_feed"), (1, "bad_feed")]


def test_without_the_fixes_dag_test_leaves_no_log_and_a_logical_start(tmp_path, airflow_template):
    """The baseline these fixes exist for (Airflow 3.3.2): if it stops failing, drop the fix."""
    plain = run_toy(tmp_path, False, airflow_template)
    assert plain["run"]["start_date"] == plain["run"]["logical_date"]
    assert all(not t["log"] for t in plain["tis"])
