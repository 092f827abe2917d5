"""Airflow's own metadata on PostgreSQL (CITYLAKE_AIRFLOW_DB_URL, psycopg 3), beside a DuckLake
catalog on the same server: `airflow db migrate` creates Airflow's tables there, and the real
scheduler (LocalExecutor) runs the tiny city's nightly DAG with the `lake_writer` pool at 4 slots,
its landings and gates running side by side."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time

import pendulum
import psycopg
import pytest

from benchmarks.catalogs import most_at_once
from benchmarks.servers.airflow_patient import Services, services_port
from citylake.core import db
from citylake.core.errors import UserError
from citylake.core.paths import Home
from citylake.orchestration import airflow_env
from tests.e2e.conftest import NIGHT_1, generate, lake_counts

_dbs = itertools.count()


@pytest.fixture
def restored_environ():
    """AirflowServices.start exports the Airflow settings into this process: undo that afterwards."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def pg_home(tmp_path, pg, monkeypatch, restored_environ):
    """A home whose lake catalog and Airflow metadata are two databases on the session's server."""
    n = next(_dbs)
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg.createdb(f"lake_af{n}"))
    pg.createdb(f"airflow{n}")
    monkeypatch.setenv(airflow_env.AIRFLOW_DB_URL_ENV, pg.sqlalchemy_url(f"airflow{n}"))
    monkeypatch.delenv(db.METADATA_SCHEMA_ENV, raising=False)
    for k in [k for k in os.environ if k.startswith("AIRFLOW")]:
        monkeypatch.delenv(k)
    h = Home(tmp_path / "home").ensure()
    monkeypatch.setenv("CITYLAKE_HOME", str(h.root))
    return h


def _airflow_tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("select table_name from information_schema.tables where table_schema = 'public'")
        return {r[0] for r in rows}


def test_a_metadata_url_other_than_postgresql_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(airflow_env.AIRFLOW_DB_URL_ENV, "mysql://airflow:secret@db.internal/airflow")
    with pytest.raises(UserError, match="expected 'postgresql://") as e:
        airflow_env.airflow_env(h=Home(tmp_path))
    assert "secret" not in str(e.value)


def test_airflow_db_migrate_on_postgres_and_the_pool_follows_the_catalog(pg_home):
    env = airflow_env.airflow_env(h=pg_home)
    url = os.environ[airflow_env.AIRFLOW_DB_URL_ENV]
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] == env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert not airflow_env.has_metadata(pg_home)
    airflow_env.ensure_metadata_db(h=pg_home)
    assert airflow_env.has_metadata(pg_home)  # `citylake status` reads it although there is no airflow.db
    assert {"dag_run", "task_instance", "slot_pool"} <= _airflow_tables(url)
    assert not (pg_home.airflow / "airflow.db").exists()
    with psycopg.connect(url) as conn:
        slots = conn.execute("select slots from slot_pool where pool = 'lake_writer'").fetchone()
    assert slots == (4,)  # PostgreSQL catalog: writers in parallel
    listed = subprocess.run([str(os.path.join(os.path.dirname(sys.executable), "airflow")), "pools", "list"],
                            env=os.environ.copy(), capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0 and "lake_writer" in listed.stdout


@pytest.mark.slow
@pytest.mark.timeout(2100)  # the SQLite scheduler test's bound; minutes on a quiet machine
def test_the_nightly_dag_under_the_real_scheduler_on_postgres(pg_home, monkeypatch):
    h = pg_home
    monkeypatch.setenv("CITYLAKE_START_DATE", pendulum.now("Asia/Shanghai").add(days=2).to_date_string())
    generate(h, NIGHT_1)
    t0 = time.monotonic()
    with Services(h, port=services_port()) as af:
        af.wait_for_dag("citylake_nightly")
        af.unpause("citylake_nightly")  # only the nightly DAG: themes and publish are the SQLite test's
        assert af.api("GET", "/pools/lake_writer")["slots"] == 4
        run_id = af.trigger("citylake_nightly", {"date": NIGHT_1})
        run = af.wait_for_run("citylake_nightly", run_id, timeout=1800)
        tis = af.task_instances("citylake_nightly", run_id)
        started = dict(af.procs)
    failed = [(t["task_id"], t.get("map_index")) for t in tis if t["state"] == "failed"]
    assert run["state"] == "success", f"nightly run {run['state']}; failed tasks: {failed}"
    assert all(p.poll() is not None for p in started.values()), "the processes we started are gone"
    lands = most_at_once(tis, lambda t: t["task_id"].endswith(".land"))
    gates = most_at_once(tis, lambda t: t["task_id"].endswith(".gate"))
    assert lands >= 2 and gates >= 2, f"at most {lands} landings and {gates} gates at once"
    assert not (h.airflow / "airflow.db").exists()
    with psycopg.connect(os.environ[airflow_env.AIRFLOW_DB_URL_ENV]) as conn:  # what the API showed is there
        stored = conn.execute("select count(*) from task_instance where run_id = %s and state = 'success'",
                              (run_id,)).fetchone()[0]
    assert stored == sum(t["state"] == "success" for t in tis) >= 30
    counts = lake_counts(h)
    assert counts["base.population"] > 0
    print(f"nightly DAG on PostgreSQL (catalog + Airflow metadata): {time.monotonic() - t0:.0f}s, "
          f"{lands} landings and {gates} gates at once at most")
