"""The GX-on-DuckDB fix (quality/gx_duckdb.py) — fails loudly when GX changes underneath it."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from quality import gx_duckdb

PROBE = Path(__file__).with_name("_gx_probe.py")


@pytest.fixture(scope="module")
def probe_db(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("gx") / "probe.duckdb"
    with duckdb.connect(str(db)) as c:
        c.execute("create table t as select * from (values ('a1'), ('b2'), ('c3')) v(s)")
    return str(db)


def _probe(db: str, patched: bool) -> dict:
    args = [sys.executable, str(PROBE), db] + (["patch"] if patched else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_patched_symbols_keep_their_shape():
    """The GX internals we patch still exist and still look the way the patch assumes."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see
    from great_expectations.execution_engine.sqlalchemy_dialect import GXSqlDialect
    from great_expectations.expectations.metrics import util as metrics_util

    assert isinstance(see._PERSISTED_CONNECTION_DIALECTS, tuple)
    assert all(hasattr(d, "value") for d in see._PERSISTED_CONNECTION_DIALECTS)
    assert GXSqlDialect.SQLITE in see._PERSISTED_CONNECTION_DIALECTS
    # the defect: the result is returned un-fetched from inside `with self.get_connection()`
    src = inspect.getsource(see.SqlAlchemyExecutionEngine.execute_query)
    assert "with self.get_connection() as connection" in src and "return result" in src
    assert "_PERSISTED_CONNECTION_DIALECTS" in inspect.getsource(see.SqlAlchemyExecutionEngine.get_connection)
    assert "self.execute_query(sa_query_object).fetchall()" in inspect.getsource(
        see.SqlAlchemyExecutionEngine.resolve_metric_bundle)
    # regex: no duckdb branch, and duckdb is not a dialect GX knows
    fn = inspect.unwrap(metrics_util.get_dialect_regex_expression)
    assert list(inspect.signature(fn).parameters) == ["column", "regex", "dialect", "positive"]
    assert "duckdb" not in inspect.getsource(fn).lower()
    assert "duckdb" not in GXSqlDialect.get_all_dialect_names()
    assert "self.dialect_module = None" in inspect.getsource(inspect.unwrap(see.SqlAlchemyExecutionEngine.__init__))


def test_patch_is_idempotent():
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see

    gx_duckdb.patch()
    before = (see._PERSISTED_CONNECTION_DIALECTS, see.SqlAlchemyExecutionEngine.__init__)
    gx_duckdb.patch()
    assert (see._PERSISTED_CONNECTION_DIALECTS, see.SqlAlchemyExecutionEngine.__init__) == before
    assert sum(1 for d in see._PERSISTED_CONNECTION_DIALECTS if d == "duckdb") == 1
    assert gx_duckdb.is_patched()


def test_unpatched_gx_still_fails_on_duckdb(probe_db):
    """If this starts passing, GX fixed DuckDB upstream: drop quality/gx_duckdb.py's patches."""
    out = _probe(probe_db, patched=False)
    assert out["not_null"]["success"] is False
    assert any("list index out of range" in e for e in out["not_null"]["errors"]), out
    assert out["regex"]["success"] is False


def test_patched_gx_validates_on_duckdb(probe_db):
    """Same probe, in this interpreter, with the patch applied."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_gx_probe", PROBE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = mod.run(probe_db, patched=True)
    assert out == {"not_null": {"success": True, "errors": []}, "regex": {"success": True, "errors": []}}


def test_unexpected_rows_check_is_one_query_with_gx_results(tmp_path):
    """Both metrics of an UnexpectedRowsExpectation come from one scan inside single_pass(),
    with the exact count (beyond GX's 200-row sample) and the same result GX's own providers give."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.constants import MAX_RESULT_RECORDS
    from great_expectations.expectations.registry import _registered_metrics
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    db = tmp_path / "rows.duckdb"
    with duckdb.connect(str(db)) as c:
        c.execute("create table t as select i, i % 3 = 0 as bad from range(1000) r(i)")  # 334 bad rows
    gx_duckdb.patch()
    ctx = gx.get_context(mode="ephemeral")
    ds = ctx.data_sources.add_sql("rows", connection_string=f"duckdb:///{db}")
    batch = ds.add_query_asset("t", query="select * from t").add_batch_definition_whole_table("all").get_batch()
    check = gxe.UnexpectedRowsExpectation(unexpected_rows_query="SELECT i FROM {batch} WHERE bad")
    statements: list[str] = []

    def _log(conn, cursor, statement, *args):  # noqa: ANN001, ANN002, ANN202
        if "WHERE bad" in statement:
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", _log)
    try:
        with gx_duckdb.single_pass():
            ours = batch.validate(check, result_format="COMPLETE")
        one_pass = list(statements)
        # GX's own providers (what the patch replaced), for comparison
        providers = {n: _registered_metrics[n]["providers"]["SqlAlchemyExecutionEngine"]
                     for n in ("unexpected_rows_query.table", "unexpected_rows_query.row_count")}
        from great_expectations.expectations.metrics.query_metrics.query_row_count import (
            unexpected_rows_query_row_count as rc,
        )
        from great_expectations.expectations.metrics.query_metrics.query_table import (
            unexpected_rows_query_table as tb,
        )
        _registered_metrics["unexpected_rows_query.table"]["providers"]["SqlAlchemyExecutionEngine"] = (
            tb.UnexpectedRowsQueryTable, tb.UnexpectedRowsQueryTable._sqlalchemy)
        _registered_metrics["unexpected_rows_query.row_count"]["providers"]["SqlAlchemyExecutionEngine"] = (
            rc.UnexpectedRowsQueryRowCount, rc.UnexpectedRowsQueryRowCount._sqlalchemy)
        statements.clear()
        theirs = batch.validate(check, result_format="COMPLETE")
        gx_pass = list(statements)
    finally:
        event.remove(Engine, "before_cursor_execute", _log)
        for n, p in providers.items():
            _registered_metrics[n]["providers"]["SqlAlchemyExecutionEngine"] = p
    assert len(one_pass) == 1 and "count(*) OVER ()" in one_pass[0]
    assert len(gx_pass) == 2  # GX alone: the rows, then COUNT(*)
    assert ours.success is theirs.success is False
    assert ours.result["observed_value"] == theirs.result["observed_value"] == 334
    rows = ours.result["details"]["unexpected_rows"]
    assert rows == theirs.result["details"]["unexpected_rows"] and len(rows) == MAX_RESULT_RECORDS
    assert gx_duckdb.is_patched()
