"""`citylake nightly` on a PostgreSQL DuckLake catalog: one real night of the tiny city through
the real DAGs (slow: ~6-10 min), then the lake's upkeep on it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from citylake.core import db
from citylake.core.paths import REPO_ROOT, Home
from tests.once import seed_airflow

NIGHT = "2026-11-25"


def _citylake(h: Home, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CITYLAKE"))}
    env.update({"CITYLAKE_HOME": str(h.root), "PYTHONPATH": str(REPO_ROOT), db.CATALOG_URL_ENV: url})
    return subprocess.run([sys.executable, "-m", "citylake.cli.main", *args], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=2400)


@pytest.mark.slow
@pytest.mark.timeout(2400)  # a whole night (637 s measured on a loaded machine), beside another worker's test
def test_a_night_on_a_postgres_catalog(tmp_path, pg_url, airflow_template):
    h = seed_airflow(airflow_template, Home(tmp_path / "home").ensure())  # its pool is resized for PostgreSQL
    assert _citylake(h, pg_url, "generate", "--scale", "0.0005", "--date", NIGHT).returncode == 0
    night = _citylake(h, pg_url, "nightly", "--date", NIGHT)
    assert night.returncode == 0, night.stdout[-3000:] + night.stderr[-3000:]
    assert not (h.lake / "catalog.sqlite").exists() and h.lake_catalog == h.lake_catalog_record
    assert (h.airflow / ".citylake_writer_pool").read_text() == "4"  # writers in parallel on PostgreSQL
    asof = _citylake(h, pg_url, "sql", "--night", NIGHT, "--format", "csv", "-c", "select count(*) from base.population")
    assert asof.returncode == 0 and int(asof.stdout.splitlines()[1]) > 0
    kept = _citylake(h, pg_url, "lake", "maintain", "--keep-nights", "1")
    assert kept.returncode == 0 and "Expired 0 snapshots" in kept.stdout and NIGHT in kept.stdout
