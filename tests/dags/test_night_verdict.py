"""A night with a failed task is a red run, although the closing steps run `all_done`.

Airflow decides a run's state from its leaf tasks; `base_done` and `theme_done` are leaves
that succeed whatever happened upstream (so that one bad feed stops only its consumers).
`night_verdict` is downstream of every task and fails when any of them failed. The
end-to-end proof (a broken delivery makes `citylake nightly` exit non-zero) is in
tests/e2e/test_isolation.py; this is the fast structural check on the real DAG files.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citylake.core.paths import DAGS_DIR, REPO_ROOT

PROBE = r"""
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("dagfile", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
d = mod.dag
v = d.get_task("night_verdict")
print(json.dumps({"rule": str(getattr(v.trigger_rule, "value", v.trigger_rule)), "retries": v.retries,
                  "upstream": sorted(v.upstream_task_ids), "others": sorted(t.task_id for t in d.tasks if t is not v),
                  "downstream": sorted(v.downstream_task_ids)}))
"""


@pytest.mark.parametrize("dag_file", ["citylake_nightly.py", "citylake_themes.py", "citylake_publish.py"])
def test_night_verdict_watches_every_task(dag_file):
    proc = subprocess.run([sys.executable, "-c", PROBE, str(DAGS_DIR / dag_file)], capture_output=True, text=True,
                          timeout=120, cwd=REPO_ROOT, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin",
                                                           "HOME": "/tmp"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["rule"] == "one_failed"
    assert got["retries"] == 0
    assert got["downstream"] == [], "the verdict is a leaf, so it decides the run's state"
    assert got["upstream"] == got["others"], "every task of the night is watched"
    assert any(t.endswith(".land") for t in got["upstream"]) or dag_file != "citylake_nightly.py"
