"""Element types for ingest's row checks.

The data element registry (`standards/elements/*.yaml`) is the source of an element's
type. Until an element is declared there, ingest falls back to `FALLBACK_TYPES` below
(or the registry field's own `type`). Only the types matter to ingest: they decide the
"wrong type" quarantine check.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from citylake.paths import REPO_ROOT
from ingest.registry import Feed, Field

ELEMENTS_DIR = REPO_ROOT / "standards" / "elements"

FALLBACK_TYPES: dict[str, str] = {
    **dict.fromkeys(["birth_date", "death_date", "registered_on", "established_on", "installed_on", "start_date",
                     "issued_on", "expires_on", "decided_on", "event_date"], "date"),
    **dict.fromkeys(["event_time", "closed_time", "updated_at"], "timestamp"),
    **dict.fromkeys(["count", "step_no"], "integer"),
    **dict.fromkeys(["amount_cny", "measure_value", "area_sqm", "longitude", "latitude", "registered_capital"], "decimal"),
    "geometry_wkt": "geometry",
}
# elements whose values carry a check character (validated when the field is a key or required)
CHECKED_ELEMENTS = {"id_number": "ric", "uscc": "uscc"}


@cache
def _standard_types(elements_dir: Path = ELEMENTS_DIR) -> dict[str, str]:
    out: dict[str, str] = {}
    if not elements_dir.is_dir():
        return out
    for path in sorted(elements_dir.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items = doc.get("elements", doc) if isinstance(doc, dict) else doc
        if isinstance(items, dict) and "id" in items:
            items = [items]
        for el in items if isinstance(items, list) else []:
            if isinstance(el, dict) and el.get("id") and el.get("type"):
                out[str(el["id"])] = str(el["type"])
    return out


def field_type(f: Field) -> str:
    """string|integer|decimal|date|timestamp|boolean|geometry for a registry field."""
    if f.type:
        return f.type
    if f.element:
        std = _standard_types()
        if f.element in std:
            return std[f.element]
        if f.element in FALLBACK_TYPES:
            return FALLBACK_TYPES[f.element]
    return "string"


def checked_kind(feed: Feed, f: Field) -> str | None:
    """'ric' / 'uscc' if this field's check character must be valid for the row to land."""
    kind = CHECKED_ELEMENTS.get(f.element or "")
    if kind and (f.name in feed.primary_key or f.required):
        return kind
    return None
