"""Great Expectations 1.x on DuckDB: the one place citylake adapts GX to DuckDB.

Two defects of GX 1.24's SQL execution engine on the `duckdb` dialect (found in
``great_expectations/execution_engine/sqlalchemy_execution_engine.py`` and
``great_expectations/expectations/metrics/util.py``):

1. ``SqlAlchemyExecutionEngine.execute_query`` runs a query inside
   ``with self.get_connection()`` and returns the *un-fetched* result; the caller
   (``resolve_metric_bundle``) calls ``.fetchall()`` after the connection went
   back to the pool. The pool's reset-on-return (a ROLLBACK) runs on the same
   DuckDB connection (duckdb-engine's cursors share it), the pending result is
   gone, ``fetchall()`` returns ``[]`` and every expectation fails with
   ``IndexError: list index out of range``. GX keeps one persisted connection only
   for the dialects in ``_PERSISTED_CONNECTION_DIALECTS`` (sqlite, mssql,
   bigquery, databricks). **Fix:** add ``duckdb`` to that tuple (then GX also
   builds the engine with a ``StaticPool``: one connection, results stay readable).
2. ``get_dialect_regex_expression`` has no DuckDB branch and the engine's
   ``dialect_module`` is ``None`` for dialects GX does not list, so regex
   expectations raise "Regex is not supported for dialect". **Fix:** give DuckDB
   engines a ``dialect_module`` (the PostgreSQL type names duckdb-engine reflects)
   and answer regexes with DuckDB's ``regexp_matches`` (a *search*, the same
   semantics as GX's pandas ``str.contains``; DuckDB's ``~`` would be a full match).

Plus a SQLAlchemy dialect ``duckdb+citylake`` whose connections are set up the
way ``citylake.core.db.connect`` sets up every DuckDB connection (extensions from the
wheels, standards macros, the DuckLake lake attached **read-only** as ``lake``),
so GX's SQL datasource validates lake tables in the database (SQL pushdown).

And one cost fix: ``UnexpectedRowsExpectation`` depends on two metrics of the same query,
``unexpected_rows_query.table`` (the first 200 rows) and ``unexpected_rows_query.row_count``
(``SELECT COUNT(*)``), so GX runs every check query twice — and a check query is a full scan
with a validator macro per row (two thirds of a raw gate's time). On DuckDB engines both metrics
are answered here from **one** query, ``SELECT *, count(*) OVER () … LIMIT 200``, inside
``single_pass()`` (what ``quality.gates.run_gate`` wraps its checkpoint in); outside it, and on
other dialects, GX's own providers answer.

``patch()`` applies all of this idempotently; call it before building a GX context.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import types
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import duckdb_engine
import sqlalchemy as sa

# GX is chatty at import and while computing metrics: keep its logs and progress bars quiet.
for _name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
    logging.getLogger(_name).setLevel(logging.ERROR)
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

DIALECT_NAME = "duckdb"
CITYLAKE_DRIVER = "citylake"  # URL scheme duckdb+citylake://
# Validating lake tables needs the lake's extensions (ducklake + its catalog's); validating landed raw
# Parquet needs none (Parquet is built in; each extension loaded costs ≈ 0.15 s per connection).
GX_EXTENSIONS = ()


class _DialectName(str):
    """``"duckdb"`` with the ``.value`` GX reads from its ``GXSqlDialect`` members."""

    @property
    def value(self) -> str:  # GX: ``str_to_check.startswith(dialect_name.value)``
        return str(self)


DUCKDB = _DialectName(DIALECT_NAME)


class CitylakeDuckDBDialect(duckdb_engine.Dialect):
    """duckdb-engine, plus citylake's connection setup (extensions, macros, read-only lake).

    URL: ``duckdb+citylake:///:memory:?home=<CITYLAKE_HOME>&lake=1``. ``lake=0`` skips
    the lake (e.g. validating landed raw Parquet before the lake exists).
    """

    supports_statement_cache = False

    def create_connect_args(self, url):  # noqa: ANN001 - SQLAlchemy signature
        home = url.query.get("home")
        lake = url.query.get("lake", "1") not in ("0", "false")
        cargs, cparams = super().create_connect_args(url.difference_update_query(["home", "lake"]))
        cparams["citylake_home"] = home
        cparams["citylake_lake"] = lake
        return cargs, cparams

    def connect(self, *cargs, **cparams):  # noqa: ANN002, ANN003 - SQLAlchemy signature
        from citylake.core.db import apply_settings, attach_lake, lake_extensions, load_extensions
        from citylake.core.paths import Home
        from standards.macros import install_macros

        home = cparams.pop("citylake_home", None)
        lake = cparams.pop("citylake_lake", True)
        conn = super().connect(*cargs, **cparams)  # duckdb_engine.ConnectionWrapper
        h = Home(Path(home)) if home else Home.from_env()
        apply_settings(conn, h=h)
        load_extensions(conn, lake_extensions(h) if lake else GX_EXTENSIONS)
        install_macros(conn)
        if lake:
            if not h.lake_catalog.exists():
                raise FileNotFoundError(f"No lake at {h.lake_catalog}")
            attach_lake(conn, h, read_only=True)
        return conn


def engine_url(home: Path | None = None, *, lake: bool = True) -> str:
    """SQLAlchemy URL of an in-memory DuckDB set up like ``citylake.core.db.connect(read_only=True)``."""
    from citylake.core.paths import Home

    root = (home or Home.from_env().root).resolve()
    return f"duckdb+{CITYLAKE_DRIVER}:///:memory:?home={quote(str(root))}&lake={int(lake)}"


def _duckdb_dialect_module() -> types.ModuleType:
    """A dialect module for GX: PostgreSQL's type names (what duckdb-engine reflects) + the dialect."""
    from sqlalchemy.dialects import postgresql

    mod = types.ModuleType("citylake_gx_duckdb_dialect")
    mod.__dict__.update({k: v for k, v in vars(postgresql).items() if not k.startswith("__")})
    mod.dialect = duckdb_engine.Dialect
    return mod


