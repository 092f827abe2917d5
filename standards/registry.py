"""The data element registry (数据元): load and check ``standards/elements/*.yaml``.

* ``elements()`` — all elements by id (``Element`` dataclasses), ``element(id)``.
* ``authoritative_for(id)`` — the element's authoritative sources (一数一源): the primary
  ``Source(department, feed, field)`` first, then scoped extra sources for disjoint subject
  populations (e.g. social organisations registered by civil affairs, not by market regulation).
* ``pii_columns(feed_id)`` — columns of a feed (or all feeds) that carry personal information.
* ``check()`` — consistency problems (unknown code sets, validators, PII classes; authoritative
  feed/field missing from the feed registry; feed fields referencing unknown elements).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from citylake.core.errors import UnknownName
from citylake.core.yamlio import load_yaml
from standards import codesets

ELEMENTS_DIR = Path(__file__).with_name("elements")
TYPES = ("string", "integer", "decimal", "date", "timestamp", "boolean", "geometry")
KEYS = {"id", "name_zh", "name_en", "type", "length", "format", "codeset", "validator", "normaliser", "pii",
        "description_en", "description_zh", "authoritative", "also_authoritative", "derived_from"}
REQUIRED = {"id", "name_zh", "name_en", "type", "length", "pii", "description_en", "description_zh", "authoritative"}


class ElementError(UnknownName):
    """Unknown element or malformed registry file."""


@dataclass(frozen=True)
class Source:
    """An authoritative source: department, feed id, and the feed field (landed column name)."""

    department: str
    feed: str
    field: str
    scope: str | None = None

    def __str__(self) -> str:
        return f"{self.department}/{self.feed}.{self.field}"


@dataclass(frozen=True)
class Element:
    id: str
    name_zh: str
    name_en: str
    type: str
    length: int | None
    pii: str
    description_en: str
    description_zh: str
    domain: str
    authoritative: Source | None
    also_authoritative: tuple[Source, ...] = ()
    format: str | None = None
    codeset: str | None = None
    validator: str | None = None
    normaliser: str | None = None
    derived_from: str | None = None
    file: str = field(default="", compare=False)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every authoritative source (primary first); empty for generic elements."""
        return ((self.authoritative,) if self.authoritative else ()) + self.also_authoritative

    @property
    def authoritative_feeds(self) -> frozenset[str]:
        return frozenset(s.feed for s in self.sources)


def _source(d: dict | None, where: str) -> Source | None:
    if d is None:
        return None
    try:
        return Source(department=d["department"], feed=d["feed"], field=d["field"], scope=d.get("scope"))
    except (KeyError, TypeError) as e:
        raise ElementError(f"{where}: authoritative needs department, feed, field ({e})") from e


def load_dir(elements_dir: Path) -> dict[str, Element]:
    out: dict[str, Element] = {}
    for path in sorted(elements_dir.glob("*.yaml")):
        doc = load_yaml(path)
        domain = doc.get("domain", path.stem)
        for raw in doc["elements"]:
            where = f"{path.name}: element {raw.get('id')!r}"
            unknown = set(raw) - KEYS
            missing = REQUIRED - set(raw)
            if unknown or missing:
                raise ElementError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
            if raw["id"] in out:
                raise ElementError(f"{where}: declared twice")
            el = Element(
                id=raw["id"], name_zh=raw["name_zh"], name_en=raw["name_en"], type=raw["type"],
                length=raw["length"], pii=raw["pii"], description_en=raw["description_en"],
                description_zh=raw["description_zh"], domain=domain,
                authoritative=_source(raw["authoritative"], where),
                also_authoritative=tuple(_source(s, where) for s in raw.get("also_authoritative") or ()),  # type: ignore[misc]
                format=raw.get("format"), codeset=raw.get("codeset"), validator=raw.get("validator"),
                normaliser=raw.get("normaliser"), derived_from=raw.get("derived_from"), file=path.name,
            )
            out[el.id] = el
    return out


@cache
def elements() -> dict[str, Element]:
    """All data elements by id."""
    return load_dir(ELEMENTS_DIR)


def element(element_id: str) -> Element:
    els = elements()
    if element_id not in els:
        raise ElementError(f"unknown data element {element_id!r}")
    return els[element_id]


def authoritative_for(element_id: str) -> tuple[Source, ...]:
    """Authoritative sources of an element (primary first); () for generic elements.

    A derived element (``derived_from``) also accepts the scoped sources of the element it is
    derived from (e.g. county_code from the township_code of a market entity's registration).
    """
    el = element(element_id)
    sources = el.sources
    if el.derived_from and sources:
        for src in authoritative_for(el.derived_from):
            if src not in sources:
                sources += (src,)
    return sources


def pii_columns(feed_id: str | None = None) -> dict[str, dict[str, str]]:
    """{feed_id: {column: pii class}} for feed fields whose element carries personal information."""
    from ingest import registry as feeds

    els = elements()
    out: dict[str, dict[str, str]] = {}
    for f in feeds.load().values():
        if feed_id is not None and f.id != feed_id:
            continue
        cols = {x.name: els[x.element].pii for x in f.fields
                if x.element in els and els[x.element].pii != "none"}
        if cols:
            out[f.id] = cols
    return out


def check(els: dict[str, Element] | None = None, feeds: dict | None = None) -> list[str]:
    """Consistency problems of the registry (empty list when consistent)."""
    from ingest import registry as feed_registry
    from standards.validators import MIRRORS

    els = elements() if els is None else els
    feeds = feed_registry.load() if feeds is None else feeds
    known_sets = set(codesets.names())
    pii_classes = codesets.codes("pii_class")
    problems: list[str] = []
    for el in els.values():
        where = f"{el.file}: element {el.id}"
        if el.type not in TYPES:
            problems.append(f"{where}: type {el.type!r} not in {TYPES}")
        if el.codeset and el.codeset not in known_sets:
            problems.append(f"{where}: unknown code set {el.codeset!r}")
        for kind, name in (("validator", el.validator), ("normaliser", el.normaliser)):
            if name and name not in MIRRORS:
                problems.append(f"{where}: unknown {kind} macro {name!r}")
        if el.pii not in pii_classes:
            problems.append(f"{where}: pii {el.pii!r} not in code set pii_class")
        if el.derived_from and el.derived_from not in els:
            problems.append(f"{where}: derived_from unknown element {el.derived_from!r}")
        for src in el.sources:
            f = feeds.get(src.feed)
            if f is None:
                problems.append(f"{where}: authoritative feed {src.feed!r} is not in the feed registry")
                continue
            if f.department.id != src.department:
                problems.append(f"{where}: feed {src.feed} belongs to {f.department.id}, not {src.department}")
            names = {x.name: x for x in f.fields}
            if src.field not in names:
                problems.append(f"{where}: feed {src.feed} has no field {src.field!r}")
            elif not el.derived_from and names[src.field].element != el.id:
                problems.append(f"{where}: {src} carries element {names[src.field].element!r}, not {el.id!r}")
    for f in feeds.values():
        for x in f.fields:
            if x.element and x.element not in els:
                problems.append(f"feed {f.id}: field {x.name} references unknown element {x.element!r}")
    return problems
