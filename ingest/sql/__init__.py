"""SQL used by ingest, kept in .sql files (Jinja-templated where the shape depends on the feed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

SQL_DIR = Path(__file__).parent


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render(name: str, **params) -> str:
    return _env().get_template(name).render(**params)


def ident(name: str) -> str:
    """A double-quoted SQL identifier (registry names are validated identifiers)."""
    return '"' + name.replace('"', '""') + '"'


_env().filters["ident"] = ident
