"""The exit (出域): an artefact leaves the restricted zone only through `release`.

`release(src, dest)` leak-checks a staged file (inside the zone) and only then moves it to its
destination outside (reports/, publish/ ...). On any finding it raises `LeakError` and nothing
reaches `dest`: the staged file stays in the zone for inspection, a previous `dest` is kept.
`release_text` stages a rendered document (a report page) and releases it the same way.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from egress import leakcheck


def _connection():  # noqa: ANN202
    import duckdb

    conn = duckdb.connect()
    conn.execute("set enable_progress_bar = false")     # a server's log, not a terminal
    return conn


def release(src: Path, dest: Path, *, conn=None, catalog=None, forbidden_columns: set[str] | None = None,  # noqa: ANN001
            allowed_columns: set[str] | None = None, unmasked_columns: set[str] | None = None) -> Path:
    """Leak-check ``src`` and move it to ``dest``; raises ``leakcheck.LeakError`` (nothing moved).
    ``unmasked_columns``: personal columns a grant gives in clear, not scanned (the others are)."""
    src, dest = Path(src), Path(dest)
    target = leakcheck.Target(src, forbidden_columns=forbidden_columns or set(), allowed_columns=allowed_columns,
                              unmasked_columns=unmasked_columns or set())
    own = conn is None
    conn = _connection() if own else conn
    try:
        leakcheck.check(conn, [target], catalog)
    finally:
        if own:
            conn.close()
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dest)                   # the same file system: one atomic rename
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
        tmp = dest.with_name(f".{dest.name}.releasing")
        shutil.copyfile(src, tmp)               # another file system: copy beside dest, then rename
        os.replace(tmp, dest)
        src.unlink()
    return dest


def release_text(text: str, dest: Path, staging: Path, **kw) -> Path:
    """Write ``text`` under ``staging`` (in the zone), leak-check it and move it to ``dest``."""
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / Path(dest).name
    staged.write_text(text, encoding="utf-8")
    return release(staged, dest, **kw)
