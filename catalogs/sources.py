"""The three sources a catalog is generated from, read into plain shapes.

- the dbt manifest: library models (schemas base/theme/indicator), their columns,
  descriptions and lineage back to the raw feeds;
- the standards: data elements (type, length, pii class) and code sets
  (sharing type, open type, update cycle with their DCAT mappings);
- the feed registry: provider departments and update cycles.

Each reader tolerates its source being absent or partial (other modules are
built at the same time); what it cannot find, generation fills in by rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from citylake.core.paths import REPO_ROOT
from citylake.core.yamlio import load_yaml
from standards import libraries

POLICY_FILE = Path(__file__).with_name("policy.yml")
STANDARDS_DIR = REPO_ROOT / "standards"
_CJK = re.compile(r"[\u3400-\u9fff]")
# "中文标签 English text": a Chinese label, then the English (optionally in brackets)
_LABELLED = re.compile(r"^([^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s*[(（]?([A-Za-z].*?)[)）]?$")


def load_policy(path: Path = POLICY_FILE) -> dict:
    """The catalog policy, with `libraries` per layer read from the library registry
    (standards/libraries.yaml: id, 项 item code, names, DCAT theme) — never kept in the policy."""
    policy = load_yaml(path)
    if "libraries" in policy:
        raise ValueError(f"{path.name}: `libraries` belongs in standards/libraries.yaml (the library registry)")
    return {**policy, "libraries": registry_libraries()}


def registry_libraries() -> dict[str, list[dict]]:
    """The registry's libraries per layer as the catalog reads them (id, item, name_zh, name_en, theme)."""
    from standards import libraries

    return {layer: [{"id": lib.id, "item": lib.item, "name_zh": lib.name_zh, "name_en": lib.name_en,
                     "theme": lib.dcat_theme} for lib in libraries.libraries(layer)] for layer in libraries.LAYERS}


# --- standards --------------------------------------------------------------------------------

def load_elements() -> dict[str, dict]:
    """Data elements by id as dicts {id, name_zh, name_en, type, length, pii, authoritative},
    from the standards registry (the one source of truth)."""
    from standards.registry import elements

    keys = ("id", "name_zh", "name_en", "type", "length", "pii", "authoritative")
    return {e.id: {k: getattr(e, k) for k in keys} for e in elements().values()}


@cache
def codeset(name: str) -> dict[str, dict]:
    """A standards code set by code."""
    from standards.codesets import codeset as rows

    return {row["code"]: row for row in rows(name)}


# --- dbt manifest -----------------------------------------------------------------------------

@dataclass
class Column:
    name: str
    description: str = ""
    data_type: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class Model:
    unique_id: str
    schema: str
    name: str               # the relation name in the lake (alias or model name)
    description: str = ""
    meta: dict = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    columns: list[Column] = field(default_factory=list)
    feeds: tuple[str, ...] = ()          # raw feeds it is built from (transitively)
    upstream: tuple[str, ...] = ()       # library models it reads (transitively, nearest)
    downstream: tuple[str, ...] = ()     # library models that read it (direct or via intermediates)

    @property
    def key(self) -> str:
        return f"{self.schema}.{self.name}"


def split_bilingual(text: str | None) -> tuple[str, str]:
    """("中文", "English") from a bilingual description like "English / 中文", "中文 English" or the
    models' "中文标签 English … / 中文标签：中文…" (the label leads the Chinese; no Chinese in the English)."""
    text = (text or "").strip()
    if not text:
        return "", ""
    for sep in (" / ", " | ", "／"):
        if sep in text:
            parts = [p.strip() for p in text.split(sep) if p.strip()]
            zh = " ".join(p for p in parts if _CJK.search(p))
            en = " ".join(p for p in parts if not _CJK.search(p))
            if zh and en:
                return zh, en
            lead = _LABELLED.match(parts[0])
            if lead and len(parts) == 2:
                label, en = lead.group(1).strip(" ：:—-"), lead.group(2).strip()
                return (parts[1] if parts[1].startswith(label) else f"{label}：{parts[1]}"), en
    if _CJK.search(text):
        m = _LABELLED.match(text)
        if m:
            return m.group(1).strip(" ：:—-"), m.group(2).strip()
        return text, ""
    return "", text


