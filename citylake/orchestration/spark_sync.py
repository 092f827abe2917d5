"""Spark's tables into the lake: after each dbt build on Spark, what it built is copied into DuckLake.

On `CITYLAKE_ENGINE=spark` the night's dbt builds run on the in-process Spark session
(dbt_project/profiles.yml, output `spark`) into Spark's warehouse under the home. Everything after a
build — the library gates and their rollbacks, the spatial models (DuckDB), catalogs, reports,
publishing — reads the DuckLake lake, so each build's callback (`record`) copies every model the build
built (views and tables, from dbt's run_results) into `lake.<schema>.<name>` as a table, all of them
in ONE lake commit (one snapshot per build), through the Spark session dbt used in this process.
A copy that fails counts as a failure of every model of that build (their libraries' gates block).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from citylake.core import db
from citylake.core.paths import Home, home
from citylake.core.sqlfiles import SqlDir
from citylake.orchestration import dbt_results
from citylake.orchestration.dbt_runner import spark_settings

_SQL = SqlDir(Path(__file__).parent / "sql")
COPIED = ("view", "table", "incremental")  # the materialisations that leave a relation in Spark's metastore


def session(h: Home):
    """The Spark session of this process with the profile's settings (dbt-spark's own, when dbt ran here:
    `getOrCreate` returns it; plus ansi off, as dbt-spark forces)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in {**spark_settings(h), "spark.sql.ansi.enabled": "false"}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def built_relations(run_results: dict, manifest: dict) -> list[tuple[str, str]]:
    """(schema, name) of every model the run built (status success), in the order dbt built them."""
    nodes = manifest.get("nodes", {})
    out = []
    for r in run_results.get("results", []):
        node = nodes.get(r["unique_id"], {})
        if r["unique_id"].startswith("model.") and r["status"] == "success" \
                and node.get("config", {}).get("materialized") in COPIED:
            out.append((node["schema"], node.get("alias") or node["name"]))
    return out


def lake_types(table):  # noqa: ANN001, ANN201 - a pyarrow Table in and out
    """Spark's Arrow columns as the DuckDB build types them, where they differ:
    - a decimal wider than 18 digits becomes DECIMAL(38, scale): DuckDB widens a decimal sum to 38 digits,
      Spark to 10 more than its input (the catalog's data length reads the precision);
    - a timestamp with a time zone (Spark's `timestamp_ltz`, e.g. current_timestamp()) becomes DuckDB's
      `TIMESTAMP` (UTC wall time, the session's zone), as the lake's timestamps are.
    timestamp_ntz, date, the narrower decimals and the integers already are DuckDB's (a sum of integers
    stays Spark's BIGINT where DuckDB gives HUGEINT: the same values and catalog type)."""
    import pyarrow as pa

    def one(f):  # noqa: ANN001, ANN202
        if pa.types.is_decimal(f.type) and f.type.precision > 18:
            return pa.field(f.name, pa.decimal128(38, f.type.scale), f.nullable)
        if pa.types.is_timestamp(f.type) and f.type.tz:
            return pa.field(f.name, pa.timestamp(f.type.unit), f.nullable)
        return f

    return table.cast(pa.schema([one(f) for f in table.schema]))


def copy_to_lake(relations: list[tuple[str, str]], *, h: Home) -> int:
    """Copy Spark's `relations` into the lake as tables (a lake view of the same name is replaced), in one
    commit (retried when it lost a race: citylake.core.db.retrying). Returns how many were copied."""
    if not relations:
        return 0
    spark = session(h)

    def once() -> None:
        conn = db.connect(h=h)
        try:
            conn.execute("begin")
            for schema, name in relations:
                kind = conn.execute(_SQL.load("lake_relation_kind.sql"), [schema, name]).fetchone()
                conn.register("spark_rows", lake_types(spark.table(f"`{schema}`.`{name}`").toArrow()))
                conn.execute(_SQL.render("copy_from_spark.sql.j2", schema=f"lake.{schema}", table=f"lake.{schema}.{name}",
                                         view=bool(kind and kind[0] == "VIEW")))
                conn.unregister("spark_rows")
            conn.execute("commit")
        finally:
            conn.close()

    db.retrying(once)
    return len(relations)


def record(project_dir: str, context=None, **_) -> None:  # noqa: ANN001 - cosmos callback
    """Cosmos callback of a build on Spark (after dbt ran, before a failure is raised): copy what it
    built into the lake, then keep the node outcomes (citylake.orchestration.dbt_results); when the copy
    fails, every model it would have copied is kept as an error, and the task fails."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    found = dbt_results.artifacts(project_dir)
    if not found:
        return
    outcomes = dbt_results.node_outcomes(*found)
    try:
        copy_to_lake(built_relations(*found), h=home())
    except (duckdb.Error, PySparkException, Py4JError, OSError) as e:
        dbt_results.keep(not_copied(outcomes, f"built on Spark, not copied into the lake: {e}"), context)
        raise
    dbt_results.keep(outcomes, context)


def not_copied(outcomes: list[dict], message: str) -> list[dict]:
    """The outcomes with every successful model turned into an error (its copy into the lake failed)."""
    return [{**o, "status": "error", "message": message}
            if o["unique_id"].startswith("model.") and o["status"] == "success" else o for o in outcomes]
