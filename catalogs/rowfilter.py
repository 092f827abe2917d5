"""The row-filter language, one implementation for the data service's calls and the nightly share packages.

A filter is `<column>=<op>.<value>` (PostgREST style):
    eq.V   in.A,B,C   gt.V  gte.V  lt.V  lte.V (ranges)   prefix.V
A sharing application's row filter (catalogs.grants `applications.row_filter`, stored as JSON
`[[column, "op.value"], ...]`) is in this language; the service adds the caller's filters of a
records call to it, the share packages (catalogs.publish) apply it alone. `compile_filters` turns
filters into the `and …` clauses of `catalogs/sql/_filters.sql.j2`: every value a bound parameter
cast to the column's type in the lake, the operator from a fixed table, the column an identifier
from the catalog — never SQL built from input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")     # holds _filters.sql.j2, included by the service's templates too
MAX_IN = 100
COMPARE = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPS = (*COMPARE, "in", "prefix")
_TYPE = re.compile(r"^[A-Z][A-Z0-9_ ]*(\(\d+(,\s*\d+)?\))?$")


class FilterError(ValueError):
    """A filter not in the language."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    values: tuple[str, ...]


def parse_filter(column: str, raw: str) -> Filter:
    op, dot, value = raw.partition(".")
    if not dot or op not in OPS:
        raise FilterError(f"filter {column}: write {column}=<op>.<value> with op one of {', '.join(OPS)}")
    values = tuple(value.split(",")) if op == "in" else (value,)
    if len(values) > MAX_IN:
        raise FilterError(f"filter {column}: at most {MAX_IN} values in in.")
    if any("\x00" in v for v in values):      # no value holds one, and DuckLake cannot push it down to its catalog
        raise FilterError(f"filter {column}: a value may not contain a NUL character")
    return Filter(column, op, values)


def from_pairs(pairs: list) -> tuple[Filter, ...]:
    """An application's row filter as stored ([[column, "op.value"], ...], JSON-decoded) as filters."""
    return tuple(parse_filter(c, raw) for c, raw in pairs)


def sql_type(name: str) -> str:
    """A DuckDB type name as the lake reports it (e.g. VARCHAR, DECIMAL(18,2)); refuses anything else."""
    if not _TYPE.match(name):
        raise ValueError(f"not a plain DuckDB type name: {name!r}")
    return name


def compile_filters(fs: list[Filter] | tuple[Filter, ...], types: dict[str, str]) -> tuple[list[dict], dict]:
    """(clause specs for _filters.sql.j2, bound parameters); `types` is {column: DuckDB type} of the table."""
    specs, params = [], {}
    for i, f in enumerate(fs):
        if f.column not in types:
            raise FilterError(f"filter {f.column}: no such column in the lake table")
        names = [f"p{i}_{j}" for j in range(len(f.values))]
        params.update(zip(names, f.values, strict=True))
        specs.append({"column": f.column, "op": f.op, "sql_op": COMPARE.get(f.op), "params": names,
                      "type": types[f.column]})
    return specs, params
