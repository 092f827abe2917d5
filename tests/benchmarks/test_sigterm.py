"""A benchmark stopped by SIGTERM stops what it started: exit_on_sigterm turns the signal into
SystemExit, so the `with` blocks that hold its servers (Airflow's services, PostgreSQL) run their
exits instead of leaving the servers running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from citylake.core.paths import REPO_ROOT

CHILD = """
import sys, time
from contextlib import contextmanager
from pathlib import Path
from benchmarks.measure import exit_on_sigterm

@contextmanager
def server():
    Path(sys.argv[1]).write_text("started")
    try:
        yield
    finally:
        Path(sys.argv[1]).write_text("stopped")

exit_on_sigterm()
with server():
    time.sleep(60)
"""


def test_a_terminated_benchmark_leaves_its_with_blocks(tmp_path):
    marker = tmp_path / "server"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], cwd=REPO_ROOT,
                            env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.read_text() == "started"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert marker.read_text() == "stopped"
