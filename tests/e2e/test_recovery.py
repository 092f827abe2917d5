"""Kill test: a run interrupted mid-ingest leaves no half-written file visible, and re-running
it produces the same raw zone as an uninterrupted run."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time

import duckdb
import pytest

from citylake.core.paths import REPO_ROOT, Home
from tests.e2e.conftest import CLI, NIGHT_1, citylake, env_for, generate

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]


def raw_zone(h: Home) -> dict[str, tuple]:
    """Per landed partition: manifest essentials and the data itself (minus landing time)."""
    out = {}
    for manifest in sorted(h.raw.rglob("dt=*/_manifest.json")):
        m = json.loads(manifest.read_text())
        part = manifest.parent / "part-0.parquet"
        rows = duckdb.sql(f"select * exclude (_landed_at) from read_parquet('{part}') order by all").fetchall()
        key = str(manifest.parent.relative_to(h.raw))
        out[key] = (m["sha256"], m["rows_read"], m["rows_landed"], m["rows_quarantined"], rows)
    return out


def test_interrupted_ingest_reruns_to_the_same_lake(tmp_path):
    clean = Home(tmp_path / "clean").ensure()
    killed = Home(tmp_path / "killed").ensure()
    generate(clean, NIGHT_1)
    # the very same delivery files in both homes (a workbook records its creation time)
    shutil.copytree(clean.inbox, killed.inbox, dirs_exist_ok=True)
    citylake(clean, "ingest", "--date", NIGHT_1)

    proc = subprocess.Popen([*CLI, "ingest", "--date", NIGHT_1], env=env_for(killed), cwd=REPO_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(killed.raw.rglob("_manifest.json"))) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    landed_before_kill = list(killed.raw.rglob("_manifest.json"))
    assert 5 <= len(landed_before_kill) < len(list(clean.raw.rglob("_manifest.json"))), "killed mid-ingest"

    # nothing half-written is visible: every visible part file is complete Parquet
    for part in killed.raw.rglob("dt=*/part-0.parquet"):
        duckdb.sql(f"select count(*) from read_parquet('{part}')").fetchone()
    # re-run: the same raw zone as the uninterrupted run
    citylake(killed, "ingest", "--date", NIGHT_1)
    assert raw_zone(killed) == raw_zone(clean)
