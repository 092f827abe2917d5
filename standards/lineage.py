"""一数一源 at build time: prove that every base-library column comes from its element's authoritative feed.

Input is a dbt ``manifest.json`` (``target/manifest.json`` after ``dbt compile`` / ``dbt build``).
For every model of the ``base`` schema, each output column is traced with sqlglot's column
lineage (dialect duckdb) through upstream models down to dbt sources. A dbt source table is a
feed (source ``raw``, table = feed id) and a source column is the feed field (landed column name).

A column carries a data element when its name is an element id or when the model yml declares
``meta: {element: <id>}`` on it. Rules for such a column (generic elements without an
authoritative source are not checked):

* every leaf must come from one of the element's authoritative feeds (primary or scoped);
  a leaf from another feed is a violation naming the column, the offending source and the
  authoritative one;
* at least one leaf must come from an authoritative feed.

A column with ``meta: {element: id_number, reference: true}`` is a key referring to a subject of
another library (a licence holder's ID number, a credit record's USCC): it belongs to the record's
own department and is reported but not checked for source. A derived element (``derived_from``,
e.g. county_code) also accepts the scoped sources of the element it derives from.

Schemas for sqlglot come from the feed registry (sources) and from the manifest's documented
columns or ``catalog.json`` (models), so ``select *`` over sources expands correctly.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage as sqlglot_lineage
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

from citylake.core.paths import Home
from standards import registry

DIALECT = "duckdb"
SOURCE_NAME = "raw"
SYNTHETIC = "__sources__"
# columns every raw Parquet file has besides the feed's fields (docs/architecture.md), plus the
# hive partition column dt
RAW_BOOKKEEPING = ("_row", "_source_file", "_delivery_sha256", "_landed_at", "dt")


class LineageError(ValueError):
    """A column could not be traced (the message names model and column)."""


@dataclass(frozen=True)
class Leaf:
    """A column of a dbt source: feed id and field."""

    feed: str
    field: str

    def __str__(self) -> str:
        return f"{self.feed}.{self.field}"


@dataclass
class LineageRow:
    model: str
    column: str
    element: str | None
    authoritative: tuple[registry.Source, ...]
    leaves: list[Leaf] = field(default_factory=list)
    ok: bool = True
    message: str = ""

    @property
    def sources(self) -> list[str]:
        return [str(x) for x in self.leaves]

    @property
    def authoritative_text(self) -> str:
        if not self.authoritative:
            return ""
        return ", ".join(str(s) for s in self.authoritative)

    def as_dict(self) -> dict:
        return {"model": self.model, "column": self.column, "element": self.element,
                "authoritative_department": self.authoritative[0].department if self.authoritative else None,
                "authoritative_feed": self.authoritative[0].feed if self.authoritative else None,
                "sources": self.sources, "ok": self.ok, "message": self.message}


def keep_manifest(manifest: Path, h: Home) -> Path:
    """Copy `manifest` (and catalog.json beside it) to the home's kept lineage manifest; returns the copy."""
    kept = h.kept_lineage_manifest
    kept.parent.mkdir(parents=True, exist_ok=True)
    for src, dst in ((Path(manifest), kept), (Path(manifest).with_name("catalog.json"), kept.with_name("catalog.json"))):
        if src.exists():
            tmp = dst.with_suffix(".tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(dst)
    return kept


def manifest_path(h: Home, project_dir: Path | None = None, manifest: Path | None = None) -> Path:
    """The manifest to check: the given one; else the one the last night's lineage check kept
    (<home>/work/lineage); else <project-dir>/target (after your own `dbt compile`)."""
    if manifest is not None:
        return Path(manifest)
    if project_dir is None:
        from citylake.core.paths import DBT_PROJECT_DIR

        kept = h.kept_lineage_manifest
        if kept.exists():
            return kept
        project_dir = DBT_PROJECT_DIR
    return Path(project_dir) / "target" / "manifest.json"


def _key_of_relation_name(relation_name: str) -> str:
    """Normalised key of a dbt relation_name: '"db"."s"."t"' -> 'db.s.t'; table functions by their SQL."""
    try:
        node = sqlglot.parse_one(f"SELECT * FROM {relation_name}", read=DIALECT).find(exp.Table)
    except sqlglot.errors.ParseError:
        return relation_name.lower()
    return _key_of_table(node) if node is not None else relation_name.lower()


def _key_of_table(table: exp.Table) -> str:
    if isinstance(table.this, exp.Func):
        return table.this.sql(DIALECT).lower()
    return ".".join(p for p in (table.catalog, table.db, table.name) if p).lower()


class _Project:
    def __init__(self, manifest: dict, catalog: dict | None = None) -> None:
        self.nodes = {k: v for k, v in manifest["nodes"].items() if v.get("resource_type") == "model"}
        self.sources = manifest.get("sources", {})
        self.by_key: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, list[tuple[str, str]]] = {}
        self.schema: dict = {}
        self._roots: dict[str, dict] = {}                       # model -> {column: lineage Node}
        self._leaves: dict[tuple[str, str], list[Leaf]] = {}    # (model, column) -> source columns
        from ingest import registry as feeds

        feed_columns = {f.id: f.columns for f in feeds.load().values()}
        catalog_nodes = (catalog or {}).get("nodes", {}) | (catalog or {}).get("sources", {})
        self.functions: dict[str, str] = {}
        for uid, node in list(self.nodes.items()) + list(self.sources.items()):
            rel = node.get("relation_name")
            if not rel:
                continue
            kind = ("source", uid) if uid in self.sources else ("model", uid)
            key = _key_of_relation_name(rel)
            if "(" in key and uid in self.sources:
                # a source read through a table function (dbt-duckdb external_location, e.g. read_parquet):
                # give it a synthetic table name so sqlglot can know its columns
                synthetic = f"{SYNTHETIC}.{node['source_name']}.{node['name']}".lower()
                self.functions[key] = synthetic
                key = synthetic
            self.by_key[key] = kind
            self.by_name.setdefault(key.rsplit(".", 1)[-1], []).append(kind)
            cols = [c for c in node.get("columns", {})]
            if uid in catalog_nodes:
                cols = list(catalog_nodes[uid].get("columns", {}))
            if uid in self.sources and node.get("source_name") == SOURCE_NAME and node["name"] in feed_columns:
                cols = list(feed_columns[node["name"]]) + list(RAW_BOOKKEEPING)
            if cols and "(" not in key:
                parts = key.split(".")
                level = self.schema
                for p in parts[:-1]:
                    level = level.setdefault(p, {})
                level[parts[-1]] = {c.lower(): "VARCHAR" for c in cols}
        # the code-set lookup behind the cl_ macros and standard_code() (standards/lookups.sql):
        # a reference table, not a feed, so it is never a lineage leaf that could violate 一数一源
        self.schema.setdefault("temp", {}).setdefault("main", {})["cl_codes"] = {
            c: "VARCHAR" for c in ("codeset", "code", "name_zh", "parent")}
        # sqlglot needs every table at the same depth
        depths = {len(k.split(".")) for k in self.by_key if "(" not in k}
        if len(depths) > 1:
            self.schema = {}
        else:
            self._model_columns_done: set[str] = set()
            for uid in self.nodes:
                self._ensure_columns(uid)

    def _ensure_columns(self, uid: str, stack: frozenset = frozenset()) -> None:
        """Add a model's output columns to the schema, upstream models first (so `select *` expands)."""
        if uid in self._model_columns_done or uid in stack or uid not in self.nodes:
            return
        node = self.nodes[uid]
        for dep in (node.get("depends_on") or {}).get("nodes", []):
            self._ensure_columns(dep, stack | {uid})
        self._model_columns_done.add(uid)
        key = _key_of_relation_name(node.get("relation_name") or "")
        if "(" in key or not (node.get("compiled_code") or node.get("compiled_sql")):
            return
        cols = _output_columns(self.sql(node), node, self.schema)
        parts = key.split(".")
        level = self.schema
        for p in parts[:-1]:
            level = level.setdefault(p, {})
        level[parts[-1]] = {c.lower(): "VARCHAR" for c in cols}

    def sql(self, node: dict) -> exp.Expression:
        """Compiled SQL of a model, table-function sources replaced by their synthetic names."""
        sql = node.get("compiled_code") or node.get("compiled_sql")
        if not sql:
            raise LineageError(f"model {node['name']} has no compiled SQL: run `dbt compile` first")
        tree = sqlglot.parse_one(sql, read=DIALECT)
        if self.functions:
            for table in list(tree.find_all(exp.Table)):
                key = _key_of_table(table)
                if key in self.functions:
                    catalog, db, name = self.functions[key].split(".")
                    alias = table.alias or name
                    table.replace(exp.table_(name, db=db, catalog=catalog, alias=alias))
        return tree

    def resolve(self, table: exp.Table) -> tuple[str, str] | None:
        key = _key_of_table(table)
        if key in self.by_key:
            return self.by_key[key]
        for k, v in self.by_key.items():
            if k.endswith("." + key) or key.endswith("." + k):
                return v
        cands = self.by_name.get(key.rsplit(".", 1)[-1], [])
        return cands[0] if len(cands) == 1 else None

    def leaves(self, uid: str, column: str, seen: frozenset = frozenset()) -> list[Leaf]:
        """Source columns a model column is computed from (recursively through upstream models)."""
        if (uid, column) in seen:
            return []
        seen = seen | {(uid, column)}
        if (uid, column) in self._leaves:
            return self._leaves[(uid, column)]
        root = self._column_node(uid, column)
        out: list[Leaf] = []
        stack = [(root, column)]
        found: list[tuple[object, str]] = []
        while stack:
            n, named = stack.pop()
            col = n.name.rsplit(".", 1)[-1]
            if col != "*":
                named = col  # an unexpanded `*` passes the last named column through
            if n.downstream:
                stack.extend((d, named) for d in n.downstream)
            elif isinstance(n.expression, exp.Table):
                found.append((n, named))
        for n, col in found:
            target = self.resolve(n.expression)
            if target is None:
                continue
            kind, tuid = target
            if kind == "source":
                src = self.sources[tuid]
                out.append(Leaf(feed=src["name"], field=col))
            else:
                out.extend(self.leaves(tuid, col, seen))
        uniq: list[Leaf] = []
        for leaf in out:
            if leaf not in uniq:
                uniq.append(leaf)
        uniq.sort(key=lambda leaf: (leaf.feed, leaf.field))
        self._leaves[(uid, column)] = uniq
        return uniq

    def _column_node(self, uid: str, column: str):  # noqa: ANN202 - a sqlglot lineage Node
        """Lineage root of one output column; a model's SQL is qualified once for all its columns
        (sqlglot's `lineage(None, …)`), not once per column and per downstream use."""
        node = self.nodes[uid]
        if uid not in self._roots:
            try:
                self._roots[uid] = sqlglot_lineage(None, self.sql(node), schema=self.schema or None, dialect=DIALECT)
            except sqlglot.errors.SqlglotError:
                self._roots[uid] = {}  # e.g. an unnamed projection: trace column by column below
        name = normalize_identifiers(column, dialect=DIALECT).name
        found = self._roots[uid].get(name)
        if found is not None:
            return found
        try:
            return sqlglot_lineage(column, self.sql(node), schema=self.schema or None, dialect=DIALECT)
        except sqlglot.errors.SqlglotError as e:
            raise LineageError(f"cannot trace {node['name']}.{column}: {e}") from e


