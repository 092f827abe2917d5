"""Each reader and encoding: CSV (UTF-8, BOM, GBK, GB18030), XLSX (header offset, sheets), JSONL, SQLite."""

from __future__ import annotations

import json

import polars as pl
import pytest
from ingest_fixtures import BOM, DATE, csv_text, write_bytes, write_clean

from ingest import registry
from ingest.errors import DeliveryRejected


def raw(home, feed_id, date=DATE):
    f = registry.feed(feed_id)
    return pl.read_parquet(f.raw_dir(home.raw, date) / "part-0.parquet")


def test_csv_gbk(home, land):
    path = write_clean("psb_household", home.inbox, n=40)  # declared gbk
    assert not path.read_bytes().isascii()
    r = land("psb_household")
    assert (r.status, r.rows_read, r.rows_landed, r.rows_quarantined) == ("landed", 40, 40, 0)
    df = raw(home, "psb_household")
    assert df.columns[:2] == ["id_number", "person_name"]          # registry names, not 公民身份号码
    assert all(t == pl.String for t in df.select(registry.feed("psb_household").columns).dtypes)
    assert df.schema["_row"] == pl.Int64 and df.schema["_landed_at"] == pl.Datetime("us")
    assert df["_row"].to_list() == list(range(2, 42))               # line numbers: header is line 1
    assert df["_source_file"][0] == f"psb/household_{DATE.replace('-', '')}.csv"
    assert df["person_name"].str.contains(r"[\u4e00-\u9fff]").all()  # Chinese decoded correctly


def test_csv_gb18030(home, land):
    write_clean("hrss_employment", home.inbox, n=5)
    assert land("hrss_employment").rows_landed == 5


def test_csv_utf8_bom(home, land):
    path = write_clean("samr_entities", home.inbox, n=20)  # declared utf-8-sig
    assert path.read_bytes().startswith(BOM)
    r = land("samr_entities")
    assert (r.status, r.rows_landed) == ("landed", 20)
    assert raw(home, "samr_entities")["uscc"][0][0] in "9"         # BOM not glued to the first header


def test_bom_on_declared_utf8_is_accepted_with_a_note(home, land):
    write_bytes("edu_enrolments", home.inbox, BOM + csv_text("edu_enrolments", 5).encode("utf-8"))
    r = land("edu_enrolments")
    assert r.rows_landed == 5
    assert any("BOM" in d for d in r.schema_drift)


def test_gbk_file_declared_utf8_fails_clearly(home, land):
    write_bytes("bdc_sensors", home.inbox, csv_text("psb_household", 5).encode("gbk"))  # bdc_sensors: utf-8
    r = land("bdc_sensors")
    assert r.status == "failed" and r.rows_landed == 0
    assert "bdc/sensors_" in r.message and "not valid UTF-8" in r.message and "GBK" in r.message
    assert not registry.feed("bdc_sensors").raw_dir(home.raw, DATE).exists()


def test_utf8_file_declared_gbk_fails_clearly(home, land):
    write_bytes("psb_household", home.inbox, csv_text("psb_household", 5).encode("utf-8"))
    r = land("psb_household")
    assert r.status == "failed" and "valid UTF-8" in r.message and "gbk" in r.message
    with pytest.raises(DeliveryRejected, match="household_"):
        land("psb_household", strict=True)


def test_csv_quoted_fields_with_commas(home, land):
    text = csv_text("cmc_event_routing", 3)
    lines = text.splitlines()
    head, first = lines[0], lines[1].split(",")
    first[3] = '"派单,再派单"'
    write_bytes("cmc_event_routing", home.inbox, ("\n".join([head, ",".join(first), *lines[2:]]) + "\n").encode())
    r = land("cmc_event_routing")
    assert r.rows_landed == 3
    assert raw(home, "cmc_event_routing")["routing_action"][0] == "派单,再派单"


def test_xlsx_header_offset_and_sheets(home, land):
    feed = registry.feed("psb_house_numbers")
    assert feed.header_row == 3
    write_clean("psb_house_numbers", home.inbox)
    import fastexcel

    sheets = fastexcel.read_excel(str(feed.inbox_path(home.inbox, DATE))).sheet_names
    assert len(sheets) == 6                                           # one per county
    r = land("psb_house_numbers")
    df = raw(home, "psb_house_numbers")
    assert r.status == "landed" and r.rows_quarantined == 0 and df.height == r.rows_read
    assert df["_row"].min() == 4                                      # title, export note, header above
    assert df["_source_file"].str.split("#").list.last().unique().sort().to_list() == sorted(sheets)
    assert df["longitude"].str.starts_with("104").any()               # decimals stay text


def test_xlsx_header_not_where_declared_fails(home, land, monkeypatch):
    write_clean("culture_scenic_visits", home.inbox)                  # header on row 2
    feed = registry.feed("culture_scenic_visits")
    import dataclasses

    shifted = dataclasses.replace(feed, header_row=1)
    from ingest.land import land_feed

    r = land_feed(shifted, DATE, home.inbox, home.raw, home.quarantine)
    assert r.status == "failed" and "header row 1" in r.message and "景区编号" in r.message


def test_jsonl_numbers_nulls_and_bad_lines(home, land):
    path = write_clean("bdc_readings", home.inbox, n=10)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, '{"reading_id": "R1", "sensor_id": ')           # truncated line
    lines.insert(5, "[1, 2]")                                          # not an object
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = land("bdc_readings")
    assert (r.rows_read, r.rows_landed, r.rows_quarantined) == (12, 10, 2)
    df = raw(home, "bdc_readings")
    assert df.schema["value"] == pl.String and df["value"][0].replace(".", "").isdigit()
    q = pl.read_parquet(home.quarantine / "bdc" / "bdc_readings" / f"dt={DATE}" / "quarantine.parquet")
    assert q["reason_code"].to_list() == ["malformed_line", "malformed_line"]
    assert q["row_number"].to_list() == [4, 6]
    assert json.loads(q["original"][0])["line"].startswith('{"reading_id": "R1"')


def test_sqlite_incremental_watermark(home, land):
    from synth import generate_city
    from synth.world import day_date

    d0, d1 = DATE, str(day_date(1))
    generate_city(home.inbox, 0.0005, d0, seed=7, feeds=["civil_subsidies"])
    r0 = land("civil_subsidies", d0)
    assert r0.status == "landed" and r0.rows_read > 100              # initial load + the day
    generate_city(home.inbox, 0.0005, d1, seed=7, feeds=["civil_subsidies"])
    r1 = land("civil_subsidies", d1)
    assert r1.status == "landed" and 0 < r1.rows_read < 50            # only rows after the watermark
    df0, df1 = raw(home, "civil_subsidies", d0), raw(home, "civil_subsidies", d1)
    assert df1["updated_at"].min() > df0["updated_at"].max()
    assert df1["_source_file"][0].endswith("civil_affairs.sqlite#subsidy_payment")
    # re-running either night reads the same window again: nothing changes
    assert land("civil_subsidies", d0).status == "unchanged"
    assert land("civil_subsidies", d1).status == "unchanged"
    state = json.loads((home.raw / "civil" / "civil_subsidies" / "_state.json").read_text())
    assert state["watermark"]["last"] == df1["updated_at"].max()
