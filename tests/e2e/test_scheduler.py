"""Integration under the real scheduler: Airflow's scheduler, dag-processor, API server and
triggerer started from the test; the nightly DAG triggered through the REST API; the
Asset-scheduled themes and publish DAGs must follow on their own. Only the processes started
here are stopped. Slow (minutes) but part of `make test`."""

from __future__ import annotations

import time

import pendulum
import pytest

from benchmarks.servers.airflow import AirflowServices
from citylake.core.paths import Home
from tests.e2e.conftest import NIGHT_1, generate, lake_counts
from tests.once import seed_airflow

pytestmark = pytest.mark.slow
DAGS = ("citylake_nightly", "citylake_themes", "citylake_publish")


@pytest.mark.timeout(2100)  # bounded: the whole suite must stay well inside CI's 90 minutes
def test_nightly_under_the_real_scheduler(tmp_path, monkeypatch, airflow_template):
    h = seed_airflow(airflow_template, Home(tmp_path / "home").ensure())
    monkeypatch.setenv("CITYLAKE_HOME", str(h.root))
    # no scheduled night is due yet: the only nightly run is the one triggered here
    monkeypatch.setenv("CITYLAKE_START_DATE", pendulum.now("Asia/Shanghai").add(days=2).to_date_string())
    generate(h, NIGHT_1)
    t0 = time.monotonic()
    with AirflowServices(h) as af:
        for dag_id in DAGS:
            af.wait_for_dag(dag_id)
            af.unpause(dag_id)
        run_id = af.trigger("citylake_nightly", {"date": NIGHT_1})
        run = af.wait_for_run("citylake_nightly", run_id, timeout=1500)
        tis = af.task_instances("citylake_nightly", run_id)
        failed = [(t["task_id"], t.get("map_index")) for t in tis if t["state"] == "failed"]
        assert run["state"] == "success", f"nightly run {run['state']}; failed tasks: {failed}"
        # the Asset events start the downstream DAGs without a trigger from us
        for dag_id in ("citylake_themes", "citylake_publish"):
            done = af.first_run(dag_id, timeout=900)
            assert done is not None, f"{dag_id} was not started by its Asset"
            assert done["run_type"] == "asset_triggered"
            assert done["state"] == "success", f"{dag_id} {done['state']}"
        mapped = [t for t in tis if t["task_id"].endswith(".land")]
        assert len(mapped) >= 30, "one mapped landing task per feed delivery"
        started = dict(af.procs)
    wall = time.monotonic() - t0
    assert started and all(p.poll() is not None for p in started.values()), "the processes we started are gone"
    counts = lake_counts(h)
    assert counts["base.population"] > 0 and counts["theme.city_events"] > 0
    print(f"scheduler integration wall time: {wall:.0f}s")
