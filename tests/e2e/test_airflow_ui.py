"""What the Airflow UI shows after an in-process night (`citylake nightly`, i.e. `make demo`):
asked of Airflow's own REST API (the API server the UI talks to), started on a loopback port
against the home of the tiny night and stopped by PID afterwards.

- runs carry the time they really ran, not their logical date (a night run late is not a
  run of several days);
- every task that ran has a log the API server finds (the UI's Logs tab);
- mapped landing and gate instances are labelled with their feed id, not `[0]`, `[1]`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from benchmarks.servers.airflow import AirflowServices
from citylake.orchestration.dag_spec import feeds_by_department
from citylake.orchestration.night import NIGHT_DAGS
from tests.e2e.conftest import copy_home

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]  # the first test waits for the night


@pytest.fixture(scope="module")
def api(first_night, tmp_path_factory):
    src, proc = first_night
    assert proc.returncode == 0, proc.stderr[-3000:]
    h = copy_home(src, tmp_path_factory.mktemp("ui") / "home")  # the API server writes to its home
    with AirflowServices(h, components=("api-server",)) as af:
        yield af


@pytest.fixture(scope="module")
def night_runs(api) -> dict[str, tuple[dict, list[dict]]]:
    """Per DAG: its (only) run of the night and that run's task instances."""
    out = {}
    for dag_id in NIGHT_DAGS:
        runs = api.runs(dag_id)
        assert len(runs) == 1, f"{dag_id}: {len(runs)} runs"
        out[dag_id] = runs[0], api.task_instances(dag_id, runs[0]["dag_run_id"])
    return out


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_runs_start_when_their_first_task_starts(night_runs):
    for dag_id, (run, tis) in night_runs.items():
        start, end = at(run["start_date"]), at(run["end_date"])
        first_task = min(at(t["start_date"]) for t in tis if t["start_date"])
        assert start <= first_task < start + timedelta(minutes=2), (dag_id, run["start_date"], first_task)
        assert end - start < timedelta(hours=1), f"{dag_id} shows a run of {end - start}"


def log_events(api, dag_id: str, run_id: str, ti: dict) -> list[dict]:
    """The task instance's log as the UI's Logs tab gets it: the events the task wrote (they name
    their logger; the source header and "not found" notes the API server adds do not)."""
    path = (f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{ti['task_id']}/logs/{ti['try_number']}"
            f"?map_index={ti['map_index']}")
    return [e for e in api.api("GET", path)["content"] if isinstance(e, dict) and e.get("logger")]


def test_every_task_that_ran_has_its_log(api, night_runs):
    missing = []
    for dag_id, (run, tis) in night_runs.items():
        for ti in tis:
            if ti["state"] in ("success", "failed") and not log_events(api, dag_id, run["dag_run_id"], ti):
                missing.append(f"{dag_id}.{ti['task_id']}[{ti['map_index']}]")
    assert not missing, f"no log served for {missing}"


def test_a_landing_log_says_what_it_landed(api, night_runs):
    run, tis = night_runs["citylake_nightly"]
    ti = next(t for t in tis if t["task_id"].endswith(".land") and t["state"] == "success")
    events = [str(e["event"]) for e in log_events(api, "citylake_nightly", run["dag_run_id"], ti)]
    assert any(ti["rendered_map_index"] in e for e in events), events


def test_mapped_instances_are_labelled_by_feed(night_runs):
    _, tis = night_runs["citylake_nightly"]
    for dept, feeds in feeds_by_department().items():
        lands = [t for t in tis if t["task_id"] == f"ingest_{dept}.land"]
        assert sorted(t["rendered_map_index"] for t in lands) == sorted(feeds), dept
        gates = [t for t in tis if t["task_id"] == f"ingest_{dept}.gate"]
        assert [g["map_index"] for g in gates] == [-1], f"{dept}: one gate task for the department's feeds"
