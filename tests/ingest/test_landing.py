"""Landing semantics: manifest and history, idempotence, re-delivery, atomicity, failures, drift."""

from __future__ import annotations

import json

import polars as pl
import pytest
from ingest_fixtures import DATE, csv_text, write_bytes, write_clean

from ingest import registry
from ingest.errors import DeliveryMissing, DeliveryRejected
from ingest.land import read_history, read_manifest


def test_manifest_and_idempotent_relanding(home, land):
    write_clean("samr_entities", home.inbox, n=30)
    feed = registry.feed("samr_entities")
    r1 = land("samr_entities")
    m = read_manifest(feed, home.raw, DATE)
    assert r1.status == "landed" and m["sha256"] == r1.sha256 and m["rows_read"] == 30
    assert m["source_file"] == f"samr/entities_{DATE.replace('-', '')}.csv"
    assert [c["type"] for c in m["schema"]][:3] == ["VARCHAR"] * 3 and m["timings"]["read"] >= 0
    part = feed.raw_dir(home.raw, DATE) / "part-0.parquet"
    mtime = part.stat().st_mtime_ns
    r2 = land("samr_entities")
    assert r2.status == "unchanged" and r2.rows_landed == 30
    assert part.stat().st_mtime_ns == mtime                              # no-op: nothing rewritten
    assert [h["status"] for h in read_history(feed, home.raw)] == ["landed"]
    assert pl.read_parquet(part)["_delivery_sha256"].unique().to_list() == [r1.sha256]


def test_corrected_redelivery_replaces_and_history_keeps_both(home, land):
    write_clean("emergency_incidents", home.inbox)
    feed = registry.feed("emergency_incidents")
    first = land("emergency_incidents")
    lines = csv_text("emergency_incidents", None).splitlines()
    lines[1] += "0"                                                       # a corrected loss figure: 6.8 -> 6.80
    write_bytes("emergency_incidents", home.inbox, ("\n".join(lines) + "\n").encode("gbk"))
    second = land("emergency_incidents")
    assert second.status == "replaced" and second.sha256 != first.sha256
    hist = read_history(feed, home.raw)
    assert [h["status"] for h in hist] == ["landed", "replaced"]
    assert hist[1]["replaces_sha256"] == first.sha256
    assert read_manifest(feed, home.raw, DATE)["sha256"] == second.sha256
    df = pl.read_parquet(feed.raw_dir(home.raw, DATE) / "part-0.parquet")
    assert df["_delivery_sha256"].unique().to_list() == [second.sha256]


def test_no_temporary_files_left_and_failed_landing_keeps_previous(home, land):
    write_clean("bdc_sensors", home.inbox, n=10)
    feed = registry.feed("bdc_sensors")
    assert land("bdc_sensors").status == "landed"
    before = read_manifest(feed, home.raw, DATE)
    write_bytes("bdc_sensors", home.inbox, b"")                           # a broken re-delivery
    r = land("bdc_sensors")
    assert r.status == "failed" and "empty file" in r.message and "bdc/sensors_" in r.message
    assert read_manifest(feed, home.raw, DATE) == before                  # previous landing intact
    assert not [p for p in home.root.rglob("*.tmp")]
    assert read_history(feed, home.raw)[-1]["status"] == "failed"


@pytest.mark.parametrize("case", ["empty", "header_only", "missing_mandatory"])
def test_unreadable_delivery_lands_nothing_with_one_clear_message(home, land, case):
    text = csv_text("bdc_sensors", 3)                                     # a snapshot: no rows is never right
    data = {"empty": b"  \n", "header_only": text.splitlines()[0].encode() + b"\n",
            "missing_mandatory": text.replace("sensor_type", "type_of_sensor").encode()}[case]
    write_bytes("bdc_sensors", home.inbox, data)
    r = land("bdc_sensors")
    assert r.status == "failed" and r.rows_landed == 0
    assert r.message.startswith("bdc/sensors_")
    if case == "missing_mandatory":
        assert "sensor_type" in r.message and "Expected header" in r.message
    assert not registry.feed("bdc_sensors").raw_dir(home.raw, DATE).exists()
    with pytest.raises(DeliveryRejected):
        land("bdc_sensors", strict=True)


def test_missing_delivery(home, land):
    r = land("stats_macro")
    assert r.status == "missing" and "late or not sent" in r.message
    with pytest.raises(DeliveryMissing):
        land("stats_macro", strict=True)


def test_schema_drift_is_reported_not_fatal(home, land):
    text = csv_text("gsb_licenses", 5)
    lines = text.splitlines()
    # drop the optional expiry_date column, add an unknown one
    cols = lines[0].split(",")
    k = cols.index("expiry_date")
    out = []
    for j, line in enumerate(lines):
        parts = line.split(",")
        del parts[k]
        out.append(",".join(parts + ["remark" if j == 0 else "x"]))
    write_bytes("gsb_licenses", home.inbox, ("\n".join(out) + "\n").encode())
    r = land("gsb_licenses")
    assert r.status == "landed" and r.rows_landed == 5
    drift = " | ".join(r.schema_drift)
    assert "missing optional column 'expiry_date'" in drift and "new column 'remark'" in drift
    assert "possible rename 'expiry_date' -> 'remark'" in drift
    df = pl.read_parquet(registry.feed("gsb_licenses").raw_dir(home.raw, DATE) / "part-0.parquet")
    assert df["expires_on"].null_count() == 5 and "remark" not in df.columns
    m = read_manifest(registry.feed("gsb_licenses"), home.raw, DATE)
    assert m["schema_drift"] == r.schema_drift
    json.dumps(m)


def test_land_all_and_cli(home, monkeypatch):
    import typer
    from typer.testing import CliRunner

    from ingest.cli import ingest_cmd
    from synth.cli import generate_cmd
    app = typer.Typer()
    app.command("generate")(generate_cmd)
    app.command("ingest")(ingest_cmd)
    runner = CliRunner()
    res = runner.invoke(app, ["generate", "--scale", "0.0005", "--date", DATE, "--seed", "3"])
    assert res.exit_code == 0, res.output
    write_bytes("edu_enrolments", home.inbox, b"")                       # one broken feed -> exit code 1
    res = runner.invoke(app, ["ingest", "--date", DATE, "--feed", "edu_enrolments"])
    assert res.exit_code == 1 and "failed" in res.output
    res = runner.invoke(app, ["ingest", "--date", DATE, "--feed", "civil_marriages"])
    assert res.exit_code == 0 and "landed" in res.output
