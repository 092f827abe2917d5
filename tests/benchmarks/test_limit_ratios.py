"""The results JSON carries the limit line: the ratios under the names scripts look for, the
product/floor/limit table, and the models and steps furthest from the limit, largest gap first."""

from __future__ import annotations

from benchmarks.__main__ import summarise
from benchmarks.measure import Measurement


def _m(stage: str, wall: float, detail: dict | None = None) -> Measurement:
    return Measurement(stage, wall_s=wall, cpu_s=wall, peak_rss_mb=100.0, returncode=0, detail=detail or {})


def test_ratios_and_the_models_furthest_from_the_limit():
    nodes = {"models": 2, "models_s": 30.0, "tests": 5, "tests_s": 4.0, "full_parses": 0,
             "slowest_models": {}, "model_s": {"lake.base.population": 25.0, "lake.intermediate.int_x": 5.0}}
    results = {
        "product": _m("product", 80.0, {"ingest": 20.0, "gates": 15.0, "dbt": 40.0, "catalogs": 3.0,
                                         "reports": 2.0, "orchestration": 0.0, "dbt_nodes": nodes}),
        "floor_ingest": _m("floor_ingest", 8.0), "floor_checks": _m("floor_checks", 2.0),
        "floor_transform": _m("floor_transform", 30.0),
        "limit": _m("limit", 10.0, {"read_s": 4.0, "write_s": 5.0, "per_table_s": {"base.population": 3.0}}),
    }
    out = summarise(results, 0.1)
    r = out["ratios"]
    assert r["floor_over_limit"] == 4.0 and r["product_over_limit"] == 8.0
    assert r["overall_product_over_floor"] == 2.0 and r["gates_share_of_batch"] == 15 / 80
    assert out["versus_limit"]["night"] == {"product": 80.0, "floor": 40.0, "limit": 10.0}
    assert out["versus_limit"]["ingest"] == {"product": 20.0, "floor": 8.0, "limit": 4.0}
    furthest = out["furthest_from_limit"]
    assert [f["what"] for f in furthest] == ["model lake.base.population", "step ingest (landing)", "step gates"]
    assert furthest[0]["gap_s"] == 22.0 and furthest[1]["gap_s"] == 16.0


def test_without_a_limit_run_the_limit_ratios_are_absent():
    results = {"product": _m("product", 10.0, {"ingest": 1.0, "gates": 1.0, "dbt": 1.0, "catalogs": 0.0,
                                               "reports": 0.0, "orchestration": 0.0}),
               "floor_ingest": _m("floor_ingest", 1.0), "floor_checks": _m("floor_checks", 1.0),
               "floor_transform": _m("floor_transform", 1.0)}
    out = summarise(results, 0.1)
    assert "floor_over_limit" not in out["ratios"] and "furthest_from_limit" not in out
