"""Generate the government information resource catalog (政务信息资源目录, GB/T 21063).

One entry per library table in the lake (schemas base, theme, indicator), built from
  - the dbt manifest (models, columns, bilingual descriptions, lineage to the feeds),
  - the standards (data elements: type, length, pii class; code sets),
  - the feed registry (provider departments, provider codes, update cycles),
under the rules of catalogs/policy.yml. Sharing and open types are decided per data
item and rolled up to the resource. Stored in the lake as catalog.entries,
catalog.items and catalog.history (what changed since the previous generation).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date as Date
from pathlib import Path

from catalogs import codes as codes_mod
from catalogs import sqlfiles
from catalogs.sources import (
    Model,
    codeset,
    load_elements,
    load_policy,
    manifest_models,
    split_bilingual,
)
from citylake.core.paths import Home

SHARE_ORDER = ("unconditional", "conditional", "not_shared")
OPEN_ORDER = ("unconditional", "conditional", "not_open")
AGGREGATE_NAME = re.compile(r"(^|_)(daily|weekly|monthly|yearly|stats|summary|agg|counts?|by_[a-z_]+)(_|$)")


@dataclass
class Item:
    resource_code: str
    position: int
    column_name: str
    name_zh: str
    name_en: str
    data_type: str
    data_length: int | None
    element: str | None
    pii: str
    share_type: str
    share_condition: str
    open_type: str
    mask: str | None
    rules: str


@dataclass
class Entry:
    resource_code: str
    model: str
    schema_name: str
    table_name: str
    library: str
    class_code: str
    item_code: str
    category_code: str
    subcategory_code: str
    name_zh: str
    name_en: str
    provider_id: str
    provider_zh: str
    provider_en: str
    provider_code: str
    summary_zh: str
    summary_en: str
    format: str
    share_type: str
    share_condition: str
    share_method: str
    open_type: str
    open_condition: str
    update_cycle: str
    published_on: Date
    related_codes: list[str]
    source_feeds: list[str]
    departments: list[str]
    aggregated: bool
    row_count: int | None
    generated_on: Date
    items: list[Item] = field(default_factory=list, repr=False)


@dataclass
class Catalog:
    date: str
    entries: list[Entry]
    missing_libraries: list[str] = field(default_factory=list)
    changes: int = 0

    @property
    def items(self) -> list[Item]:
        return [i for e in self.entries for i in e.items]

    def entry(self, key: str) -> Entry:
        """An entry by resource code or model key (schema.table)."""
        for e in self.entries:
            if key in (e.resource_code, e.model):
                return e
        raise KeyError(f"no catalog entry {key!r}")

    def counts(self) -> dict:
        out: dict = {"entries": len(self.entries), "items": len(self.items), "changes": self.changes}
        for kind, attr in (("share", "share_type"), ("open", "open_type")):
            c: dict[str, int] = {}
            for e in self.entries:
                c[getattr(e, attr)] = c.get(getattr(e, attr), 0) + 1
            out[f"by_{kind}_type"] = dict(sorted(c.items()))
        return out


# --- rules ------------------------------------------------------------------------------------

def _matches(when: dict, ctx: dict) -> bool:
    for key, want in (when or {}).items():
        have = ctx.get(key)
        if key == "aggregated":
            if bool(have) != bool(want):
                return False
        elif key == "feed_sharing":
            if not set(have or ()) & set(want):
                return False
        elif have not in want:
            return False
    return True


def decide(ctx: dict, policy: dict) -> tuple[str, str, list[str]]:
    """(share_type, open_type, rule names) of one data item under the policy."""
    share, open_, rules = "unconditional", "unconditional", []
    for rule in policy.get("defaults", []):
        if _matches(rule.get("when"), ctx):
            share, open_ = rule["share"], rule["open"]
            rules.append(rule["name"])
            break
    for rule in policy.get("restrictions", []):
        if _matches(rule.get("when"), ctx):
            share = max(share, rule["share"], key=SHARE_ORDER.index)
            open_ = max(open_, rule["open"], key=OPEN_ORDER.index)
            rules.append(rule["name"])
    return share, open_, rules


def roll_up(types: list[str], order: tuple[str, ...]) -> str:
    """Resource-level type from its items: all first → first, all last → last, otherwise the middle one."""
    if not types or all(t == order[-1] for t in types):
        return order[-1]
    if all(t == order[0] for t in types):
        return order[0]
    return order[1]


def _duck_type(t: str | None) -> str | None:
    if not t:
        return None
    t = t.upper()
    if t.startswith(("VARCHAR", "TEXT", "STRING", "CHAR", "UUID", "ENUM")):
        return "string"
    if t in ("BIGINT", "INTEGER", "INT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
             "USMALLINT", "UTINYINT", "INT8", "INT4", "INT2"):
        return "integer"
    if t.startswith(("DECIMAL", "NUMERIC", "DOUBLE", "FLOAT", "REAL")):
        return "decimal"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP") or t == "DATETIME":
        return "timestamp"
    if t in ("BOOLEAN", "BOOL"):
        return "boolean"
    if t.startswith(("GEOMETRY", "BLOB", "WKB")):
        return "geometry"
    return "string"


def _pii_from_name(column: str, policy: dict) -> str:
    for pii, patterns in (policy.get("pii_name_patterns") or {}).items():
        if any(re.search(p, column) for p in patterns):
            return pii
    return "none"


def _library(m: Model, policy: dict) -> tuple[str, dict | None]:
    if m.schema == "indicator":
        lib = policy["libraries"]["indicator"][0]
        return lib["id"], lib
    libs = policy["libraries"].get(m.schema, [])
    wanted = m.meta.get("library")
    for lib in libs:
        if lib["id"] == wanted:
            return lib["id"], lib
    best = None
    for lib in libs:
        if m.name == lib["id"] or m.name.startswith(lib["id"] + "_"):
            if best is None or len(lib["id"]) > len(best["id"]):
                best = lib
    return (best["id"], best) if best else (m.name, None)


def _aggregated(m: Model) -> bool:
    if "aggregated" in m.meta:
        return bool(m.meta["aggregated"])
    if "aggregated" in m.tags or m.schema == "indicator":
        return True
    return bool(AGGREGATE_NAME.search(m.name))


def _first_clause(text: str) -> str:
    return re.split(r"[：:。；;,，]|\.\s|\s[—-]\s", text, maxsplit=1)[0].strip()


def _titles(m: Model, lib: dict | None, desc_zh: str, desc_en: str) -> tuple[str, str]:
    """(Chinese, English) title of a resource. The model's meta names win; a library's own table takes
    the library's names; a sub-table of a library (``<library>__<detail>``, or any other table of it)
    is "<label>" or "<library>·<detail>" in Chinese and "<library>: <Detail>" in English — a title,
    never the first words of a description."""
    if lib is None:
        zh, en = _first_clause(desc_zh) or m.name, _first_clause(desc_en) or m.name
    elif m.name == lib["id"]:
        zh, en = lib["name_zh"], lib["name_en"]
    else:
        suffix = m.name[len(lib["id"]):].strip("_") if m.name.startswith(lib["id"] + "_") else m.name
        zh = _first_clause(desc_zh) or lib["name_zh"]
        if zh == lib["name_zh"]:  # the label names only the library: add the detail
            detail = re.sub(r"[（(].*?[）)]", "", _first_clause(desc_zh[len(zh):].lstrip(" ：:"))).strip()
            zh = f"{zh}·{detail or suffix}"
        en = f"{lib['name_en']}: {suffix.replace('_', ' ').capitalize()}"
    return m.meta.get("name_zh") or zh, m.meta.get("name_en") or en


def _cycle(feeds: list, policy: dict) -> str:
    order = policy["cycle_order"]
    batch = order.index(policy["batch_cycle"])
    known = [order.index(f.update_cycle) for f in feeds if f.update_cycle in order]
    return order[max(min(known), batch)] if known else order[batch]


# --- building ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Refs:
    """What deciding an entry reads besides its model: the registries and the policy."""

    elements: dict[str, dict]
    feeds: dict
    departments: dict
    policy: dict
    data_types: dict


def _resource_codes(models: list[Model], policy: dict, codes_file: Path) -> tuple[dict, dict]:
    """(library of each model, resource code of each model); known models keep their codes."""
    cc = policy["codes"]
    libs, prefixes = {}, {}
    for m in models:
        lib_id, lib = _library(m, policy)
        libs[m.key] = (lib_id, lib)
        prefixes[m.key] = (cc["classes"][m.schema] + (lib["item"] if lib else cc["unknown_item"])
                           + cc["category"]["aggregate" if _aggregated(m) else "record"] + cc["subcategory"])
    return libs, codes_mod.assign(prefixes, codes_file)


def _item_type(el: dict, duck_type: str | None, described_type: str | None, refs: _Refs) -> tuple[str, int | None]:
    """The item's GB/T 21063 data type and length: the element's, else from the column's type."""
    dtype = el.get("type") or _duck_type(duck_type) or _duck_type(described_type) or "string"
    if dtype not in refs.data_types:
        dtype = "string"
    length = el.get("length")
    if length is None:
        dm = re.match(r"DECIMAL\((\d+)", (duck_type or "").upper())
        length = int(dm.group(1)) if dm else (refs.policy["type_lengths"].get(dtype) or None)
    return dtype, int(length) if length else None