def _meta(node: dict, column: str) -> dict:
    col = node.get("columns", {}).get(column) or {}
    return (col.get("meta") or {}) | ((col.get("config") or {}).get("meta") or {})


def _element_of(node: dict, column: str) -> str | None:
    el = _meta(node, column).get("element")
    if el:
        return el
    return column if column in registry.elements() else None


def _output_columns(tree: exp.Expression, node: dict, schema: dict | None) -> list[str]:
    select = tree
    if schema:
        from sqlglot.optimizer.qualify import qualify

        try:
            select = qualify(select, schema=schema, dialect=DIALECT, validate_qualify_columns=False)
        except sqlglot.errors.SqlglotError:
            pass
    names = [s.alias_or_name for s in select.selects] if isinstance(select, exp.Query) else []
    return [n for n in names if n and n != "*"] or list(node.get("columns", {}))


def check_project(manifest: dict, catalog: dict | None = None, schema: str = "base") -> list[LineageRow]:
    """Lineage rows for every column of every model in `schema` (config schema or relation schema)."""
    proj = _Project(manifest, catalog)
    rows: list[LineageRow] = []
    for uid, node in sorted(proj.nodes.items(), key=lambda kv: kv[1]["name"]):
        node_schema = (node.get("config") or {}).get("schema") or node.get("schema")
        if node_schema != schema and not str(node.get("schema", "")).endswith("_" + schema):
            continue
        for column in _output_columns(proj.sql(node), node, proj.schema):
            el_id = _element_of(node, column)
            auth = registry.authoritative_for(el_id) if el_id and el_id in registry.elements() else ()
            row = LineageRow(model=node["name"], column=column, element=el_id, authoritative=auth)
            try:
                row.leaves = proj.leaves(uid, column)
            except LineageError as e:
                row.ok, row.message = (False, str(e)) if auth else (True, f"not traced: {e}")
                rows.append(row)
                continue
            if el_id and el_id not in registry.elements():
                row.ok, row.message = False, f"{node['name']}.{column}: unknown data element {el_id!r} in meta"
            elif auth and _meta(node, column).get("reference"):
                # a key that refers to a subject of another library (e.g. a licence holder's ID number):
                # the record's own department delivers it; it is validated, not sourced
                row.message = "reference key (meta.reference): source not checked"
            elif auth:
                feeds = {s.feed for s in auth}
                bad = [leaf for leaf in row.leaves if leaf.feed not in feeds]
                primary = auth[0]
                if bad:
                    row.ok = False
                    row.message = (f"{node['name']}.{column} (element {el_id}) takes "
                                   f"{', '.join(str(b) for b in bad)}; the authoritative source is "
                                   f"{primary.department}/{primary.feed}.{primary.field} (一数一源)")
                elif not any(leaf.feed in feeds for leaf in row.leaves):
                    row.ok = False
                    row.message = (f"{node['name']}.{column} (element {el_id}) does not trace to its "
                                   f"authoritative source {primary.department}/{primary.feed}.{primary.field}")
            rows.append(row)
    return rows


def check_manifest(path: Path, schema: str = "base") -> list[LineageRow]:
    """Read manifest.json (and catalog.json beside it, if any) and check the `schema` models."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No dbt manifest at {path}: run `dbt compile` (or `dbt build`) first")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    cat_path = path.with_name("catalog.json")
    catalog = json.loads(cat_path.read_text(encoding="utf-8")) if cat_path.exists() else None
    return check_project(manifest, catalog, schema=schema)
