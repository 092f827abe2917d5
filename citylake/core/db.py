"""DuckDB connections: extensions from PyPI wheels, standards macros, the DuckLake lake.

This is the one place extensions are loaded. They come from the installed
`duckdb-extension-*` wheels by file path with auto-install switched off, so
nothing is ever downloaded (offline government intranets).
"""

from __future__ import annotations

import importlib
import itertools
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from citylake.core.errors import UserError
from citylake.core.paths import Home

EXTENSIONS = ("sqlite", "ducklake", "spatial", "excel", "encodings")  # every shipped one (`citylake sql`)
# What the night's own connections load besides the lake's: each LOAD checks the file's signature,
# which reads it whole (encodings 351 MB ≈ 1-2 s, spatial 80 MB ≈ 0.3 s), on every new connection.
LANDING_EXTENSIONS = ("sqlite",)   # SQLite deliveries (CSV/JSONL decode in Python, XLSX by fastexcel)
DBT_EXTENSIONS = ("spatial",)      # the ST_* of the spatial models (int_locations_assigned, spatial_geography)
# The DuckLake catalog: the embedded SQLite file in the home unless CITYLAKE_CATALOG_URL names
# another (`postgres:dbname=… host=… port=…`); METADATA_SCHEMA lets several lakes share a database.
CATALOG_URL_ENV = "CITYLAKE_CATALOG_URL"
METADATA_SCHEMA_ENV = "CITYLAKE_METADATA_SCHEMA"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
LAKE_ALIAS = "lake"
# Memory of one DuckDB instance (DuckDB's own default is 80 % of RAM, per instance). The nightly
# batch must stay under 8 GB on a 24 GB machine shared with other jobs: DuckDB spills joins,
# aggregates and sorts to `temp_directory` beyond this. dbt's profile reads the same variable
# with the same default (tests/core/test_lake.py keeps them equal).
MEMORY_LIMIT_ENV = "CITYLAKE_DUCKDB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "5GB"
_SIZE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)
# DuckDB derives an extension's init symbol from its file name; the sqlite wheel
# ships `sqlite.duckdb_extension` whose entry point is `sqlite_scanner` (postgres: `postgres_scanner`).
_CANONICAL = {"sqlite": "sqlite_scanner", "postgres": "postgres_scanner"}


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


def apply_settings(conn: duckdb.DuckDBPyConnection, *, h: Home | None) -> None:
    """Memory limit, and for in-memory databases a spill directory under the home — or, for a
    connection without a home (no lake), under the system's temporary directory (DuckDB's default
    is `.tmp` in the working directory); one per instance, which DuckDB creates when it first
    spills and removes when it closes. A database file spills next to itself (`<file>.tmp`)."""
    conn.execute(f"SET memory_limit = '{memory_limit()}'")
    if conn.execute("select current_setting('temp_directory')").fetchone()[0] == ".tmp":
        root = h.duckdb_spill if h is not None else Path(tempfile.gettempdir()) / "citylake" / "duckdb_tmp"
        spill = root / f"{os.getpid()}-{next(_instances)}"
        spill.parent.mkdir(parents=True, exist_ok=True)
        conn.execute(f"SET temp_directory = '{spill}'")


@dataclass(frozen=True)
class Catalog:
    """Where the lake's DuckLake metadata lives: `kind` sqlite (a file) or postgres (a libpq
    connection string), optionally in its own `metadata_schema`."""

    kind: str
    target: str
    metadata_schema: str | None = None

    @property
    def url(self) -> str:
        return f"{self.kind}:{self.target}"

    @property
    def extensions(self) -> tuple[str, ...]:
        """The DuckDB extensions a connection to this lake loads."""
        return (self.kind, "ducklake")

    @property
    def concurrent_writers(self) -> bool:
        """PostgreSQL takes concurrent committers; the SQLite file locks for each commit."""
        return self.kind == "postgres"


def parse_catalog(url: str, metadata_schema: str | None, sqlite_default: Path) -> Catalog:
    """The catalog a URL names (empty: the home's SQLite file); UserError on anything else."""
    url, schema = url.strip(), (metadata_schema or "").strip() or None
    if schema is not None and not _IDENT.match(schema):
        raise UserError(f"{METADATA_SCHEMA_ENV}={schema!r}: expected a lower-case SQL name such as 'lake_deyang'")
    if "'" in url:
        raise UserError(f"{CATALOG_URL_ENV}: a quote (') cannot be part of a catalog URL")
    if not url:
        return Catalog("sqlite", str(sqlite_default), schema)
    kind, sep, target = url.partition(":")
    if not sep or kind not in ("sqlite", "postgres") or not target.strip():
        raise UserError(f"{CATALOG_URL_ENV}={url!r}: expected 'postgres:dbname=… host=… port=…' "
                        f"or 'sqlite:/path/catalog.sqlite'")
    if kind == "postgres" and re.search(r"\bpassword\s*=", target):
        raise UserError(f"{CATALOG_URL_ENV}: keep the password out of the URL (it is recorded in the home): "
                        f"use ~/.pgpass or PGPASSWORD")
    return Catalog(kind, target.strip(), schema)


