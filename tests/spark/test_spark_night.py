"""A whole night with the transformation on Spark: `citylake nightly --date D --engine spark` on the tiny city.

The real path, in a subprocess with CITYLAKE_HOME set (the night's own JVM: the Derby metastore of its
home admits one): the dbt builds run on Spark without the spatial models and their downstream, each
build's models are copied into the lake, the spatial part runs on DuckDB over them, and the gates,
catalogs, reports and publishing read the lake as on a DuckDB night (docs/scale-out.md).
"""

from __future__ import annotations

import pytest

from citylake.core import db, state
from citylake.core.paths import Home
from citylake.orchestration.snapshots import library_tables
from standards import libraries
from tests.e2e.conftest import TINY_SCALE, citylake
from tests.once import seed_airflow

NIGHT = "2026-11-01"
BUILDS = ("dbt_staging", "dbt_intermediate", "dbt_base", "dbt_themes", "dbt_indicators")
LAYERS = ("base", "theme", "indicator")


def _lake_counts(h: Home) -> dict[str, dict[str, int]]:
    """{library: {table: rows}} of every library of LAYERS in the lake."""
    conn = db.connect(read_only=True, h=h)
    try:
        return {lib.id: {t: conn.execute(f'select count(*) from lake."{layer}"."{t}"').fetchone()[0]
                         for t in library_tables(conn, layer, lib.id)}
                for layer in LAYERS for lib in libraries.libraries(layer)}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.timeout(3600)  # ~95 models on Spark at local[1] plus a whole night on 2 shared cores
def test_a_whole_night_on_spark(spark_home, airflow_template, tmp_path):
    # spark_home is only the skip where Spark or Java is missing: the night works in its own home
    h = seed_airflow(airflow_template, Home(tmp_path / "home").ensure())
    citylake(h, "generate", "--scale", str(TINY_SCALE), "--date", NIGHT)
    citylake(h, "nightly", "--date", NIGHT, "--engine", "spark", timeout=3400)

    builds = state.read_all(NIGHT, "dbt_build", h=h)
    for b in BUILDS:  # each build on Spark, then its spatial part on DuckDB
        assert {b, f"{b}_spatial"} <= set(builds), sorted(builds)
    on_spark = {o["unique_id"] for b in BUILDS for o in builds[b]["nodes"] if o["unique_id"].startswith("model.")}
    assert {"model.citylake.population", "model.citylake.stg_psb__household"} <= on_spark
    assert "model.citylake.spatial_geography" not in on_spark
    assert "model.citylake.spatial_geography" in {o["unique_id"] for o in builds["dbt_base_spatial"]["nodes"]}
    assert (h.root / "work" / "spark-warehouse" / "base.db" / "population").is_dir()

    counts = _lake_counts(h)
    empty = {lib: tables for lib, tables in counts.items() if not tables or not all(tables.values())}
    assert empty == {}, "libraries missing from the lake, or with an empty table, after a Spark night"
    gates = state.read_all(NIGHT, "library_gate", h=h)
    assert set(counts) <= set(gates) and all(g["passed"] for g in gates.values())
