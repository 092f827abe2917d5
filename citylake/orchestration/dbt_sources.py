"""Generate dbt sources from the feed registry (never hand-copied).

`python -m citylake.orchestration.dbt_sources` rewrites dbt_project/models/staging/_sources.yml;
`tests/dbt/test_sources_in_sync.py` fails if the committed file drifts from the registry.
"""

from __future__ import annotations

import sys

import yaml

from citylake.core.paths import DBT_PROJECT_DIR
from ingest import registry

SOURCES_FILE = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
# One external_location pattern for every feed: all landed nights of the feed, partition column `dt`.
EXTERNAL_LOCATION = (
    "read_parquet('{{ env_var('CITYLAKE_HOME') }}/raw/{department}/{name}/dt=*/part-0.parquet', "
    "hive_partitioning = true, union_by_name = true)"
)
HEADER = "# GENERATED from ingest/feeds/*.yaml by `python -m citylake.orchestration.dbt_sources` — do not edit by hand.\n"


def _element_descriptions() -> dict[str, tuple[str, str]]:
    from standards.registry import elements

    return {e.id: (e.name_en, e.name_zh) for e in elements().values()}


def render() -> str:
    descs = _element_descriptions()
    tables = []
    for feed in registry.load().values():
        cols = []
        for f in feed.fields:
            en, zh = descs.get(f.element or "", (f.name.replace("_", " "), f.source))
            col = {"name": f.name, "description": f"{en} / {zh}（源字段 source field: {f.source}）",
                   "meta": {"element": f.element, "source_field": f.source, "required": f.required}}
            cols.append(col)
        cols.append({"name": "dt", "description": "Delivery date (partition) / 交换日期"})
        tables.append({
            "name": feed.id,
            "description": f"{feed.name_en} / {feed.name_zh} — {feed.department.name_en} {feed.department.name_zh}",
            "meta": {"department": feed.department.id, "delivery": feed.delivery,
                     "update_cycle": feed.update_cycle, "primary_key": list(feed.primary_key)},
            "columns": cols,
        })
    doc = {"version": 2, "sources": [{
        "name": "raw",
        "description": "Raw zone: departmental deliveries landed as Parquet, values as delivered / 原始区",
        "meta": {"external_location": EXTERNAL_LOCATION},
        "tables": tables,
    }]}
    return HEADER + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        ok = SOURCES_FILE.exists() and SOURCES_FILE.read_text(encoding="utf-8") == text
        print("dbt sources in sync" if ok else f"{SOURCES_FILE} is out of date: run python -m citylake.orchestration.dbt_sources")
        return 0 if ok else 1
    SOURCES_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SOURCES_FILE} ({len(registry.load())} feeds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
