"""The `lake_writer` pool follows the lake's catalog: one slot on SQLite (one committer at a
time), Airflow's parallelism on PostgreSQL (concurrent commits, lost races retried)."""

from __future__ import annotations

import pytest

from citylake.core import db
from citylake.core.paths import Home
from citylake.orchestration.dag_spec import lake_writer_slots


@pytest.mark.parametrize(("url", "parallelism", "slots"), [
    ("", "4", 1),
    ("", "16", 1),
    ("postgres:dbname=city host=127.0.0.1 port=5432", "4", 4),
    ("postgres:dbname=city host=127.0.0.1 port=5432", "16", 16),
])
def test_the_writer_pool_follows_the_catalog(tmp_path, monkeypatch, url, parallelism, slots):
    monkeypatch.setenv(db.CATALOG_URL_ENV, url)
    monkeypatch.setenv("AIRFLOW__CORE__PARALLELISM", parallelism)
    assert lake_writer_slots(db.catalog(Home(tmp_path)).concurrent_writers) == slots


@pytest.mark.slow
def test_airflow_sizes_the_pool_and_resizes_it_when_the_catalog_moves(tmp_path, monkeypatch):
    import json
    import os
    import subprocess

    from citylake.orchestration import airflow_env

    h = Home(tmp_path)
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path))
    for k in [k for k in os.environ if k.startswith("AIRFLOW")]:
        monkeypatch.delenv(k)
    monkeypatch.delenv(db.CATALOG_URL_ENV, raising=False)

    def slots() -> int:
        out = subprocess.run(["airflow", "pools", "get", "lake_writer", "-o", "json"], check=True,
                             capture_output=True, text=True, env=os.environ.copy()).stdout
        return int(json.loads(out)[0]["slots"])

    airflow_env.ensure_metadata_db(h=h)
    assert slots() == 1
    monkeypatch.setenv(db.CATALOG_URL_ENV, "postgres:dbname=city host=127.0.0.1 port=5432")
    airflow_env.ensure_metadata_db(h=h)
    assert slots() == 4
