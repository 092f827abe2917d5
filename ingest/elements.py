"""Element types for ingest's row checks, from the data element registry (standards/elements).

Only the types matter to ingest: they decide the "wrong type" quarantine check. A field may
override its element's type with `type:` in the feed registry.
"""

from __future__ import annotations

from ingest.registry import Feed, Field
from standards.registry import elements

# elements whose values carry a check character (validated when the field is a key or required)
CHECKED_ELEMENTS = {"id_number": "ric", "uscc": "uscc"}


def field_type(f: Field) -> str:
    """string|integer|decimal|date|timestamp|boolean|geometry for a registry field."""
    if f.type:
        return f.type
    el = elements().get(f.element) if f.element else None
    return el.type if el else "string"


def checked_kind(feed: Feed, f: Field) -> str | None:
    """'ric' / 'uscc' if this field's check character must be valid for the row to land."""
    kind = CHECKED_ELEMENTS.get(f.element or "")
    if kind and (f.name in feed.primary_key or f.required):
        return kind
    return None
