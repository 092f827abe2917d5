"""dbt sources and staging models follow the feed registry: sources generated, one staging model per feed."""

from __future__ import annotations

import re

import yaml

from citylake.core.paths import DBT_PROJECT_DIR
from citylake.orchestration.dbt_sources import SOURCES_FILE, render
from ingest import registry


def test_generated_sources_file_is_in_sync():
    assert SOURCES_FILE.read_text(encoding="utf-8") == render(), "run python -m citylake.orchestration.dbt_sources"


def _model_name(feed: registry.Feed) -> str:
    return f"stg_{feed.department.id}__{feed.id[len(feed.department.id) + 1:]}"


def test_one_staging_model_per_feed_and_no_other():
    """One per feed, and for a snapshot feed also its rows model (`<model>_rows`, the cleaned rows)."""
    feeds = registry.load().values()
    expected = {_model_name(f) for f in feeds} | {f"{_model_name(f)}_rows" for f in feeds if f.delivery == "snapshot"}
    found = {p.stem for p in (DBT_PROJECT_DIR / "models" / "staging").rglob("stg_*.sql")}
    assert found == expected


def test_a_snapshot_feed_is_staged_through_its_rows_model():
    """The view of a snapshot feed reads only its rows model (its config from the dispatched
    snapshot_rows_config: incremental and pruned on DuckDB) and adds the snapshot's dt; its
    columns are the documented ones."""
    documented = _model_columns()
    for feed in (f for f in registry.load().values() if f.delivery == "snapshot"):
        name = _model_name(feed)
        view = next((DBT_PROJECT_DIR / "models" / "staging").rglob(f"{name}.sql")).read_text(encoding="utf-8")
        rows = next((DBT_PROJECT_DIR / "models" / "staging").rglob(f"{name}_rows.sql")).read_text(encoding="utf-8")
        assert f"ref('{name}_rows')" in view and "delivered(" not in view and "source(" not in view, name
        assert f"{{{{ snapshot_dt('{feed.id}') }}}} as dt" in view, name
        assert rows.startswith(f"{{{{ config(**snapshot_rows_config('{feed.id}')) }}}}"), name
        body = view.split("final as (")[1]
        out = [c for c in re.findall(r"^\s+(\w+),?\s*$", body, re.M) if c != "select"] + ["dt"]
        assert out == documented[name], f"{name}: view columns {out} vs .yml {documented[name]}"


def test_only_staging_calls_source():
    offenders = [p.name for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")
                 if "source(" in p.read_text(encoding="utf-8") and "staging" not in p.parts]
    assert offenders == []


def _staging_models() -> list[tuple[str, str, str]]:
    """(model name, raw source table, SQL after the import CTE) of every staging model."""
    models = []
    for p in sorted((DBT_PROJECT_DIR / "models" / "staging").rglob("stg_*.sql")):
        sql = p.read_text(encoding="utf-8")
        if (p.parent / f"{p.stem}_rows.sql").exists():
            continue  # a snapshot feed's view: its rows model reads the delivery
        found = re.search(r"\{\{ delivered\('(\w+)'\) \}\}", sql)
        assert found, f"{p.name}: a staging model reads its feed through {{{{ delivered('<feed>') }}}}"
        models.append((p.stem, found.group(1), sql[found.end():]))
    return models


def _model_columns() -> dict[str, list[str]]:
    columns = {}
    for p in (DBT_PROJECT_DIR / "models" / "staging").rglob("_*__models.yml"):
        for m in yaml.safe_load(p.read_text(encoding="utf-8"))["models"]:
            columns[m["name"]] = [c["name"] for c in m.get("columns", [])]
    return columns


def test_staging_models_read_the_delivery_kind_from_the_registry():
    """No pasted `latest` / `deliveries` blocks: the delivered() macro decides by meta.delivery."""
    feeds = {f.id: f for f in registry.load().values()}
    kinds = {t["name"]: t["meta"]["delivery"]
             for t in yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"][0]["tables"]}
    for model, table, sql in _staging_models():
        assert table in feeds, f"{model} reads {table}, which is not in the feed registry"
        assert kinds[table] in ("snapshot", "increment", "watermark"), (table, kinds[table])
        assert not re.search(r"\b(latest|deliveries) as \(", sql), f"{model} pastes its own delivery CTE"


def test_every_delivered_column_is_staged_and_documented():
    """Columns too: each source column is used by its staging model (nothing dropped on the way
    in), and the model's output columns are exactly the ones its .yml documents."""
    source_columns = {t["name"]: [c["name"] for c in t["columns"]]
                      for t in yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))["sources"][0]["tables"]}
    documented = _model_columns()
    for model, table, sql in _staging_models():
        body = sql.split("final as (")[0]
        staged = [c for c in source_columns[table] if not (model.endswith("_rows") and c == "dt")]  # the view adds dt
        unused = [c for c in staged if not re.search(rf"\b{c}\b", body)]
        assert unused == [], f"{model} drops source columns {unused} of {table}"
        out = set(re.findall(r"\bas (\w+)\s*,?\s*$", body, re.M)) - {"delivered", "renamed"}
        # a rows model's columns are its view's, without dt (the view adds it), plus _row_id
        expected = set(documented[model]) if not model.endswith("_rows") else \
            set(documented[model.removesuffix("_rows")]) - {"dt"}
        assert out == expected, f"{model}: output {sorted(out)} vs .yml {sorted(expected)}"
        if model.endswith("_rows"):
            assert re.search(r"^\s+_row_id\s*$", body, re.M), f"{model} keeps the raw row hash _row_id"
