"""`make bench-service` runs end to end on a tiny lake: wrk on loopback against citylake serve, each figure
beside its in-process floor. No timing is asserted: figures live in benchmarks/results, not in tests."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from benchmarks import service as bench_service

sys.path.insert(0, str(Path(__file__).parents[1] / "service"))
import svcfixtures as sf  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("wrk") is None, reason="apt-get install wrk")]


@pytest.mark.timeout(600)
def test_service_benchmark_on_a_tiny_lake(tmp_path, monkeypatch):
    h = sf.build_lake(tmp_path / "home")
    monkeypatch.setattr("benchmarks.__main__.RESULTS", tmp_path / "results")
    args = ["--home", str(h.root), "--duration", "2", "--requests", "200", "--connections", "2", "--workers", "1"]
    assert bench_service.main(args) == 0
    report = json.loads(next((tmp_path / "results").glob("*-service.json")).read_text())
    for k in ("verify", "records"):
        http, floor = report[k]["http"], report[k]["floor"]
        assert http["requests"] > 0 and http["non_2xx"] == 0 and http["calls_per_s"] > 0, http
        assert http["p99_ms"] >= http["p50_ms"] > 0 and http["generator_cpu_s"] >= 0
        assert floor["requests"] > 0 and floor["calls_per_s"] > 0
    assert "=eq." in report["records"]["url"] and "limit=100" in report["records"]["url"]
    for k in ("verify", "records"):
        assert report[k]["floor_lake"]["requests"] > 0      # the old path, every query on the lake
    export = report["export"]
    assert export["http"]["rows"] == sf.PEOPLE and export["copy"]["seconds"] > 0 and export["ratio"] > 0
    assert export["http"]["columns"] and export["http"]["bytes"] > 0 and export["http"]["first_seconds"] > 0
    log = report["log"]
    assert log["chain_intact"] and log["chain_rows"] == 2000 and log["group_commit_ms_per_row"] > 0


def test_the_generator_is_refused_off_loopback():
    with pytest.raises(ValueError, match="loopback"):
        bench_service.run_wrk("http://10.0.0.1:8090/v1/verify", "t", None)


def test_wrk_output_is_parsed():
    out = ("  Latency Distribution\n     50%    2.10ms\n     75%    3.00ms\n     99%   41.50ms\n"
           "  1234 requests in 2.00s, 1.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:    617.00\n")
    assert bench_service.parse_wrk(out) == {"calls_per_s": 617.0, "p50_ms": 2.1, "p99_ms": 41.5, "requests": 1234,
                                            "non_2xx": 3}