def _is_duckdb(dialect: object) -> bool:
    target = getattr(dialect, "dialect", dialect)
    try:
        return isinstance(target, duckdb_engine.Dialect) or (
            isinstance(target, type) and issubclass(target, duckdb_engine.Dialect))
    except TypeError:
        return False


def _regex_for_duckdb(original):  # noqa: ANN001, ANN202
    @functools.wraps(original)
    def get_dialect_regex_expression(column, regex, dialect, positive=True):  # noqa: ANN001, ANN202
        if _is_duckdb(dialect):
            expr = sa.func.regexp_matches(column, sa.literal(regex))
            return expr if positive else sa.not_(expr)
        return original(column, regex, dialect, positive=positive)

    get_dialect_regex_expression.__citylake_patched__ = True
    return get_dialect_regex_expression


def _init_with_duckdb_dialect_module(original):  # noqa: ANN001, ANN202
    @functools.wraps(original)
    def __init__(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202, N807
        original(self, *args, **kwargs)
        if getattr(self, "dialect_module", None) is None and self.dialect_name == DIALECT_NAME:
            self.dialect_module = _duckdb_dialect_module()

    __init__.__citylake_patched__ = True
    return __init__


# --------------------------------------------------------------------------- one query per check

_COUNT_COLUMN = "__citylake_unexpected_rows"
_single_pass: dict | None = None   # (id(engine), query) -> (rows, count); active inside single_pass()


@contextlib.contextmanager
def single_pass() -> Iterator[None]:
    """Within this block, the two metrics of an UnexpectedRowsExpectation share one query."""
    global _single_pass
    previous, _single_pass = _single_pass, {}
    try:
        yield
    finally:
        _single_pass = previous


def _rows_and_count(provider, execution_engine, metric_domain_kwargs, metric_value_kwargs):  # noqa: ANN001, ANN202
    """(first rows, count) of an unexpected-rows query, from one scan; cached inside single_pass()."""
    from great_expectations.constants import MAX_RESULT_RECORDS
    from great_expectations.core.metric_domain_types import MetricDomainTypes

    batch_selectable, _, _ = execution_engine.get_compute_domain(
        metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
    query = provider._get_substituted_batch_subquery_from_query_and_batch_selectable(
        query=provider._get_query_from_metric_value_kwargs(metric_value_kwargs),
        batch_selectable=batch_selectable, execution_engine=execution_engine)
    key = (id(execution_engine), query)
    if _single_pass is not None and key in _single_pass:
        return _single_pass.pop(key)  # each of the two metrics reads it once
    combined = (f"SELECT *, count(*) OVER () AS {_COUNT_COLUMN} FROM ({query}) AS unexpected_rows "
                f"LIMIT {int(MAX_RESULT_RECORDS)}")
    records = [r._asdict() for r in execution_engine.execute_query(sa.text(combined)).fetchall()]
    count = int(records[0][_COUNT_COLUMN]) if records else 0
    rows = [{k: v for k, v in r.items() if k != _COUNT_COLUMN} for r in records]
    if _single_pass is not None:
        _single_pass[key] = (rows, count)
    return rows, count


def _single_pass_provider(gx_provider: type, index: int) -> type:
    """A subclass of one of GX's two unexpected-rows metric providers that answers on DuckDB with
    ``_rows_and_count(...)[index]`` (0: the rows, 1: the count) and elsewhere with GX's own function.
    Defining it registers it: GX's registry lets a later provider of the same metric and engine
    replace the earlier one."""
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine
    from great_expectations.expectations.metrics.metric_provider import metric_value

    gx_fn = gx_provider._sqlalchemy

    class Provider(gx_provider):
        @metric_value(engine=SqlAlchemyExecutionEngine)
        def _sqlalchemy(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs,  # noqa: ANN001, ANN206, N805
                        metrics, runtime_configuration):
            if execution_engine.dialect_name != DIALECT_NAME:
                return gx_fn(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics,
                             runtime_configuration)
            return _rows_and_count(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs)[index]

    Provider.__name__ = Provider.__qualname__ = f"Citylake{gx_provider.__name__}"
    return Provider


@functools.cache
def _register_single_pass_providers() -> tuple[type, type]:
    """DuckDB-aware providers of the two metrics an UnexpectedRowsExpectation depends on."""
    from great_expectations.expectations.metrics.query_metrics.query_row_count.unexpected_rows_query_row_count import (  # noqa: E501
        UnexpectedRowsQueryRowCount,
    )
    from great_expectations.expectations.metrics.query_metrics.query_table.unexpected_rows_query_table import (
        UnexpectedRowsQueryTable,
    )

    return _single_pass_provider(UnexpectedRowsQueryTable, 0), _single_pass_provider(UnexpectedRowsQueryRowCount, 1)


def _single_pass_registered() -> bool:
    from great_expectations.expectations.registry import _registered_metrics

    names = ("unexpected_rows_query.table", "unexpected_rows_query.row_count")
    return all(_registered_metrics[n]["providers"]["SqlAlchemyExecutionEngine"][0].__name__.startswith("Citylake")
               for n in names)


def is_patched() -> bool:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see
    from great_expectations.expectations.metrics import util as metrics_util

    return (DIALECT_NAME in see._PERSISTED_CONNECTION_DIALECTS
            and getattr(metrics_util.get_dialect_regex_expression, "__citylake_patched__", False)
            and getattr(see.SqlAlchemyExecutionEngine.__init__, "__citylake_patched__", False)
            and _single_pass_registered())


def patch() -> None:
    """Make GX 1.x's SQL datasource work on DuckDB (idempotent; safe to call many times)."""
    import sys

    from great_expectations.execution_engine import sqlalchemy_execution_engine as see
    from great_expectations.expectations import metrics as _metrics  # noqa: F401 - registers providers
    from great_expectations.expectations.metrics import util as metrics_util

    sa.dialects.registry.register(f"duckdb.{CITYLAKE_DRIVER}", __name__, "CitylakeDuckDBDialect")

    # 1. keep one persisted connection for duckdb (results are fetched after `with get_connection()`).
    if DIALECT_NAME not in see._PERSISTED_CONNECTION_DIALECTS:
        see._PERSISTED_CONNECTION_DIALECTS = (*see._PERSISTED_CONNECTION_DIALECTS, DUCKDB)

    # 2a. a dialect module for duckdb engines (types + regex dispatch).
    engine_cls = see.SqlAlchemyExecutionEngine
    if not getattr(engine_cls.__init__, "__citylake_patched__", False):
        engine_cls.__init__ = _init_with_duckdb_dialect_module(engine_cls.__init__)

    # 2b. regexes on duckdb; rebind the name in every module that imported it.
    original = metrics_util.get_dialect_regex_expression
    if not getattr(original, "__citylake_patched__", False):
        patched = _regex_for_duckdb(original)
        for mod in list(sys.modules.values()):
            if (getattr(mod, "__name__", "").startswith("great_expectations.")
                    and getattr(mod, "get_dialect_regex_expression", None) is original):
                mod.get_dialect_regex_expression = patched

    # 3. one query for both metrics of an unexpected-rows check (see single_pass()).
    _register_single_pass_providers()