def _item(m: Model, lib_id: str, code: str, pos: int, col: str, duck_type: str | None, m_feeds: list,
          refs: _Refs) -> Item:
    """One data item (信息项) of an entry: its element, personal-data class, sharing and masking."""
    policy = refs.policy
    described = next((c for c in m.columns if c.name == col), None)
    meta = described.meta if described else {}
    el_id = meta.get("element") or (col if col in refs.elements else None)
    if el_id is None:
        el_id = next((f.field(col).element for f in m_feeds if col in f.columns), None)
    el = refs.elements.get(el_id or "", {})
    pii = str(meta.get("pii") or el.get("pii") or "none")
    if pii == "none" and not el:
        pii = _pii_from_name(col, policy)
    ctx = {"schema": m.schema, "library": lib_id, "aggregated": _aggregated(m), "pii": pii,
           "feed_sharing": {f.sharing for f in m_feeds if f.sharing and col in f.columns}}
    share, open_, rules = decide(ctx, policy)
    dtype, length = _item_type(el, duck_type, described.data_type if described else None, refs)
    desc_zh, desc_en = split_bilingual(described.description if described else "")
    mask = None
    if pii != "none":
        mask = (policy.get("masking") or {}).get(pii, "drop")
    elif (el_id or col) in (policy.get("scrub_elements") or []):
        mask = "cat_scrub_text"
    cond = policy["conditions"]["share"][share]
    if mask and share != "not_shared":
        cond = (cond + f"；脱敏规则 masking: {mask}").lstrip("；")
    return Item(
        resource_code=code, position=pos, column_name=col,
        name_zh=meta.get("name_zh") or el.get("name_zh") or _first_clause(desc_zh) or col,
        name_en=meta.get("name_en") or el.get("name_en") or _first_clause(desc_en) or col.replace("_", " "),
        data_type=dtype, data_length=length, element=el_id, pii=pii,
        share_type=share, share_condition=cond, open_type=open_, mask=mask, rules="; ".join(rules))


