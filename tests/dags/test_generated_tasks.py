"""DAG tasks are generated from the registries: a feed added to the registry gets its tasks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

from citylake.core.paths import DAGS_DIR, REPO_ROOT
from ingest.registry import FEEDS_DIR

PROBE = r"""
import functools, json, sys, importlib.util
import ingest.registry as r
r.load = functools.partial(r.load.__wrapped__, __import__("pathlib").Path(sys.argv[2]))
spec = importlib.util.spec_from_file_location("dagfile", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
d = mod.dag
out = {}
for t in d.tasks:
    ei = getattr(t, "op_kwargs_expand_input", None)
    value = getattr(ei, "value", None) if ei is not None else None
    out[t.task_id] = sorted(value.get("feed_id", [])) if isinstance(value, dict) and isinstance(value.get("feed_id"), list) else None
print(json.dumps(out))
"""

NEW_DEPT = textwrap.dedent("""
    department:
      id: sport
      code: "11510600MB1C99999X"
      name_zh: 德阳市体育局
      name_en: Deyang Sports Bureau
    feeds:
      - id: sport_venues
        name_zh: 体育场馆信息
        name_en: Sports venues
        format: csv
        encoding: utf-8
        delivery: snapshot
        update_cycle: monthly
        file: "sport/venues_{date}.csv"
        primary_key: [venue_id]
        fields:
          - {source: venue_id, name: venue_id, required: true}
          - {source: township_code, name: township_code, element: township_code, required: true}
""")


def parse(feeds_dir) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(DAGS_DIR / "citylake_nightly.py"), str(feeds_dir)],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
                          env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_adding_a_feed_adds_its_tasks(tmp_path):
    feeds = tmp_path / "feeds"
    shutil.copytree(FEEDS_DIR, feeds)
    before = parse(feeds)
    (feeds / "sport.yaml").write_text(NEW_DEPT, encoding="utf-8")
    after = parse(feeds)

    assert "ingest_sport.land" not in before
    assert after["ingest_sport.land"] == ["sport_venues"], "the new feed is a mapped landing task"
    assert "ingest_sport.gate" in after
    # nothing else changed: every existing department keeps exactly its feeds
    for task_id, mapped in before.items():
        assert after[task_id] == mapped


def test_every_registered_feed_has_a_landing_task():
    from ingest import registry

    tasks = parse(FEEDS_DIR)
    mapped = {f for task_id, feeds in tasks.items() if task_id.endswith(".land") for f in (feeds or [])}
    assert mapped == set(registry.load())
