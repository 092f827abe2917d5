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
