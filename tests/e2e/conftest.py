"""A tiny synthetic city and one real night over it, shared by the end-to-end tests.

Every night runs as `citylake nightly --date D` in its own process — the real DAGs through
`dag.test()` — against a temp CITYLAKE_HOME (Airflow binds its metadata database once per
process, so each home gets fresh processes). Tests that change the lake work on a copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from citylake.core.paths import REPO_ROOT, Home
from tests.once import seed_airflow

TINY_SCALE = float(os.environ.get("CITYLAKE_TEST_SCALE", "0.0005"))
NIGHT_1 = "2026-11-25"
NIGHT_2 = "2026-11-26"
CLI = [sys.executable, "-m", "citylake.cli.main"]


def env_for(h: Home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env["CITYLAKE_HOME"] = str(h.root)
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def citylake(h: Home, *args: str, check: bool = True, timeout: float = 2400) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CLI, *args], env=env_for(h), cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"citylake {' '.join(args)} exited {proc.returncode}\n"
                             f"{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    return proc


def lake_counts(h: Home) -> dict[str, int]:
    from citylake.core import db

    conn = db.connect(read_only=True, h=h)
    try:
        tables = conn.execute("select schema_name, table_name from duckdb_tables() where database_name = 'lake' "
                              "and schema_name in ('base', 'theme', 'indicator') order by 1, 2").fetchall()
        return {f"{s}.{t}": conn.execute(f'select count(*) from lake."{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        conn.close()


def generate(h: Home, date: str) -> None:
    citylake(h, "generate", "--scale", str(TINY_SCALE), "--date", date)


# first_night (the home after night 1) is in tests/conftest.py: tests/docs runs against it too.


def copy_home(src: Home, dst: Path) -> Home:
    """A private copy of a home (the shared first night is only read), Airflow metadata included."""
    shutil.copytree(src.root, dst, symlinks=True)
    return Home(dst)


@pytest.fixture
def night_copy(first_night, airflow_template, tmp_path) -> Home:
    """A private copy of the home after night 1, for tests that change it, with fresh (migrated,
    empty) Airflow metadata."""
    src, _ = first_night
    h = copy_home(src, tmp_path / "home")
    shutil.rmtree(h.airflow, ignore_errors=True)
    return seed_airflow(airflow_template, h)