def _conditions(items: list[Item], policy: dict) -> tuple[str, str, str, str]:
    """(share type, share condition, open type, open condition) of an entry, rolled up from its items."""
    share_type = roll_up([i.share_type for i in items], SHARE_ORDER)
    open_type = roll_up([i.open_type for i in items], OPEN_ORDER)
    share_cond = policy["conditions"]["share"][share_type]
    if share_type == "conditional":
        restricted = [i.column_name for i in items if i.share_type != "unconditional"]
        share_cond += "；有条件/不予共享数据项 restricted items: " + ", ".join(restricted)
    open_cond = policy["conditions"]["open"][open_type]
    if open_type == "conditional":
        open_cond += "；开放数据项 open items: " + ", ".join(
            i.column_name for i in items if i.open_type == "unconditional")
    return share_type, share_cond, open_type, open_cond


def _entry(m: Model, lib_id: str, lib: dict | None, code: str, items: list[Item], m_feeds: list, refs: _Refs,
           night: Date, published_on: Date, row_count: int | None) -> Entry:
    """The catalog entry (目录) of one model: names, provider, sources, conditions."""
    policy, departments = refs.policy, refs.departments
    dept_ids = sorted({f.department.id for f in m_feeds})
    provider_id = m.meta.get("provider") or (dept_ids[0] if len(dept_ids) == 1 else policy["platform_department"])
    provider = departments.get(provider_id)
    share_type, share_cond, open_type, open_cond = _conditions(items, policy)
    desc_zh, desc_en = split_bilingual(m.description)
    desc_zh = m.meta.get("description_zh") or desc_zh
    desc_en = m.meta.get("description_en") or desc_en
    name_zh, name_en = _titles(m, lib, desc_zh, desc_en)
    src_zh = "、".join(departments[d].name_zh for d in dept_ids if d in departments)
    src_en = ", ".join(departments[d].name_en for d in dept_ids if d in departments)
    return Entry(
        resource_code=code, model=m.key, schema_name=m.schema, table_name=m.name, library=lib_id,
        class_code=code[0], item_code=code[1:3], category_code=code[3:6], subcategory_code=code[6:9],
        name_zh=name_zh, name_en=name_en, provider_id=provider_id,
        provider_zh=provider.name_zh if provider else provider_id,
        provider_en=provider.name_en if provider else provider_id,
        provider_code=provider.code if provider else "",
        summary_zh=(desc_zh or name_zh) + (f"（数据来源：{src_zh}）" if src_zh else ""),
        summary_en=(desc_en or name_en) + (f" (sources: {src_en})" if src_en else ""),
        format=policy["publication"]["format"], share_type=share_type, share_condition=share_cond,
        share_method=policy["conditions"]["share_method_conditional" if share_type == "conditional"
                                          else "share_method"] if share_type != "not_shared" else "",
        open_type=open_type, open_condition=open_cond,
        update_cycle=m.meta.get("update_cycle") or _cycle(m_feeds, policy),
        published_on=published_on, related_codes=[], source_feeds=list(m.feeds), departments=dept_ids,
        aggregated=_aggregated(m), row_count=row_count, generated_on=night, items=items)


