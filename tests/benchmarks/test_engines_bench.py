"""The engine benchmark's arithmetic (benchmarks/engines.py): the per-model line through two scales,
the province estimate built from it, the Spark/DuckDB ratios; and the process-tree measurement
that counts a child a process never waits for (pyspark's JVM)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks import engines
from benchmarks.measure import Measurement, TreeSampler, run


def test_a_line_through_the_smallest_and_largest_scale():
    assert engines.fit({0.01: 2.0, 0.1: 11.0}) == pytest.approx((1.0, 100.0))
    assert engines.fit({0.01: 2.0, 0.05: 99.0, 0.1: 11.0}) == pytest.approx((1.0, 100.0))
    # a model that got faster with more data (noise): no negative cost per scale
    assert engines.fit({0.01: 3.0, 0.1: 2.0}) == pytest.approx((2.0, 0.0))
    # a model whose seconds grow faster than the scale: no negative fixed cost
    assert engines.fit({0.01: 0.1, 0.1: 10.0})[0] == 0.0


def test_the_province_estimate_fits_the_cpu_and_spreads_only_its_per_scale_part_over_the_cores():
    cpu = {0.01: {"duckdb": 19.0, "spark": 110.0}, 0.1: {"duckdb": 100.0, "spark": 200.0}}
    est = engines.estimate(cpu, local_cores=2)
    assert est["duckdb"] == {"fixed_cpu_s": 10.0, "cpu_per_scale_s": 900.0, "cpu_s": 10.0 + 900 * 24,
                             "this_machine_s": 10.0 + 900 * 24 / 2}
    spark = est["spark"]
    assert (spark["fixed_cpu_s"], spark["cpu_per_scale_s"]) == pytest.approx((100.0, 1000.0))
    assert spark["cluster_s"]["16"] == pytest.approx(100 + 1000 * 24 / 16, abs=0.05)
    assert spark["cluster_s"]["256"] < spark["cluster_s"]["64"] < spark["cluster_s"]["16"] < spark["this_machine_s"]


def _m(wall: float, cpu: float, mb: float, models: dict) -> Measurement:
    return Measurement("x", wall_s=wall, cpu_s=cpu, peak_rss_mb=mb, returncode=0,
                       detail={"success": True, "models": models})


def test_summary_ratios_slowest_models_and_no_estimate_from_one_scale():
    runs = {0.1: {"duckdb": _m(10.0, 12.0, 1000.0, {"a": 1.0, "b": 4.0}),
                  "spark": _m(40.0, 60.0, 3000.0, {"a": 30.0, "b": 5.0})}}
    out = engines.summarise(runs, 2)
    r = out["scales"]["0.1"]["spark_over_duckdb"]
    assert r == {"wall": 4.0, "cpu": 5.0, "peak_memory": 3.0}
    assert out["scales"]["0.1"]["slowest_on_spark"][0] == {"model": "a", "spark_s": 30.0, "duckdb_s": 1.0}
    assert out["province_estimate"] is None  # one scale gives no line
    runs[0.01] = {"duckdb": _m(5.0, 5.0, 500.0, {"a": 0.5, "b": 1.0}),
                  "spark": _m(30.0, 40.0, 2500.0, {"a": 20.0, "b": 4.0})}
    assert engines.summarise(runs, 2)["province_estimate"]["spark"]["fixed_cpu_s"] == pytest.approx(
        40.0 - (60.0 - 40.0) / 0.09 * 0.01, abs=0.05)
    runs[0.01]["spark"].detail["success"] = False  # a failed build gives no estimate
    assert engines.summarise(runs, 2)["province_estimate"] is None


def test_a_saved_result_is_summarised_again_as_it_was(tmp_path):
    runs = {0.1: {"duckdb": _m(10.0, 12.0, 1000.0, {"a": 1.0}), "spark": _m(40.0, 60.0, 3000.0, {"a": 30.0})},
            0.01: {"duckdb": _m(5.0, 5.0, 500.0, {"a": 0.5}), "spark": _m(30.0, 40.0, 2500.0, {"a": 20.0})}}
    first = engines.summarise(runs, 2)
    again = engines.summarise(engines.saved_runs(json.loads(json.dumps(first))), 2)
    assert again == first


def test_master_cores():
    assert engines.cores("local[2]") == 2 and engines.cores("spark://host:7077") == 2
    assert engines.cores("local[*]") >= 1


GRANDCHILD = """
import sys, time
block = b"x" * (200 * 2**20)           # written, so resident
while time.process_time() < 1.0:       # one CPU second, however busy the machine
    pass
open(sys.argv[1], "w").close()
time.sleep(0.5)
"""
CHILD = """
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
"""  # exits without waiting for the grandchild, as pyspark leaves its JVM


def test_the_tree_measurement_counts_a_grandchild_nobody_waits_for(tmp_path):
    def argv(name: str) -> list[str]:
        return [sys.executable, "-c", CHILD, GRANDCHILD, str(tmp_path / f"{name}.done")]

    plain = run("plain", argv("plain"), {}, tmp_path / "plain.log")
    tree = run("tree", argv("tree"), {}, tmp_path / "tree.log", tree=True)
    assert plain.returncode == tree.returncode == 0
    assert plain.cpu_s < 0.7 < tree.cpu_s  # wait4 sees only the child; the sampler the grandchild's CPU second too
    # the memory: wait4's peak can be the forking parent's (the child's RSS before exec), so the sampler alone
    proc = subprocess.Popen(argv("sampled"))
    sampler = TreeSampler(proc.pid)
    proc.wait()
    cpu, peak_mb = sampler.stop()
    assert peak_mb > 200 and cpu > 0.7  # the child alone holds a few MB; the grandchild 200
