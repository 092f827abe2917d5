"""Code sets (代码集): CSV files under ``standards/codesets/`` described by ``index.yaml``.

* ``codeset(name)`` — the rows of one set (list of dicts, all values text).
* ``codes(name)`` — its codes as a frozenset.
* ``index()`` — per set: name_zh, source standard, version, notes.
* ``load_into(conn, schema="ref")`` — one table ``<schema>.codeset_<name>`` per set plus
  ``<schema>.codeset_index``, read with DuckDB's ``read_csv`` (``standards/sql/load_codesets.sql``).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import duckdb

from citylake.core.sqlfiles import SqlDir
from citylake.core.yamlio import load_yaml

CODESETS_DIR = Path(__file__).with_name("codesets")
INDEX_FILE = CODESETS_DIR / "index.yaml"
_SQL = SqlDir(Path(__file__).with_name("sql"))


class CodesetError(KeyError):
    """An unknown code set."""


@cache
def index() -> dict[str, dict]:
    """index.yaml: name -> {name_zh, standard, version, generated?, note?}."""
    return load_yaml(INDEX_FILE)["codesets"]


def names() -> list[str]:
    return sorted(index())


def path(name: str) -> Path:
    if name not in index():
        raise CodesetError(f"unknown code set {name!r}; known: {', '.join(names())}")
    return CODESETS_DIR / f"{name}.csv"


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with path(name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def codeset(name: str) -> list[dict[str, str]]:
    """All rows of a code set (a fresh list of dicts; values are text, e.g. '01')."""
    return [dict(r) for r in _rows(name)]


@cache
def codes(name: str) -> frozenset[str]:
    return frozenset(r["code"] for r in _rows(name))


def label(name: str, code: str) -> str | None:
    """Chinese name of a code, or None."""
    for r in _rows(name):
        if r["code"] == code:
            return r["name_zh"]
    return None


def load_sql(schema: str = "ref", only: list[str] | None = None) -> str:
    """The SQL that creates ``<schema>.codeset_<name>`` tables (rendered from load_codesets.sql)."""
    selected = only or names()
    sets = [{"name": n, "path": str(path(n)), **{k: str(v) for k, v in index()[n].items()}} for n in selected]
    return _SQL.render("load_codesets.sql.j2", schema=schema, codesets=sets)


def load_into(conn: duckdb.DuckDBPyConnection, schema: str = "ref", only: list[str] | None = None) -> list[str]:
    """Create/replace one table ``<schema>.codeset_<name>`` per code set; returns the table names."""
    conn.execute(load_sql(schema, only))
    return [f"{schema}.codeset_{n}" for n in (only or names())]