def build(models: list[Model], *, date: str, elements: dict[str, dict], feeds: dict, departments: dict,
          policy: dict, codes_file: Path, lake_columns: dict[str, list[tuple[str, str]]] | None = None,
          row_counts: dict[str, int] | None = None, previous: dict[str, Date] | None = None) -> Catalog:
    """Catalog entries for `models` (pure: no lake access; codes are assigned in `codes_file`)."""
    lake_columns, row_counts, previous = lake_columns or {}, row_counts or {}, previous or {}
    night = Date.fromisoformat(date)
    refs = _Refs(elements, feeds, departments, policy, codeset("data_type"))
    libs, code_of = _resource_codes(models, policy, codes_file)
    entries: list[Entry] = []
    present_libs: set[tuple[str, str]] = set()
    for m in models:
        lib_id, lib = libs[m.key]
        if lib:
            present_libs.add((m.schema, lib_id))
        code = code_of[m.key]
        m_feeds = [feeds[f] for f in m.feeds if f in feeds]
        # data items: the lake's columns when the table exists (what really leaves), else the manifest's
        cols = lake_columns[m.key] if m.key in lake_columns else [(c.name, c.data_type) for c in m.columns]
        items = [_item(m, lib_id, code, pos, col, duck_type, m_feeds, refs)
                 for pos, (col, duck_type) in enumerate((c for c in cols if not c[0].startswith("_")), start=1)]
        entries.append(_entry(m, lib_id, lib, code, items, m_feeds, refs, night, previous.get(code, night),
                              row_counts.get(m.key)))
    by_key = {e.model: e.resource_code for e in entries}
    for e, m in zip(entries, models, strict=True):
        e.related_codes = sorted({by_key[k] for k in (*m.upstream, *m.downstream) if k in by_key})
    missing = [f"{schema}.{lib['id']}" for schema in ("base", "theme", "indicator")
               for lib in policy["libraries"][schema] if (schema, lib["id"]) not in present_libs]
    return Catalog(date=date, entries=entries, missing_libraries=missing)


# --- storing ----------------------------------------------------------------------------------

def _entries_arrow(entries: list[Entry]):
    import pyarrow as pa

    rows = []
    for e in entries:
        d = asdict(e)
        d.pop("items")
        rows.append(d)
    return pa.Table.from_pylist(rows) if rows else None


def _items_arrow(items: list[Item]):
    import pyarrow as pa

    return pa.Table.from_pylist([asdict(i) for i in items]) if items else None


def ensure_schema(conn) -> None:
    conn.execute(sqlfiles.load("catalog_ddl.sql"))


