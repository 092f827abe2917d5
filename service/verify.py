"""POST /v1/verify (核验): does this ID number belong to this name / is this USCC registered and active.

Answers yes or no and which fields disagree, never the record. The sources are service/verify.yml.

Verification is the most frequent call, so a worker answers it from memory: for each source, an `Index`
of the table as the worker serves it (its serving copy at the current snapshot, service.lake): the keys
sorted (a numpy array of their UTF-8 bytes) beside the compared fields. A lookup is a binary search,
with no query; the index is built again only when the table it was built from changes.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import duckdb
import numpy as np
import pyarrow as pa
from pydantic import BaseModel, Field

from citylake.core.yamlio import load_yaml
from service import sqlfiles
from service.access import NotKept
from service.egress import Names
from service.lake import Lake
from service.lake import Source as LakeSource
from service.problems import Problem

SOURCES_FILE = Path(__file__).with_name("verify.yml")
NAMES = ("person", "name")      # the kind and compared field holding the residents' full names (the page check's)


class PersonQuery(BaseModel):
    kind: Literal["person"]
    id_number: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=100)


class EntityQuery(BaseModel):
    kind: Literal["entity"]
    uscc: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)


VerifyQuery = Annotated[PersonQuery | EntityQuery, Field(discriminator="kind")]


class VerifyAnswer(BaseModel):
    match: bool
    mismatch: list[str]
    snapshot_id: int


@dataclass(frozen=True)
class Source:
    schema: str
    table: str
    key_field: str
    key_column: str
    compare: dict[str, str]
    active: dict | None


@cache
def sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    out = {}
    for kind, s in load_yaml(path).items():
        schema, _, table = s["model"].partition(".")
        out[kind] = Source(schema, table, s["key"]["field"], s["key"]["column"], dict(s["compare"]), s.get("active"))
    return out


def norm(value: str | None) -> str | None:
    """Compare as people write: NFKC (full-width digits), no surrounding blanks, ID check letter upper case."""
    return None if value is None else unicodedata.normalize("NFKC", value).strip().upper()


def decide(src: Source, query: dict, found: list[tuple]) -> list[str]:
    """The fields that disagree ([] = match) given the records found under the key."""
    if len(found) != 1:
        return [src.key_field]
    record = dict(zip(_fields(src), found[0], strict=True))
    wrong = [f for f, col in src.compare.items() if norm(record[col]) != norm(query[f])]
    if src.active and record[src.active["column"]] != src.active["value"]:
        wrong.append(src.active["column"])
    return wrong


@dataclass(frozen=True)
class Index:
    """One verification source as of one read of it: the records' keys sorted, the compared fields beside them."""

    built_from: str                     # the serving copy (or lake snapshot) it was built from
    keys: np.ndarray                    # the keys' UTF-8 bytes, sorted (numpy fixed-width bytes)
    fields: tuple[pa.Array, ...]        # the compared fields (as text), in the keys' order

    @staticmethod
    def built_from_of(source: LakeSource, snapshot: int) -> str:
        """What an index of `source` at `snapshot` is built from: the serving copy, else the lake at the snapshot."""
        return source.copy or f"lake@{snapshot}"

    @classmethod
    def build(cls, cur: duckdb.DuckDBPyConnection, src: Source, source: LakeSource, snapshot: int) -> Index:
        sql = sqlfiles.render("verify_index.sql.j2", source=source, key=src.key_column, fields=_fields(src))
        table = cur.execute(sql, source.params(snapshot)).to_arrow_table()
        keys = np.array(table.column(0).cast(pa.binary()).to_pylist(), dtype=bytes)
        order = np.argsort(keys, kind="stable")
        return cls(cls.built_from_of(source, snapshot), keys[order],
                   tuple(c.take(order).combine_chunks() for c in table.columns[1:]))

    def found(self, key: str) -> list[tuple]:
        """The compared fields of the records whose key equals `key` exactly (at most 2: one is a match)."""
        k = key.encode()
        if b"\x00" in k or len(k) > self.keys.dtype.itemsize:   # numpy pads with NUL: such a key is in no record
            return []
        i, out = int(np.searchsorted(self.keys, k)), []
        while i < len(self.keys) and self.keys[i] == k and len(out) < 2:
            out.append(tuple(f[i].as_py() for f in self.fields))
            i += 1
        return out


def _fields(src: Source) -> list[str]:
    return [*src.compare.values(), *([src.active["column"]] if src.active else [])]


class Verifier:
    """This worker's verification indexes, one per kind, each rebuilt when its table as served changes."""

    def __init__(self, lake: Lake):
        self._lake = lake
        self._indexes: dict[str, Index] = {}          # replaced whole (one assignment), read without a lock
        self._building = {kind: threading.Lock() for kind in sources()}
        self._names: tuple[str, Names] | None = None     # (the index it was taken from, the names)
        self._naming = threading.Lock()

    def index(self, cur: duckdb.DuckDBPyConnection | None, kind: str, snapshot: int, kept_only: bool = False) -> Index:
        """The index of `kind` as served at `snapshot`, built now if needed (`kept_only`: NotKept instead)."""
        src = sources()[kind]
        source = self._lake.source(cur, src.schema, src.table, snapshot, make=not kept_only)
        built_from = Index.built_from_of(source, snapshot)
        ix = self._indexes.get(kind)
        if ix is not None and ix.built_from == built_from:
            return ix
        if kept_only:
            raise NotKept(f"the {kind} index")
        with self._building[kind]:                  # one thread builds it; the others wait for it
            ix = self._indexes.get(kind)
            if ix is None or ix.built_from != built_from:
                ix = self._indexes[kind] = Index.build(cur, src, source, snapshot)
        return ix

    def names(self, cur: duckdb.DuckDBPyConnection, snapshot: int) -> Names | None:
        """The residents' full names of the person index at `snapshot`, for the leak check of a records page (taken
        from the index once per build of it); None when the lake has no population table (no names to leak)."""
        kind, field = NAMES
        try:
            ix = self.index(cur, kind, snapshot)
        except duckdb.CatalogException:
            return None
        with self._naming:
            if self._names is None or self._names[0] != ix.built_from:
                self._names = (ix.built_from, Names.of(ix.fields[list(sources()[kind].compare).index(field)]))
            return self._names[1]

    def verify(self, cur: duckdb.DuckDBPyConnection | None, query: PersonQuery | EntityQuery, snapshot: int,
               kept_only: bool = False) -> VerifyAnswer:
        """The answer at `snapshot` (the lake's current one, as the route reads it); `kept_only`: from an index
        already built, without a cursor, else NotKept."""
        src = sources()[query.kind]
        q = query.model_dump()
        try:
            found = self.index(cur, query.kind, snapshot, kept_only).found(norm(q[src.key_field]))
        except duckdb.CatalogException as e:
            raise Problem(503, f"verification of {query.kind} is not available: {src.schema}.{src.table} is not in "
                               "the lake") from e
        wrong = decide(src, q, found)
        return VerifyAnswer(match=not wrong, mismatch=wrong, snapshot_id=snapshot)
