"""The publish DAG ends every night with `night_end` (catalog.nights, `citylake sql --night D`):
after every other task, whatever their outcome, so no write of the night comes after the mark. Only the
night verdict comes after it (it writes nothing: it turns the run red when a task failed)."""

from __future__ import annotations

import json
import subprocess
import sys

from citylake.core.paths import DAGS_DIR, REPO_ROOT
from citylake.orchestration.dag_spec import NIGHT_VERDICT

PROBE = r"""
import json, sys, importlib.util
from airflow.sdk import DAG
spec = importlib.util.spec_from_file_location("dagfile", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
dag = next(v for v in vars(mod).values() if isinstance(v, DAG))
end = dag.get_task("night_end")
print(json.dumps({"tasks": sorted(dag.task_ids), "upstream": sorted(t.task_id for t in end.get_flat_relatives(upstream=True)),
                  "downstream": sorted(t.task_id for t in end.get_flat_relatives(upstream=False)),
                  "trigger_rule": str(getattr(end.trigger_rule, "value", end.trigger_rule))}))
"""


def test_night_end_follows_every_task_of_the_publish_dag(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(DAGS_DIR / "citylake_publish.py")], capture_output=True,
                          text=True, cwd=REPO_ROOT, timeout=300,
                          env={"CITYLAKE_HOME": str(tmp_path), "AIRFLOW_HOME": str(tmp_path / "airflow"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    info = json.loads(done.stdout.strip().splitlines()[-1])
    assert info["trigger_rule"] == "all_done"
    assert info["upstream"] == [t for t in info["tasks"] if t not in ("night_end", NIGHT_VERDICT)]
    assert info["downstream"] == [NIGHT_VERDICT]
