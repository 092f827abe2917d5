"""The library registry (库目录): ``standards/libraries.yaml``, the one list of the libraries.

* ``libraries(layer=None)`` — the libraries in registry order (``Library`` dataclasses);
  ``library(id)`` one of them.
* ``LAYERS`` — the library layers (= lake schemas) in build order: base, theme, indicator.
* ``handover_of(schema)`` — the hand-over point (交接点) of a gate on a table of that schema.
* ``Library.owns(table)`` / ``Library.dbt_select()`` — the one naming rule of a library's tables
  (``<id>``, ``<id>__<detail>``, ``<id>_history`` unless the registry lists ``tables``), for the
  lake (snapshots, restores) and for dbt (the DAG's per-library builds).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from citylake.core.errors import UnknownName
from citylake.core.yamlio import load_yaml

LIBRARIES_FILE = Path(__file__).with_name("libraries.yaml")
NAMING_RULE = ("{id}", "{id}__*", "{id}_history")
# Gates on the layers below the libraries (dbt's staging/intermediate models) and on exports.
_OTHER_HANDOVERS = {"staging": "raw_to_staging", "intermediate": "staging_to_base"}
EXPORT_HANDOVER = "library_to_export"


class LibraryError(UnknownName):
    """Unknown library or malformed registry file."""


@dataclass(frozen=True)
class Library:
    id: str
    layer: str
    item: str
    name_zh: str
    name_en: str
    tables: tuple[str, ...] = ()      # glob patterns, when not the naming rule
    dcat_theme: str = ""              # the open catalog's dcat:theme (EU data-theme code)

    @property
    def schema(self) -> str:
        return _registry()["layers"][self.layer]["schema"]

    def patterns(self) -> tuple[str, ...]:
        return self.tables or tuple(p.format(id=self.id) for p in NAMING_RULE)

    def owns(self, table: str) -> bool:
        """Whether a table of this library's schema belongs to this library."""
        return any(fnmatch.fnmatchcase(table, p) for p in self.patterns())

    def dbt_select(self) -> list[str]:
        """dbt selectors of the library's models (folder marts/<layer>/)."""
        return [f"marts.{self.layer}.{p}" for p in self.patterns()]


@cache
def _registry(path: Path = LIBRARIES_FILE) -> dict:
    data = load_yaml(path)
    layers = data.get("layers") or {}
    rows = data.get("libraries") or []
    for row in rows:
        if row.get("layer") not in layers:
            raise LibraryError(f"{path.name}: library {row.get('id')!r} has unknown layer {row.get('layer')!r}")
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise LibraryError(f"{path.name}: duplicate library ids")
    items = [(r["layer"], r["item"]) for r in rows]
    if len(items) != len(set(items)):
        raise LibraryError(f"{path.name}: duplicate item codes within a layer")
    libs = tuple(Library(r["id"], r["layer"], str(r["item"]), r["name_zh"], r["name_en"], tuple(r.get("tables") or ()),
                         r.get("dcat_theme", "")) for r in rows)
    return {"layers": layers, "libraries": libs}


LAYERS: tuple[str, ...] = tuple(_registry()["layers"])


def libraries(layer: str | None = None) -> list[Library]:
    return [lib for lib in _registry()["libraries"] if layer is None or lib.layer == layer]


def library(library_id: str) -> Library:
    for lib in _registry()["libraries"]:
        if lib.id == library_id:
            return lib
    raise LibraryError(f"unknown library {library_id!r}; valid: {', '.join(x.id for x in libraries())}")


def library_of(schema: str, table: str) -> Library | None:
    """The library a lake table belongs to (None for tables of no library)."""
    return next((lib for lib in libraries() if lib.schema == schema and lib.owns(table)), None)


def handover_of(schema: str) -> str:
    """The hand-over point of a gate on a table of ``schema``."""
    layers = _registry()["layers"]
    for layer in layers.values():
        if layer["schema"] == schema:
            return layer["handover"]
    return _OTHER_HANDOVERS.get(schema, EXPORT_HANDOVER)