def _comment_description(raw_code: str | None) -> str:
    """The leading `-- ...` comment of a model's SQL, used when the model has no description."""
    lines = []
    for line in (raw_code or "").splitlines():
        t = line.strip()
        if not t or t.startswith("{{") or t.startswith("{%"):
            if lines:
                break
            continue
        if not t.startswith("--"):
            break
        lines.append(t.lstrip("-").strip())
    return " ".join(lines)


def _node_meta(node: dict) -> dict:
    return {**(node.get("config") or {}).get("meta", {}), **(node.get("meta") or {})}


class _Lineage:
    """Which feeds and which other libraries each library model of a manifest is built from."""

    def __init__(self, manifest: dict, schemas: tuple[str, ...]) -> None:
        self.nodes: dict = manifest.get("nodes", {}) or {}
        self.sources: dict = manifest.get("sources", {}) or {}
        self.lib = {uid for uid, n in self.nodes.items()
                    if n.get("resource_type") == "model" and n.get("schema") in schemas}
        self.direct_feeds = cache(self._direct_feeds)
        self.feeds_of = cache(self._feeds_of)
        self.nearest_libs = cache(self._nearest_libs)

    def parents(self, uid: str) -> list[str]:
        node = self.nodes.get(uid) or {}
        return list((node.get("depends_on") or {}).get("nodes") or [])

    def _direct_feeds(self, uid: str) -> frozenset[str]:
        """Feeds reached through staging/intermediate models, stopping at library models."""
        out: set[str] = set()
        for p in self.parents(uid):
            if p.startswith("source."):
                out.add((self.sources.get(p) or {}).get("name") or p.split(".")[-1])
            elif p in self.nodes and p not in self.lib:
                out |= self.direct_feeds(p)
        return frozenset(out)

    def _feeds_of(self, uid: str) -> frozenset[str]:
        """A library model's own feeds; a model built only from other libraries inherits theirs."""
        own = self.direct_feeds(uid)
        if own:
            return own
        return frozenset().union(*(self.feeds_of(up) for up in self.nearest_libs(uid)))

    def _nearest_libs(self, uid: str) -> frozenset[str]:
        out: set[str] = set()
        for p in self.parents(uid):
            if p in self.lib:
                out.add(p)
            elif p in self.nodes:
                out |= self.nearest_libs(p)
        return frozenset(out)

    def relation(self, uid: str) -> tuple[str, str]:
        n = self.nodes[uid]
        return n["schema"], n.get("alias") or n["name"]


def manifest_models(manifest: dict, schemas: tuple[str, ...] = libraries.LAYERS) -> list[Model]:
    """Library models of a dbt manifest (resource_type model, schema in `schemas`) with lineage."""
    g = _Lineage(manifest, schemas)
    down: dict[str, set[str]] = {uid: set() for uid in g.lib}
    for uid in g.lib:
        for up in g.nearest_libs(uid):
            down[up].add(uid)
    models = []
    for uid in sorted(g.lib, key=g.relation):
        n = g.nodes[uid]
        schema, name = g.relation(uid)
        cols = [Column(name=c.get("name") or k, description=c.get("description") or "",
                       data_type=c.get("data_type"), meta=dict(c.get("meta") or {}))
                for k, c in (n.get("columns") or {}).items()]
        models.append(Model(
            unique_id=uid, schema=schema, name=name,
            description=n.get("description") or _comment_description(n.get("raw_code")),
            meta=_node_meta(n), tags=tuple(n.get("tags") or ()), columns=cols,
            feeds=tuple(sorted(g.feeds_of(uid))),
            upstream=tuple(sorted(".".join(g.relation(u)) for u in g.nearest_libs(uid))),
            downstream=tuple(sorted(".".join(g.relation(u)) for u in down[uid])),
        ))
    return models

