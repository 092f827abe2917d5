"""A night on Spark, the fast parts: the engine's dbt target, the DAGs' build tasks per engine, the copy of
Spark's tables into the lake (with a stand-in for the Spark session), and `--engine` refusals.
The whole night on Spark: tests/spark/test_spark_night.py (slow)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import jinja2
import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from citylake.cli.main import app
from citylake.core import db
from citylake.core.paths import DBT_PROJECT_DIR, Home
from citylake.orchestration import dag_spec, dbt_runner, spark_sync
from citylake.orchestration.night import load_dag


@pytest.mark.parametrize("engine", sorted(dbt_runner.TARGETS))
def test_the_target_of_an_engine_is_the_profiles_own(engine):
    def env_var(name, default=None):
        return {"CITYLAKE_ENGINE": engine, "CITYLAKE_HOME": "/h"}.get(name, default)

    text = jinja2.Environment().from_string((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    profile = yaml.safe_load(text.render(env_var=env_var))["citylake"]
    assert dbt_runner.target(engine) == profile["target"] and profile["target"] in profile["outputs"]


def _dbt_tasks(dag_id: str) -> dict[str, tuple[str, str, list[str], str]]:
    return {t.task_id: (t.profile_config.target_name, t.exclude, sorted(t.upstream_task_ids),
                        t.env["CITYLAKE_SPARK_SETUP"])
            for t in load_dag(dag_id).tasks if hasattr(t, "profile_config")}


def test_on_spark_each_build_runs_on_spark_then_its_spatial_part_on_duckdb(monkeypatch):
    monkeypatch.setenv("CITYLAKE_ENGINE", "spark")
    tasks = {**_dbt_tasks("citylake_nightly"), **_dbt_tasks("citylake_themes")}
    builds = ["dbt_staging", "dbt_intermediate", "dbt_base", "dbt_themes", "dbt_indicators"]
    assert set(tasks) == {*builds, *(f"{b}_spatial" for b in builds), "dbt_base_crosschecks"}
    for b in builds:
        assert tasks[b][0] == "spark" and dag_spec.SPATIAL in tasks[b][1] and dag_spec.UNIT_TESTS in tasks[b][1]
        assert tasks[f"{b}_spatial"][0] == "lake" and dag_spec.SPATIAL not in tasks[f"{b}_spatial"][1]
        assert tasks[f"{b}_spatial"][2] == [b]
    assert tasks["dbt_base_crosschecks"][0] == "lake"  # a dbt test reads the lake
    assert tasks["dbt_intermediate"][2] == ["dbt_staging_spatial"]
    # only the staging build reads the raw sources: the others skip the Spark setup it left in the metastore
    assert {b for b in builds if tasks[b][3] == "true"} == {"dbt_staging"}


@pytest.mark.parametrize(("select", "reads"), [(["staging"], True), (["staging.civil"], True),
                                               (["intermediate"], False), (["marts.theme"], False)])
def test_only_staging_reads_the_raw_sources(select, reads):
    assert dag_spec.reads_raw(select) is reads


def test_on_duckdb_each_build_is_one_task(monkeypatch):
    monkeypatch.delenv("CITYLAKE_ENGINE", raising=False)
    tasks = _dbt_tasks("citylake_nightly")
    assert set(tasks) == {"dbt_staging", "dbt_intermediate", "dbt_base"}
    assert {target for target, *_ in tasks.values()} == {"lake"}


def test_a_night_does_not_run_on_spark_thrift(monkeypatch):
    monkeypatch.setenv("CITYLAKE_ENGINE", "spark-thrift")
    with pytest.raises(ValueError, match="duckdb or spark"):
        dag_spec.night_engine()


def test_without_spark_the_night_is_refused_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(dbt_runner, "spark_missing", lambda: "the Spark engine needs a Java runtime on PATH")
    result = CliRunner().invoke(app, ["nightly", "--date", "2026-11-01", "--engine", "spark"],
                                env={"CITYLAKE_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2
    assert result.stderr.strip() == "citylake: --engine spark: the Spark engine needs a Java runtime on PATH"


MANIFEST = {"nodes": {
    "model.citylake.stg_a": {"name": "stg_a", "schema": "staging", "alias": "stg_a", "config": {"materialized": "view"}},
    "model.citylake.population": {"name": "population", "schema": "base", "alias": "population",
                                  "config": {"materialized": "table"}},
    "model.citylake.failed": {"name": "failed", "schema": "base", "alias": "failed", "config": {"materialized": "table"}},
    "test.citylake.not_null_population_id.1": {"name": "not_null_population_id", "config": {"materialized": "test"}},
}}
RUN = {"results": [{"unique_id": "model.citylake.stg_a", "status": "success"},
                   {"unique_id": "model.citylake.failed", "status": "error"},
                   {"unique_id": "test.citylake.not_null_population_id.1", "status": "pass"},
                   {"unique_id": "model.citylake.population", "status": "success"}]}


def test_the_built_models_are_copied_and_a_failed_copy_fails_them():
    assert spark_sync.built_relations(RUN, MANIFEST) == [("staging", "stg_a"), ("base", "population")]
    outcomes = [{"unique_id": r["unique_id"], "status": r["status"], "message": None} for r in RUN["results"]]
    assert [o["status"] for o in spark_sync.not_copied(outcomes, "x")] == ["error", "error", "pass", "error"]


def test_sparks_types_arrive_as_the_duckdb_builds():
    t = pa.table({"at": pa.array([dt.datetime(2026, 11, 1, 8)], pa.timestamp("us", tz="UTC")),
                  "ntz": pa.array([dt.datetime(2026, 11, 1, 9)], pa.timestamp("us")),
                  "summed": pa.array([Decimal("12.50")], pa.decimal128(28, 2)),
                  "amount": pa.array([Decimal("1.50")], pa.decimal128(18, 2))})
    out = spark_sync.lake_types(t)
    assert out.schema.field("at").type == pa.timestamp("us") == out.schema.field("ntz").type
    assert out.column("at")[0].as_py() == dt.datetime(2026, 11, 1, 8)
    assert out.schema.field("summed").type == pa.decimal128(38, 2)  # DuckDB's sum of DECIMAL(18,2)
    assert out.schema.field("amount").type == pa.decimal128(18, 2)
    assert out.column("summed")[0].as_py() == Decimal("12.50")


class _Spark:
    """A stand-in for the Spark session: `table(name).toArrow()`."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        self.tables = tables

    def table(self, name: str):
        rows = self.tables[name.replace("`", "")]
        return type("DataFrame", (), {"toArrow": lambda self: rows})()


def test_one_build_is_copied_in_one_lake_commit_replacing_a_view(tmp_path, monkeypatch):
    h = Home(tmp_path / "home").ensure()
    conn = db.connect(h=h)
    conn.execute("create schema lake.staging; create view lake.staging.stg_a as select 1 as old")
    before = conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
    conn.close()
    monkeypatch.setattr(spark_sync, "session", lambda h: _Spark({
        "staging.stg_a": pa.table({"id": [1, 2]}), "base.population": pa.table({"name": ["a"]})}))
    assert spark_sync.copy_to_lake([("staging", "stg_a"), ("base", "population")], h=h) == 2
    conn = db.connect(read_only=True, h=h)
    try:
        assert conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0] == before + 1
        assert conn.execute("select table_type from information_schema.tables where table_catalog = 'lake' "
                            "and table_name = 'stg_a'").fetchone()[0] == "BASE TABLE"
        assert conn.execute("select sum(id) from lake.staging.stg_a").fetchone()[0] == 3
        assert conn.execute("select name from lake.base.population").fetchall() == [("a",)]
    finally:
        conn.close()
