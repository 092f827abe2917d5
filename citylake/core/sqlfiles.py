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
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(self.folder), *(str(p) for p in includes)]),
                                       undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
        self._env.filters.update({"ident": ident, "qualified": qualified, "literal": literal, **(filters or {})})
        self._texts: dict[str, str] = {}

    def load(self, name: str) -> str:
        """The text of a plain .sql file (read once)."""
        if name not in self._texts:
            self._texts[name] = (self.folder / name).read_text(encoding="utf-8")
        return self._texts[name]

    def render(self, name: str, /, **context: object) -> str:
        """A rendered .sql.j2 template (jinja2 caches the parsed template)."""
        return self._env.get_template(name).render(**context)
