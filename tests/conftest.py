"""Fixtures shared by more than one test folder, and how `make test` spreads the suite over workers.

`make test` runs pytest-xdist (`-n 2 --dist loadfile --no-loadscope-reorder`, docs/testing.md):
each test module is one unit of work (its module-scoped fixtures are built on one worker, and a
module whose tests run in order — the documented commands — stays in order), and the modules
known to be long start first. What is
built once per run, not once per worker — the tiny city's first night and a migrated Airflow
metadata database — is built by the first worker that needs it under a lock file beside the
workers' temp directories; the others wait for it and then only read it (or copy it).
"""

from __future__ import annotations

import importlib.machinery
import sys

# pyspark (installed by make test's spark extra) exits on `import pyspark.sql.connect` when
# __main__ has neither a spec nor a file: it takes that for its own doctest run. An xdist
# worker's __main__ (execnet) is such a module, and GX imports pyspark.sql.connect whenever
# pyspark is installed. Give the worker's __main__ a spec named "__main__" before anything
# imports GX: multiprocessing's spawn start method skips re-importing a main module of that name
# in its children (a file name would be run there, and a made-up one fails).
if getattr(sys.modules["__main__"], "__spec__", None) is None and not hasattr(sys.modules["__main__"], "__file__"):
    sys.modules["__main__"].__spec__ = importlib.machinery.ModuleSpec("__main__", None)

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

from citylake.core.paths import Home
from tests.e2e.conftest import NIGHT_1, citylake, generate
from tests.once import build_once, migrate_template, run_root

# Property tests check values, not speed: on a shared 2-core machine one example can take
# longer than hypothesis's default 200 ms deadline (speed is measured in benchmarks/).
settings.register_profile("citylake", deadline=None)
settings.load_profile("citylake")

# Each xdist worker gets its own default home (a test that forgets to pass one must not share
# files, or an Airflow database, with a test on the other worker); it stays under the
# configured home, which .gitignore already ignores.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("CITYLAKE_HOME"):
    os.environ["CITYLAKE_HOME"] = str(Path(os.environ["CITYLAKE_HOME"]) / f"xdist-{os.environ['PYTEST_XDIST_WORKER']}")

# The longest units, started first so that none of them is left to run alone at the end
# (measured with --durations, docs/testing.md); every other module keeps its collection order.
LONG_FIRST = (
    "tests/e2e/test_nightly.py",                  # builds first_night (four more modules use it), then a rerun
    "tests/e2e/test_scheduler.py",                # the real scheduler: generate + a whole night
    "tests/docs/test_documented_commands.py",     # every documented command, in order, on one worker
    "tests/pg/test_pg_night.py",                  # a whole night on a PostgreSQL catalog
    "tests/e2e/test_isolation.py",                # night 2 on a copy of first_night
    "tests/spark/test_spark_equality.py",         # staging on DuckDB and on Spark (~12 min), compared
    "tests/spark/test_spark_night.py",            # a whole night of the tiny city with --engine spark
    "tests/pg/test_pg_dbt.py",
    "tests/dags/test_in_process_runs.py",
    "tests/e2e/test_airflow_ui.py",
    "tests/e2e/test_recovery.py",
    "tests/dbt/test_build.py",
)


def pytest_collection_modifyitems(config, items):
    """The modules of LONG_FIRST first (xdist's loadfile hands out whole modules in this order)."""
    rank = {path: i for i, path in enumerate(LONG_FIRST)}
    items.sort(key=lambda it: rank.get(it.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order


def _build_first_night(root: Path) -> None:
    h = Home(root / "home").ensure()
    generate(h, NIGHT_1)
    proc = citylake(h, "nightly", "--date", NIGHT_1, check=False)
    (root / "night.json").write_text(json.dumps({"args": proc.args, "returncode": proc.returncode,
                                                 "stdout": proc.stdout, "stderr": proc.stderr}))


@pytest.fixture(scope="session")
def first_night(tmp_path_factory, worker_id) -> tuple[Home, subprocess.CompletedProcess]:
    """The home after generating the tiny city and running night 1 (tests/e2e, tests/docs), built
    once per run; read it only — a test that changes it works on a copy (night_copy)."""
    root = build_once(run_root(tmp_path_factory, worker_id) / "first_night", "night.json", _build_first_night)
    p = json.loads((root / "night.json").read_text())
    return Home(root / "home"), subprocess.CompletedProcess(p["args"], p["returncode"], p["stdout"], p["stderr"])


@pytest.fixture(scope="session")
def airflow_template(tmp_path_factory, worker_id) -> Path:
    """A migrated, empty Airflow metadata database (SQLite; the `lake_writer` pool sized for the
    SQLite catalog), made once per run; `tests.once.seed_airflow` copies it into a new home so a
    night there skips `airflow db migrate`. first_night and tests/orchestration/test_writer_pool.py
    still migrate a fresh home."""
    root = build_once(run_root(tmp_path_factory, worker_id) / "airflow_template", "done", migrate_template)
    return root / "home" / "airflow"
