"""DAG integrity (pattern of Airflow's test_example_dags.py): every DAG file imports cleanly,
defines a DAG with tags and retries, and does no I/O at parse time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citylake.core.paths import DAGS_DIR, REPO_ROOT

DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))

# Parses one DAG file in a fresh interpreter where opening a DuckDB database, a socket or
# any file under CITYLAKE_HOME raises — so a DAG that touches the lake, the network or
# the home directory at parse time fails this test.
PARSE_PROBE = r"""
import builtins, io, json, os, socket, sys, importlib.util
home = os.environ["CITYLAKE_HOME"]
def deny(*a, **k): raise RuntimeError("I/O at parse time: %r" % (a[:1],))
import duckdb; duckdb.connect = deny
socket.socket.connect = deny
_open = builtins.open
def guarded_open(file, *a, **k):
    if str(file).startswith(home): deny(file)
    return _open(file, *a, **k)
builtins.open = guarded_open
io.open = guarded_open
from airflow.sdk import DAG
spec = importlib.util.spec_from_file_location("dagfile", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
dags = [v for v in vars(mod).values() if isinstance(v, DAG)]
print(json.dumps([{"dag_id": d.dag_id, "tags": sorted(d.tags), "tasks": len(d.tasks),
                   "default_retries": (d.default_args or {}).get("retries", 0), "catchup": d.catchup,
                   "doc": bool(d.doc_md)} for d in dags]))
"""


def test_there_are_dag_files():
    assert DAG_FILES, "no DAG files found"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.name)
def test_dag_file_parses_without_io(path: Path, tmp_path):
    home = tmp_path / "no-such-home"
    env = {"CITYLAKE_HOME": str(home), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
           "AIRFLOW_HOME": str(tmp_path / "airflow"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    proc = subprocess.run([sys.executable, "-c", PARSE_PROBE, str(path)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    dags = json.loads(proc.stdout.strip().splitlines()[-1])
    assert dags, f"{path.name} defines no DAG"
    for d in dags:
        assert d["tags"], f"{d['dag_id']} has no tags"
        assert "citylake" in d["tags"]
        assert d["doc"], f"{d['dag_id']} has no doc_md"
        assert d["catchup"] is False, f"{d['dag_id']}: catchup must be decided on purpose (False)"
        assert d["tasks"] > 0
        assert d["default_retries"] >= 1, f"{d['dag_id']}: transient failures need retries"
    assert not home.exists(), "parsing a DAG file created the citylake home (I/O at parse time)"


def test_probe_catches_parse_time_io(tmp_path):
    """The probe itself must fail on a DAG that opens DuckDB at parse time."""
    bad = tmp_path / "bad_dag.py"
    bad.write_text("import duckdb\nduckdb.connect(':memory:')\n"
                   "from airflow.sdk import dag\n@dag(tags=['citylake'])\ndef x():\n    pass\nx()\n")
    env = {"CITYLAKE_HOME": str(tmp_path / "h"), "PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
           "AIRFLOW_HOME": str(tmp_path / "airflow")}
    proc = subprocess.run([sys.executable, "-c", PARSE_PROBE, str(bad)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode != 0 and "I/O at parse time" in proc.stderr
