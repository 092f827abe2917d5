"""What the suite builds once per run rather than once per pytest-xdist worker, and the Airflow
metadata template that new homes start from (test-only helpers; fixtures in tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from citylake.core.paths import REPO_ROOT, Home

AIRFLOW_TEMPLATE_FILES = ("airflow.db", ".citylake_db_migrated", ".citylake_writer_pool",
                          "simple_auth_manager_passwords.json")


def run_root(tmp_path_factory, worker_id: str) -> Path:  # noqa: ANN001
    """The directory every worker of this run sees (the workers' temp dirs' parent under xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def build_once(root: Path, done: str, build: Callable[[Path], None]) -> Path:
    """`build(root)` unless `root/done` exists: the first worker builds under a lock file, the
    others wait for it. A build that died half-way is started again from an empty `root`."""
    with FileLock(str(root) + ".lock"):
        if not (root / done).exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            build(root)
    return root


def migrate_template(root: Path) -> None:
    """A fresh home's Airflow metadata, made by citylake's own ensure_metadata_db in a clean process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CITYLAKE"))}
    env.update(CITYLAKE_HOME=str(root / "home"), PYTHONPATH=str(REPO_ROOT))
    code = ("from citylake.core.paths import Home; from citylake.orchestration import airflow_env; "
            "airflow_env.ensure_metadata_db(h=Home.from_env().ensure())")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO_ROOT, timeout=900, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the Airflow metadata template failed ({proc.returncode}): {proc.stderr[-3000:]}")
    (root / "done").touch()


def seed_airflow(template: Path, h: Home) -> Home:
    """Give home `h` a copy of the migrated, empty Airflow metadata database (no runs in it)."""
    h.airflow.mkdir(parents=True, exist_ok=True)
    for name in AIRFLOW_TEMPLATE_FILES:
        shutil.copy2(template / name, h.airflow / name)
    return h
