"""The per-format ingest benchmark runs end to end on a tiny city and compares like with like
(the same deliveries, the same row counts on both sides). No timing is asserted here:
performance figures live in benchmarks/results, not in tests."""

from __future__ import annotations

import json

import pytest

from benchmarks import ingest as bench_ingest


@pytest.mark.timeout(900)
def test_ingest_benchmark_on_a_tiny_city(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYLAKE_BENCH_DIR", str(tmp_path))
    monkeypatch.setattr("benchmarks.__main__.RESULTS", tmp_path / "results")
    assert bench_ingest.main(["--scale", "0.0005", "--formats", "csv,jsonl,xlsx,sqlite"]) == 0
    report = json.loads(next((tmp_path / "results").glob("*-ingest-scale0.0005.json")).read_text())
    assert set(report["formats"]) == {"csv", "jsonl", "xlsx", "sqlite"}
    for fmt, r in report["formats"].items():
        product, floor = r["product"], r["floor"]
        assert product["feeds"].keys() == floor["feeds"].keys(), fmt
        # the product reads every row the plain read does (it lands or quarantines each one; the
        # plain DuckDB read skips malformed lines, so it may count fewer)
        for feed, p in product["feeds"].items():
            assert p["rows"] >= floor["feeds"][feed]["rows"] > 0, (fmt, feed)
        assert r["ratio"] > 0 and product["peak_rss_mb"] > 0
    assert report["generate"]["returncode"] == 0