def catalog(h: Home) -> Catalog:
    """This home's catalog: CITYLAKE_CATALOG_URL, else the one the home recorded when its lake was
    made on it (lake/catalog.json, written by `record_catalog`), else the embedded SQLite file."""
    sqlite_file = h.lake / "catalog.sqlite"
    recorded = json.loads(h.lake_catalog_record.read_text()) if h.lake_catalog_record.exists() else None
    url = os.environ.get(CATALOG_URL_ENV)
    if url is None or not url.strip():
        if recorded:
            return Catalog(**recorded)
        return parse_catalog("", os.environ.get(METADATA_SCHEMA_ENV), sqlite_file)
    chosen = parse_catalog(url, os.environ.get(METADATA_SCHEMA_ENV), sqlite_file)
    if recorded and Catalog(**recorded) != chosen:
        raise UserError(f"{CATALOG_URL_ENV} names another catalog than this home's lake lives on "
                        f"({h.lake_catalog_record}): unset it, or edit that file after moving the catalog")
    if not recorded and chosen.kind != "sqlite" and sqlite_file.exists():
        raise UserError(f"this home's lake is on SQLite ({sqlite_file}): move it first "
                        f"(docs/scale-out.md), or use another CITYLAKE_HOME")
    return chosen


def record_catalog(h: Home, cat: Catalog) -> None:
    """Record a non-default catalog in the home, so every later command finds the same lake."""
    if cat.kind != "sqlite" and not h.lake_catalog_record.exists():
        h.lake.mkdir(parents=True, exist_ok=True)
        h.lake_catalog_record.write_text(json.dumps(asdict(cat), indent=1) + "\n")


def lake_extensions(h: Home) -> tuple[str, ...]:
    """What a connection to this home's lake loads (loading an extension costs 0.1-1 s)."""
    return catalog(h).extensions


def ducklake_attach_sql(h: Home, read_only: bool = False, alias: str = LAKE_ALIAS,
                        snapshot: int | None = None) -> str:
    """ATTACH of the lake; `snapshot`: as of that DuckLake snapshot (time travel)."""
    cat = catalog(h)
    # OVERRIDE_DATA_PATH: the home may be moved or copied; data files are kept relative to it.
    opts = [f"DATA_PATH '{h.lake_data}/'", "OVERRIDE_DATA_PATH TRUE"]
    if cat.metadata_schema:
        opts.append(f"METADATA_SCHEMA '{cat.metadata_schema}'")
    if read_only:
        opts.append("READ_ONLY")
    if snapshot is not None:
        opts.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    return f"ATTACH 'ducklake:{cat.url}' AS {alias} ({', '.join(opts)})"


def attach_lake(conn: duckdb.DuckDBPyConnection, h: Home, read_only: bool = False) -> None:
    """Attach this home's lake (writable: making it, and recording its catalog, the first time)
    and make it the connection's default database."""
    h.lake_data.mkdir(parents=True, exist_ok=True)
    conn.execute(ducklake_attach_sql(h, read_only=read_only))
    if not read_only:
        record_catalog(h, catalog(h))
    conn.execute(f"USE {LAKE_ALIAS}")


# What a commit that lost a race says: SQLite's file lock, DuckLake's optimistic concurrency.
_RETRYABLE = ("database is locked", "locked", "busy", "transaction conflict", "conflict")


def retrying(write: Callable[[], object], attempts: int = 20, first_delay: float = 0.2) -> object:
    """Run `write` (one whole transaction: connect, write, commit); when its commit lost a race
    with another writer (SQLite "locked", DuckLake "Transaction conflict"), run it again after a
    growing, jittered delay. Any other error, or the last attempt's, is raised."""
    delay = first_delay
    for _ in range(attempts - 1):
        try:
            return write()
        except duckdb.Error as e:
            if not any(s in str(e).lower() for s in _RETRYABLE):
                raise
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 1.6, 3.0)
    return write()


def connect(*, lake: bool = True, read_only: bool = False, h: Home | None = None,
            database: str = ":memory:",
            extensions: tuple[str, ...] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with extensions and (optionally) the lake attached.

    `extensions` defaults to what the connection is for: every shipped extension (file readers,
    spatial) without the lake; with the lake, its catalog's and ducklake are always added. The
    standards' `cl_*` macros are the standards floor's: `standards.macros.install_macros(conn)`.
    The home `h` is needed for the lake (and gives the spill directory); `lake=False` may go without.
    """
    if lake and h is None:
        raise TypeError("connect(lake=True) needs the home: connect(h=...)")
    if lake and read_only:
        h.require_lake()  # before anything is created under the home
    conn = duckdb.connect(database)
    conn.execute("SET enable_progress_bar = false")
    apply_settings(conn, h=h)
    names = extensions or (() if lake else EXTENSIONS)
    load_extensions(conn, tuple(dict.fromkeys((*names, *lake_extensions(h)))) if lake else names)
    if lake:
        attach_lake(conn, h, read_only=read_only)
    return conn
