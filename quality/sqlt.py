"""Jinja-templated SQL of the quality gates (quality/sql/**.sql), never string-built in Python.

Filters: ``ident`` quotes a (dotted) identifier after checking it, ``literal`` makes a SQL
string literal (with ``{``/``}`` doubled inside GX ``UnexpectedRowsExpectation`` queries,
which GX formats with ``str.format``), ``macro`` checks a standards macro name (``cl_*``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

SQL_DIR = Path(__file__).with_name("sql")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MACRO = re.compile(r"^cl_[a-z0-9_]+$")


def ident(name: str) -> str:
    parts = str(name).split(".")
    if not all(_IDENT.match(p) for p in parts):
        raise ValueError(f"not a plain (dotted) SQL identifier: {name!r}")
    return ".".join('"' + p + '"' for p in parts)


def literal(text: object) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def macro(name: str) -> str:
    if not _MACRO.match(str(name)):
        raise ValueError(f"not a standards macro name (cl_*): {name!r}")
    return str(name)


@cache
def _env(gx_query: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False, autoescape=False)
    esc = (lambda s: s.replace("{", "{{").replace("}", "}}")) if gx_query else (lambda s: s)
    env.filters.update(ident=ident, literal=lambda t: esc(literal(t)), macro=macro)
    return env


def render(name: str, /, **context: object) -> str:
    """Render quality/sql/<name> (a plain SQL statement)."""
    return _env(False).get_template(name).render(**context).strip()


def render_check(name: str, /, **context: object) -> str:
    """Render quality/sql/checks/<name>: an ``UnexpectedRowsExpectation`` query over ``{batch}``."""
    return _env(True).get_template(f"checks/{name}").render(**context).strip()


def statements(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")
