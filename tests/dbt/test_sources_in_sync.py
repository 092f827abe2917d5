"""dbt sources and staging models follow the feed registry: sources generated, one staging model per feed."""

from __future__ import annotations

from citylake.dbt_sources import SOURCES_FILE, render
from citylake.paths import DBT_PROJECT_DIR
from ingest import registry


def test_generated_sources_file_is_in_sync():
    assert SOURCES_FILE.read_text(encoding="utf-8") == render(), "run python -m citylake.dbt_sources"


def test_one_staging_model_per_feed_and_no_other():
    expected = {f"stg_{f.department.id}__{f.id[len(f.department.id) + 1:]}" for f in registry.load().values()}
    found = {p.stem for p in (DBT_PROJECT_DIR / "models" / "staging").rglob("stg_*.sql")}
    assert found == expected


def test_only_staging_calls_source():
    offenders = [p.name for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")
                 if "source(" in p.read_text(encoding="utf-8") and "staging" not in p.parts]
    assert offenders == []
