"""POST /v1/verify (核验): does this ID number belong to this name / is this USCC registered and active.

Answers yes or no and which fields disagree, never the record. The sources are service/verify.yml.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import duckdb
from pydantic import BaseModel, Field

from citylake.core.yamlio import load_yaml
from service import sqlfiles
from service.lake import Lake
from service.problems import Problem

SOURCES_FILE = Path(__file__).with_name("verify.yml")


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
    record = dict(zip([*src.compare.values(), *([src.active["column"]] if src.active else [])], found[0], strict=True))
    wrong = [f for f, col in src.compare.items() if norm(record[col]) != norm(query[f])]
    if src.active and record[src.active["column"]] != src.active["value"]:
        wrong.append(src.active["column"])
    return wrong


def verify(lake: Lake, cur: duckdb.DuckDBPyConnection, query: PersonQuery | EntityQuery, snapshot: int) -> VerifyAnswer:
    """The answer at `snapshot`: read from the worker's serving copy of the source (indexed on its key)."""
    src = sources()[query.kind]
    fields = [*src.compare.values(), *([src.active["column"]] if src.active else [])]
    q = query.model_dump()
    try:
        source = lake.source(cur, src.schema, src.table, snapshot, index=src.key_column)
        sql = sqlfiles.render("verify.sql.j2", source=source, key=src.key_column, fields=fields)
        found = cur.execute(sql, {**source.params(snapshot), "key": norm(q[src.key_field])}).fetchall()
    except duckdb.CatalogException as e:
        raise Problem(503, f"verification of {query.kind} is not available: {src.schema}.{src.table} is not in the lake") from e
    wrong = decide(src, q, found)
    return VerifyAnswer(match=not wrong, mismatch=wrong, snapshot_id=snapshot)
