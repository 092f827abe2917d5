"""Jinja-templated SQL of the quality gates (quality/sql/**.sql), never string-built in Python.

Through the one loader (citylake.core.sqlfiles): ``ident`` quotes a (dotted) identifier, ``literal``
makes a SQL string literal (with ``{``/``}`` doubled inside GX ``UnexpectedRowsExpectation``
queries, which GX formats with ``str.format``), ``macro`` checks a standards macro name (``cl_*``).
"""

from __future__ import annotations

import re
from pathlib import Path

from citylake.core.sqlfiles import SqlDir, literal, qualified

SQL_DIR = Path(__file__).with_name("sql")
_MACRO = re.compile(r"^cl_[a-z0-9_]+$")


def macro(name: str) -> str:
    if not _MACRO.match(str(name)):
        raise ValueError(f"not a standards macro name (cl_*): {name!r}")
    return str(name)


def _gx_literal(text: object) -> str:
    """A literal inside a GX query, which GX formats with str.format: braces doubled."""
    return literal(text).replace("{", "{{").replace("}", "}}")


_SQL = SqlDir(SQL_DIR, filters={"ident": qualified, "macro": macro})
_CHECKS = SqlDir(SQL_DIR / "checks", filters={"ident": qualified, "macro": macro, "literal": _gx_literal})


def render(name: str, /, **context: object) -> str:
    """Render quality/sql/<name> (a plain SQL statement)."""
    return _SQL.render(name, **context).strip()


def render_check(name: str, /, **context: object) -> str:
    """Render quality/sql/checks/<name>: an ``UnexpectedRowsExpectation`` query over ``{batch}``."""
    return _CHECKS.render(name, **context).strip()


def statements(name: str) -> str:
    return _SQL.load(name)
