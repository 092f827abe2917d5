"""The one loader of the project's SQL files, and the one identifier rule.

Each package keeps its SQL in its own ``sql/`` folder: plain ``.sql`` files (values are bound
parameters) and Jinja ``.sql.j2`` templates where the shape depends on the registry (identifiers,
file paths of table functions). ``SqlDir(folder)`` loads and renders them:

* ``ident``      a quoted identifier (double quotes, embedded quotes doubled); empty names and
                 control characters are refused;
* ``qualified``  a dotted name (``lake.base.population``), each part through ``ident``;
* ``literal``    a string literal, only where DuckDB takes no parameter (COPY/read_* paths).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def ident(name: object) -> str:
    text = str(name)
    if not text or _UNSAFE.search(text):
        raise ValueError(f"not a usable SQL identifier: {text!r}")
    return '"' + text.replace('"', '""') + '"'


def qualified(name: object) -> str:
    return ".".join(ident(part) for part in str(name).split("."))


def literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


class SqlDir:
    """The SQL files of one folder; ``filters`` adds template filters of that package; ``includes`` are
    folders of a lower package whose templates this one's may ``{% include %}`` (searched after its own)."""

    def __init__(self, folder: Path, filters: dict[str, Callable] | None = None,
                 includes: tuple[Path, ...] = ()) -> None:
        self.folder = Path(folder)
        self._filters = {"ident": ident, "qualified": qualified, "literal": literal, **(filters or {})}
        self._search = [str(self.folder), *(str(p) for p in includes)]

    @cache  # noqa: B019 - one SqlDir per package, alive for the process
    def _env(self) -> jinja2.Environment:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(self._search), undefined=jinja2.StrictUndefined,
                                 autoescape=False, keep_trailing_newline=True)
        env.filters.update(self._filters)
        return env

    @cache  # noqa: B019
    def load(self, name: str) -> str:
        """The text of a plain .sql file."""
        return (self.folder / name).read_text(encoding="utf-8")

    def render(self, name: str, /, **context: object) -> str:
        """A rendered .sql.j2 template."""
        return self._env().get_template(name).render(**context)
