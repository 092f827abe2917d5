"""Generated files stay in sync with their source of truth (the registries)."""

import subprocess
import sys

from citylake.core.paths import REPO_ROOT


def test_dbt_sources_in_sync_with_feed_registry():
    proc = subprocess.run([sys.executable, "-m", "citylake.orchestration.dbt_sources", "--check"], cwd=REPO_ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_feed_is_a_dbt_source():
    import yaml

    from citylake.orchestration.dbt_sources import SOURCES_FILE
    from ingest import registry

    doc = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    tables = {t["name"]: t for t in doc["sources"][0]["tables"]}
    assert set(tables) == set(registry.load())
    for feed in registry.load().values():
        assert [c["name"] for c in tables[feed.id]["columns"]][:-1] == feed.columns
