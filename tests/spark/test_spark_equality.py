"""The same dbt models on DuckDB and on Spark give the same rows.

One raw zone (tests/dbt/fixture_raw: the hand-checkable tiny city, two nights), built once with the
default DuckDB engine into the lake and once with CITYLAKE_ENGINE=spark (dbt-spark `session`,
local[1], 2 GB driver: dbt_project/profiles.yml) into Spark's warehouse in the same home. Every
model Spark builds is compared with its DuckDB twin with EXCEPT ALL both ways after normalising
types (every column as text, doubles rounded to 6 places): 0 rows each way.
"""

from __future__ import annotations

import duckdb
import pytest

from citylake.core import db
from citylake.orchestration.dbt_runner import invoke
from standards.macros import install_macros
from tests.dbt import fixture_raw

NIGHTS = ["2026-11-24", "2026-11-25"]
SELECT = ["--select", "staging", "--exclude", "tag:spatial+"]


def _normalised(con: duckdb.DuckDBPyConnection, relation: str, columns: list[tuple[str, str]]) -> str:
    def one(name: str, kind: str) -> str:
        if kind.startswith(("DOUBLE", "FLOAT", "DECIMAL", "REAL")):
            return f'cast(round(cast("{name}" as double), 6) as varchar) as "{name}"'
        return f'cast("{name}" as varchar) as "{name}"'
    return f"select {', '.join(one(n, k) for n, k in columns)} from {relation}"


def _built(run) -> list[str]:
    return sorted(r["unique_id"].split(".")[-1] for r in run.results if r["status"] == "success")


@pytest.mark.slow
def test_spark_builds_the_same_rows_as_duckdb(spark, spark_home, monkeypatch):
    h = spark_home
    fixture_raw.write(h.root, NIGHTS)

    monkeypatch.delenv("CITYLAKE_ENGINE", raising=False)
    duck_run = invoke(["run", *SELECT], run_date=NIGHTS[-1], h=h)
    assert duck_run.success, duck_run.failed_nodes()

    monkeypatch.setenv("CITYLAKE_ENGINE", "spark")
    spark_run = invoke(["run", *SELECT], run_date=NIGHTS[-1], h=h)
    assert spark_run.success, [(r["unique_id"], (r["message"] or "")[:300]) for r in spark_run.results
                               if r["status"] in ("error", "fail")]
    models = _built(spark_run)
    assert models == _built(duck_run) and len(models) >= 30

    con = db.connect(read_only=True, h=h)
    install_macros(con)  # the DuckDB staging views call the cl_* macros
    try:
        differences = {}
        for model in models:
            columns = [(r[0], r[1]) for r in con.execute(f"describe lake.staging.{model}").fetchall()]
            other = spark.sql(f"select * from staging.{model}").toArrow()  # noqa: F841 - read by DuckDB below
            con.register("spark_rows", other)
            ours = _normalised(con, f"lake.staging.{model}", columns)
            theirs = _normalised(con, "spark_rows", columns)
            only_duck = con.execute(f"select count(*) from ({ours} except all {theirs})").fetchone()[0]
            only_spark = con.execute(f"select count(*) from ({theirs} except all {ours})").fetchone()[0]
            rows = con.execute(f"select count(*) from lake.staging.{model}").fetchone()[0]
            con.unregister("spark_rows")
            if only_duck or only_spark or rows == 0:
                differences[model] = {"rows": rows, "only_duckdb": only_duck, "only_spark": only_spark}
    finally:
        con.close()
    assert differences == {}, "models that differ between DuckDB and Spark (or are empty)"