def read_lake_state(conn, models: list[Model]) -> tuple[dict, dict, dict]:
    """(lake columns by model key, row counts by model key, publication dates by resource code)."""
    cols: dict[str, list[tuple[str, str]]] = {}
    for schema, table, col, dtype, _ in conn.execute(sqlfiles.load("lake_tables.sql")).fetchall():
        cols.setdefault(f"{schema}.{table}", []).append((col, dtype))
    present = [m for m in models if m.key in cols]
    counts = {}
    if present:
        counts = dict(conn.execute(sqlfiles.render("row_counts.sql.j2", tables=present)).fetchall())
    previous = {code: pub for code, _, pub in conn.execute(sqlfiles.load("previous_entries.sql")).fetchall()}
    return cols, counts, previous


def store(conn, catalog: Catalog) -> int:
    """Write tonight's catalog, appending what changed to catalog.history. Returns the number of changes."""
    ensure_schema(conn)
    import pyarrow as pa

    new_entries = _entries_arrow(catalog.entries)
    new_items = _items_arrow(catalog.items)
    conn.execute("begin transaction")
    try:
        conn.register("new_entries_arrow", new_entries if new_entries is not None
                      else pa.table({"resource_code": pa.array([], pa.string())}))
        conn.register("new_items_arrow", new_items if new_items is not None
                      else pa.table({"resource_code": pa.array([], pa.string())}))
        conn.execute(sqlfiles.load("stage_new.sql"))
        before = conn.execute("select count(*) from catalog.history").fetchone()[0]
        conn.execute(sqlfiles.load("catalog_diff.sql"), {"night": catalog.date})
        changes = conn.execute("select count(*) from catalog.history").fetchone()[0] - before
        conn.execute(sqlfiles.load("catalog_replace.sql"))
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return changes


def generate(date: str, *, h: Home, manifest: dict | None = None,
             elements: dict[str, dict] | None = None, feeds: dict | None = None, policy: dict | None = None,
             codes_file: Path | None = None, conn=None, write: bool = True) -> Catalog:
    """Generate tonight's catalog from the manifest, the standards and the feed registry; store it in the lake.

    Opens its own lake connection unless `conn` is given (the lake takes one writer at a time).
    """
    from ingest import registry
    policy = policy or load_policy()
    manifest = manifest if manifest is not None else h.dbt_manifest()
    models = manifest_models(manifest)
    elements = elements if elements is not None else load_elements()
    feeds = feeds if feeds is not None else registry.load()
    departments = {f.department.id: f.department for f in feeds.values()}

    own = conn is None
    if own:
        from citylake.core.db import connect

        conn = connect(h=h)
    try:
        ensure_schema(conn)
        cols, counts, previous = read_lake_state(conn, models)
        # entries for what the platform really holds: a model without a table in the lake
        # (never built, or excluded since its first night) is listed as missing, not catalogued
        models = [m for m in models if m.key in cols]
        catalog = build(models, date=date, elements=elements, feeds=feeds, departments=departments,
                        policy=policy, codes_file=codes_file or codes_mod.CODES_FILE, lake_columns=cols,
                        row_counts=counts, previous=previous)
        if write:
            catalog.changes = store(conn, catalog)
        return catalog
    finally:
        if own:
            conn.close()


def load_catalog(conn) -> Catalog:
    """The catalog as stored in the lake (entries with their items); empty when there is none yet."""
    if not conn.execute(sqlfiles.load("table_exists.sql"), {"schema": "catalog", "table": "entries"}).fetchone()[0]:
        return Catalog(date="", entries=[])
    e_rel = conn.execute("select * from catalog.entries order by resource_code")
    e_cols = [d[0] for d in e_rel.description]
    entries = [Entry(**dict(zip(e_cols, r, strict=True))) for r in e_rel.fetchall()]
    i_rel = conn.execute("select * from catalog.items order by resource_code, position")
    i_cols = [d[0] for d in i_rel.description]
    by_code = {e.resource_code: e for e in entries}
    for r in i_rel.fetchall():
        it = Item(**dict(zip(i_cols, r, strict=True)))
        if it.resource_code in by_code:
            by_code[it.resource_code].items.append(it)
    night = max((e.generated_on for e in entries), default=None)
    return Catalog(date=str(night) if night else "", entries=entries)
