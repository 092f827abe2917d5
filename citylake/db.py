"""DuckDB connections: extensions from PyPI wheels, standards macros, the DuckLake lake.

This is the one place extensions are loaded. They come from the installed
`duckdb-extension-*` wheels by file path with auto-install switched off, so
nothing is ever downloaded (offline government intranets).
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
from pathlib import Path

import duckdb

from citylake.paths import Home, home

EXTENSIONS = ("sqlite", "ducklake", "spatial", "excel", "encodings")
# What a connection to the lake needs (loading an extension costs 0.1-1 s per connection).
LAKE_EXTENSIONS = ("sqlite", "ducklake")
LAKE_ALIAS = "lake"
# Memory of one DuckDB instance (DuckDB's own default is 80 % of RAM, per instance). The nightly
# batch must stay under 8 GB on a 24 GB machine shared with other jobs: DuckDB spills joins,
# aggregates and sorts to `temp_directory` beyond this. dbt's profile reads the same variable
# with the same default (tests/core/test_lake.py keeps them equal).
MEMORY_LIMIT_ENV = "CITYLAKE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "5GB"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)
# DuckDB derives an extension's init symbol from its file name; the sqlite wheel
# ships `sqlite.duckdb_extension` whose entry point is `sqlite_scanner`.
_CANONICAL = {"sqlite": "sqlite_scanner"}


def extension_path(name: str, alias: bool = True) -> Path:
    """Path of an extension binary shipped by the `duckdb-extension-<name>` wheel. For LOAD by
    path, `alias` gives a file named after the extension's entry point (sqlite → sqlite_scanner);
    INSTALL by path maps the name itself and takes the wheel's own file (`alias=False`)."""
    pkg = importlib.import_module(f"duckdb_extension_{name}")
    path = Path(pkg.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise FileNotFoundError(
            f"DuckDB extension {name!r} for DuckDB {duckdb.__version__} not found at {path}; "
            f"install duckdb-extension-{name}=={duckdb.__version__}"
        )
    canonical = _CANONICAL.get(name)
    if canonical is None or not alias:
        return path
    alias_dir = Path(pkg.__file__).parent.parent / ".citylake_duckdb_ext" / f"v{duckdb.__version__}"
    alias = alias_dir / f"{canonical}.duckdb_extension"
    if not alias.exists():
        alias_dir.mkdir(parents=True, exist_ok=True)
        tmp = alias.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(path)
        tmp.replace(alias)
    return alias


def load_extensions(conn: duckdb.DuckDBPyConnection, names: tuple[str, ...] = EXTENSIONS) -> None:
    """Load extensions from wheel paths; never auto-install from the web."""
    conn.execute("SET autoinstall_known_extensions = false")
    conn.execute("SET autoload_known_extensions = false")
    loaded = {r[0] for r in conn.execute(
        "select extension_name from duckdb_extensions() where loaded").fetchall()}
    for name in names:
        if _CANONICAL.get(name, name) not in loaded:
            conn.execute(f"LOAD '{extension_path(name)}'")


def memory_limit() -> str:
    """The configured per-instance DuckDB memory limit (e.g. '5GB')."""
    value = os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT).strip()
    if not _SIZE.match(value):
        raise ValueError(f"{MEMORY_LIMIT_ENV}={value!r}: expected a size such as '5GB' or '512MB'")
    return value


_instances = itertools.count()


def apply_settings(conn: duckdb.DuckDBPyConnection, h: Home | None = None) -> None:
    """Memory limit, and for in-memory databases a spill directory under the home (DuckDB's
    default is `.tmp` in the working directory); one per instance, which DuckDB creates when it
    first spills and removes when it closes. A database file spills next to itself (`<file>.tmp`)."""
    h = h or home()
    conn.execute(f"SET memory_limit = '{memory_limit()}'")
    if conn.execute("select current_setting('temp_directory')").fetchone()[0] == ".tmp":
        spill = h.root / "work" / "duckdb_tmp" / f"{os.getpid()}-{next(_instances)}"
        spill.parent.mkdir(parents=True, exist_ok=True)
        conn.execute(f"SET temp_directory = '{spill}'")


def ducklake_attach_sql(h: Home, read_only: bool = False, alias: str = LAKE_ALIAS,
                        snapshot: int | None = None) -> str:
    """ATTACH of the lake; `snapshot`: as of that DuckLake snapshot (time travel)."""
    # OVERRIDE_DATA_PATH: the home may be moved or copied; data files are kept relative to it.
    opts = [f"DATA_PATH '{h.lake_data}/'", "OVERRIDE_DATA_PATH TRUE"]
    if read_only:
        opts.append("READ_ONLY")
    if snapshot is not None:
        opts.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    return f"ATTACH 'ducklake:sqlite:{h.lake_catalog}' AS {alias} ({', '.join(opts)})"


def connect(*, lake: bool = True, read_only: bool = False, h: Home | None = None,
            database: str = ":memory:",
            extensions: tuple[str, ...] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with extensions and (optionally) the lake attached.

    `extensions` defaults to what the connection is for: the lake's (sqlite, ducklake) when
    the lake is attached, every shipped extension (file readers, spatial) otherwise. The
    standards' `cl_*` macros are the standards floor's: `standards.macros.install_macros(conn)`.
    """
    h = h or home()
    if lake and read_only:
        h.require_lake()  # before anything is created under the home
    conn = duckdb.connect(database)
    conn.execute("SET enable_progress_bar = false")
    apply_settings(conn, h)
    load_extensions(conn, extensions or (LAKE_EXTENSIONS if lake else EXTENSIONS))
    if lake:
        h.lake_data.mkdir(parents=True, exist_ok=True)
        conn.execute(ducklake_attach_sql(h, read_only=read_only))
        conn.execute(f"USE {LAKE_ALIAS}")
    return conn
