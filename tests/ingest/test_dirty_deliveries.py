"""Dirty deliveries: one test per class of corruption, over every format the class applies to
(CSV UTF-8 and GBK/GB18030, XLSX, JSON Lines, SQLite). Nothing is lost or altered: every row
read is landed (values as delivered) or quarantined with a reason, every column is kept,
and a delivery that cannot be read is one refused feed naming its file (and row)."""

from __future__ import annotations

import json
import sqlite3

import duckdb
import polars as pl
import pytest
from ingest_fixtures import (
    DATE,
    clean_frame,
    csv_text,
    sheet_rows,
    sqlite_delivery,
    write_bytes,
    write_clean,
    write_frame,
    write_workbook,
)

from ingest import registry
from ingest.land import read_history, read_manifest, read_state


def raw(home, feed_id, date=DATE):
    return pl.read_parquet(registry.feed(feed_id).raw_dir(home.raw, date) / "part-0.parquet")


def quarantine(home, feed_id, date=DATE):
    f = registry.feed(feed_id)
    return pl.read_parquet(home.quarantine / f.department.id / f.id / f"dt={date}" / "quarantine.parquet")


def accounted(home, feed_id, r, date=DATE):
    """rows read = rows landed + rows quarantined, and the files hold exactly those rows."""
    assert r.rows_read == r.rows_landed + r.rows_quarantined
    assert raw(home, feed_id, date).height == r.rows_landed
    assert quarantine(home, feed_id, date).height == r.rows_quarantined


def refused(home, feed_id, r):
    """A refused delivery: one message naming the file, nothing landed."""
    feed = registry.feed(feed_id)
    assert r.status == "failed" and r.rows_landed == 0, r
    assert r.message.startswith(feed.file.split("{")[0]), r.message
    assert "Traceback" not in r.message and not feed.raw_dir(home.raw, DATE).exists()


def encode(feed_id: str, text: str) -> bytes:
    enc = registry.feed(feed_id).encoding or "utf-8"
    return text.encode("utf-8-sig" if enc == "utf-8-sig" else enc)


def edit_sqlite(path, sql: str, params=()) -> None:
    with sqlite3.connect(path) as s:
        s.execute(sql, params)


# ---------------------------------------------------------------- truncated in transfer
@pytest.mark.parametrize("feed_id", ["urban_cases", "psb_household", "bdc_readings"])  # CSV UTF-8, GBK, JSONL
def test_a_delivery_cut_inside_its_last_row_never_lands_that_row(home, land, feed_id):
    path = write_clean(feed_id, home.inbox, n=6)
    feed = registry.feed(feed_id)
    text = path.read_bytes().decode(feed.encoding or "utf-8")
    cut = text.rstrip("\n")[:-2]                                       # a failed transfer: no final newline
    path.write_bytes(cut.encode(feed.encoding or "utf-8"))
    r = land(feed_id)
    assert (r.status, r.rows_read, r.rows_landed, r.rows_quarantined) == ("landed", 6, 5, 1)
    accounted(home, feed_id, r)
    q = quarantine(home, feed_id)
    last_line = cut.count("\n") + 1
    assert q["reason_code"].to_list() == ["malformed_line"] and q["row_number"].to_list() == [last_line]
    assert json.loads(q["original"][0])["line"] == cut.split("\n")[-1]  # the cut text, verbatim
    assert last_line not in raw(home, feed_id)["_row"].to_list()


@pytest.mark.parametrize("feed_id", ["culture_scenic_visits", "civil_subsidies"])  # XLSX, SQLite
def test_a_cut_binary_delivery_is_refused_naming_the_file(home, land, feed_id):
    path = write_clean(feed_id, home.inbox) if feed_id != "civil_subsidies" else sqlite_delivery(home.inbox)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    r = land(feed_id)
    refused(home, feed_id, r)


# ---------------------------------------------------------------- unknown / renamed columns
def _csv_with_extra(home, feed_id, rename, add):
    """CSV text with column `rename[0]` renamed to `rename[1]` and an unknown column `add`."""
    lines = csv_text(feed_id, 4).splitlines()
    head = lines[0].split(",")
    k = head.index(rename[0])
    expected = [{rename[1]: line.split(",")[k] or None, add: f"备注{i}"} for i, line in enumerate(lines[1:])]
    head[k] = rename[1]
    out = [",".join([*head, add])] + [f"{line},备注{i}" for i, line in enumerate(lines[1:])]
    write_bytes(feed_id, home.inbox, encode(feed_id, "\n".join(out) + "\n"))
    return [{k2: v for k2, v in e.items() if v is not None} for e in expected]


def _extra_csv_utf8(home):
    return _csv_with_extra(home, "urban_cases", ("closed_at", "close_time"), "remark")


def _extra_csv_gbk(home):
    return _csv_with_extra(home, "psb_household", ("联系电话", "手机号码"), "备注")


def _extra_xlsx(home):
    df = clean_frame("culture_scenic_visits", 4)
    rows = sheet_rows("culture_scenic_visits", df)
    h = registry.feed("culture_scenic_visits").header_row - 1
    k = rows[h].index("门票收入元")
    rows[h] = [*rows[h][:k], "门票收入", *rows[h][k + 1:], "备注"]
    for i in range(h + 1, len(rows)):
        rows[i] = [*rows[i], f"备注{i}"]
    write_workbook(registry.feed("culture_scenic_visits").inbox_path(home.inbox, DATE), {"Sheet1": rows})
    return [{k2: v for k2, v in {"门票收入": r[k], "备注": r[-1]}.items() if v is not None} for r in rows[h + 1:]]


def _extra_jsonl(home):
    path = write_clean("bdc_readings", home.inbox, n=4)
    out, expected = [], []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        obj = json.loads(line)
        obj["township"] = f"51060300{i}"                             # a key the registry does not know
        out.append(json.dumps(obj, ensure_ascii=False)[:-1] + f', "calib": {{"gain": 1.10, "n": {i}}}, "gone": null, '
                                                             f'"rate": 2.50}}')
        expected.append({"township": obj["township"], "calib": {"gain": 1.10, "n": i}, "rate": 2.5})
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return expected


def test_unknown_json_values_are_kept_as_written(home, land):
    _extra_jsonl(home)
    land("bdc_readings")
    assert raw(home, "bdc_readings").sort("_row")["_extra"][0] == '{"township":"510603000","calib":{"gain":1.10,"n":0},"rate":2.50}'


def _extra_sqlite(home):
    path = sqlite_delivery(home.inbox)
    edit_sqlite(path, "ALTER TABLE subsidy_payment ADD COLUMN remark TEXT")
    edit_sqlite(path, "UPDATE subsidy_payment SET remark = '备注' || rowid")
    return None


@pytest.mark.parametrize("feed_id,build", [("urban_cases", _extra_csv_utf8), ("psb_household", _extra_csv_gbk),
                                           ("culture_scenic_visits", _extra_xlsx), ("bdc_readings", _extra_jsonl),
                                           ("civil_subsidies", _extra_sqlite)])
def test_unknown_and_renamed_columns_are_kept_in_extra(home, land, feed_id, build):
    expected = build(home)
    r = land(feed_id)
    assert r.status == "landed", r.message
    accounted(home, feed_id, r)
    assert any("kept in _extra" in d for d in r.schema_drift)
    df = raw(home, feed_id).sort("_source_file", "_row")
    extras = [json.loads(x) for x in df["_extra"]]
    if expected is None:                                               # sqlite: every row has its remark
        assert all(set(e) == {"remark"} and e["remark"].startswith("备注") for e in extras) and extras
    else:
        assert extras == expected
    if r.rows_quarantined:
        assert all("_extra" in json.loads(o) for o in quarantine(home, feed_id)["original"])


def test_staging_reads_raw_with_and_without_extra_across_nights(home, land):
    """dbt sources read every night with union_by_name: a night with `_extra` next to one
    landed before `_extra` existed (no such column) stays readable."""
    write_clean("urban_cases", home.inbox, n=3)
    land("urban_cases")
    old = home.raw / "urban" / "urban_cases" / "dt=2026-10-31"
    old.mkdir(parents=True)
    raw(home, "urban_cases").drop("_extra").write_parquet(old / "part-0.parquet")
    glob = str(home.raw / "urban" / "urban_cases" / "dt=*" / "part-0.parquet")
    rel = duckdb.sql(f"select dt, count(*) n, count(_extra) e from read_parquet('{glob}', hive_partitioning = true, "
                     "union_by_name = true) group by dt order by dt")
    assert [(str(d), n, e) for d, n, e in rel.fetchall()] == [("2026-10-31", 3, 0), (DATE, 3, 0)]


# ---------------------------------------------------------------- watermarks (SQLite)
def test_missing_or_future_watermark_is_quarantined_and_the_mark_stays_in_the_night(home, land):
    from synth.world import day_date

    d1 = str(day_date(1))
    path = sqlite_delivery(home.inbox)
    cols = "payment_id, id_number, subsidy_type, amount, pay_month"
    edit_sqlite(path, f"INSERT INTO subsidy_payment SELECT 'NULLWM', {cols[12:]}, NULL FROM subsidy_payment LIMIT 1")
    edit_sqlite(path, f"INSERT INTO subsidy_payment SELECT 'FUTURE', {cols[12:]}, '2062-11-01 09:00:00' "
                      "FROM subsidy_payment LIMIT 1")
    r0 = land("civil_subsidies")
    accounted(home, "civil_subsidies", r0)
    q = quarantine(home, "civil_subsidies")
    by_id = {json.loads(o)["payment_id"]: (c, why) for o, c, why in q.select("original", "reason_code", "reason").rows()}
    assert by_id["NULLWM"][0] == "missing_required" and "updated_at" in by_id["NULLWM"][1]
    assert by_id["FUTURE"][0] == "future_watermark" and "2062-11-01" in by_id["FUTURE"][1] and DATE in by_id["FUTURE"][1]
    state = read_state(registry.feed("civil_subsidies"), home.raw)
    assert state["watermark"]["last"] < str(day_date(1))              # the mark never passes the night
    sqlite_delivery(home.inbox, date=d1)
    r1 = land("civil_subsidies", d1)
    accounted(home, "civil_subsidies", r1, d1)
    assert r1.rows_landed > 0 and raw(home, "civil_subsidies", d1)["updated_at"].str.starts_with(d1).all()
    assert {json.loads(o)["payment_id"] for o in quarantine(home, "civil_subsidies", d1)["original"]} >= {"NULLWM", "FUTURE"}
    assert land("civil_subsidies").status == "unchanged"              # re-running the first night: same window


# ---------------------------------------------------------------- re-delivery keeps the earlier landing
@pytest.mark.parametrize("feed_id", ["emergency_incidents", "bdc_readings"])
def test_a_replaced_delivery_keeps_the_earlier_raw_file_in_history(home, land, feed_id):
    path = write_clean(feed_id, home.inbox, n=5)
    first = land(feed_id)
    before = raw(home, feed_id)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n", 1))     # a re-delivery, other bytes
    second = land(feed_id)
    assert second.status == "replaced" and second.sha256 != first.sha256
    feed = registry.feed(feed_id)
    entry = read_history(feed, home.raw)[-1]
    assert entry["replaced"]["sha256"] == first.sha256
    kept = home.raw / entry["replaced"]["files"]["raw"]
    assert kept.exists() and pl.read_parquet(kept).equals(before)
    assert (home.quarantine / entry["replaced"]["files"]["quarantine"]).exists()
    assert read_manifest(feed, home.raw, DATE)["sha256"] == second.sha256
    glob = str(home.raw / feed.department.id / feed.id / "dt=*" / "part-0.parquet")   # what dbt reads
    assert duckdb.sql(f"select distinct _delivery_sha256 from read_parquet('{glob}')").fetchall() == [(second.sha256,)]


# ---------------------------------------------------------------- CSV quoting (RFC 4180)
QUOTED = {"cmc_event_routing": "action", "psb_household": "户籍地址"}


@pytest.mark.parametrize("feed_id", list(QUOTED))                     # CSV UTF-8, GBK
def test_quoted_fields_with_line_breaks_and_quotes_land_as_delivered(home, land, feed_id):
    lines = csv_text(feed_id, 4).splitlines()
    k = lines[0].split(",").index(QUOTED[feed_id])
    row = lines[1].split(",")
    row[k] = '"第一行\r\n第二行，含逗号, ""引号"""'
    lines[1] = ",".join(row)
    write_bytes(feed_id, home.inbox, encode(feed_id, "\r\n".join(lines) + "\r\n"))
    r = land(feed_id)
    assert (r.status, r.rows_read, r.rows_landed) == ("landed", 4, 4), r.message
    accounted(home, feed_id, r)
    df = raw(home, feed_id).sort("_row")
    name = registry.feed(feed_id).fields[k].name
    assert df[name][0] == '第一行\r\n第二行，含逗号, "引号"'
    assert df["_row"].to_list() == [2, 4, 5, 6]                       # line numbers: the record starts on line 2


@pytest.mark.parametrize("feed_id", list(QUOTED))
def test_a_stray_quote_refuses_the_feed_naming_file_and_line(home, land, feed_id):
    lines = csv_text(feed_id, 5).splitlines()
    k = lines[0].split(",").index(QUOTED[feed_id])
    row = lines[3].split(",")
    row[k] = '"未闭合的引号'
    lines[3] = ",".join(row)
    write_bytes(feed_id, home.inbox, encode(feed_id, "\n".join(lines) + "\n"))
    r = land(feed_id)
    refused(home, feed_id, r)
    assert "line 4" in r.message and "never closed" in r.message


def test_broken_quoting_inside_a_line_is_quarantined(home, land):
    lines = csv_text("cmc_event_routing", 3).splitlines()
    row = lines[2].split(",")
    row[3] = '"派单"再派单'                                             # text after the closing quote
    lines[2] = ",".join(row)
    write_bytes("cmc_event_routing", home.inbox, ("\n".join(lines) + "\n").encode())
    r = land("cmc_event_routing")
    accounted(home, "cmc_event_routing", r)
    q = quarantine(home, "cmc_event_routing")
    assert q["row_number"].to_list() == [3] and "quoting" in q["reason"][0]


def test_a_night_goes_on_after_reader_failures(home):
    """`citylake ingest` over the whole registry: an unreadable delivery is one failed feed
    with its file named; the feeds after it still land."""
    import typer
    from typer.testing import CliRunner

    from ingest.cli import ingest_cmd
    from synth import generate_city

    generate_city(home.inbox, 0.0005, DATE, seed=3, feeds=["cmc_event_routing", "gsb_licenses", "urban_cases"])
    lines = csv_text("cmc_event_routing", 5).splitlines()
    lines[3] = lines[3].replace(",", ',"', 1)                          # a stray opening quote
    write_bytes("cmc_event_routing", home.inbox, ("\n".join(lines) + "\n").encode())
    registry.feed("gsb_licenses").inbox_path(home.inbox, DATE).unlink()
    registry.feed("gsb_licenses").inbox_path(home.inbox, DATE).mkdir()  # a directory where the file should be
    app = typer.Typer()
    app.command("ingest")(ingest_cmd)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["ingest", "--date", DATE])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), (res.exception, res.output)
    for fid in ("cmc_event_routing", "gsb_licenses"):
        assert read_history(registry.feed(fid), home.raw)[-1]["status"] == "failed"
    assert "IsADirectoryError" in read_history(registry.feed("gsb_licenses"), home.raw)[-1]["message"]
    assert read_manifest(registry.feed("urban_cases"), home.raw, DATE)["status"] == "landed"


# ---------------------------------------------------------------- blanks made of Unicode spaces
BLANK = "\u2002\u3000\u2003\u2009"
BLANK_FIELD = {"urban_cases": "case_type", "hrss_employment": "employment_status", "culture_scenic_visits": "scenic_spot_name",
               "bdc_readings": "metric", "civil_subsidies": "subsidy_type"}


@pytest.mark.parametrize("feed_id", list(BLANK_FIELD))                # CSV UTF-8, GB18030, XLSX, JSONL, SQLite
def test_a_required_field_of_unicode_spaces_is_blank(home, land, feed_id):
    name = BLANK_FIELD[feed_id]
    feed = registry.feed(feed_id)
    assert feed.field(name).required
    if feed.format == "sqlite":
        path = sqlite_delivery(home.inbox)
        edit_sqlite(path, "UPDATE subsidy_payment SET subsidy_type = ? WHERE rowid = 2", (BLANK,))
    else:
        df = clean_frame(feed_id, 5)
        df = df.with_columns(pl.when(pl.int_range(pl.len()) == 1).then(pl.lit(BLANK)).otherwise(pl.col(name)).alias(name))
        write_frame(feed_id, home.inbox, df)
    r = land(feed_id)
    accounted(home, feed_id, r)
    q = quarantine(home, feed_id).filter(pl.col("field") == name)
    assert q["reason_code"].to_list() == ["missing_required"]
    assert json.loads(q["original"][0])[name] == BLANK                 # quarantined as delivered


# ---------------------------------------------------------------- strict JSON, numbers as delivered
@pytest.mark.parametrize("bad", [
    '{"reading_id": "R9", "sensor_id": "S1", "observed_at": "2026-11-01 08:00:00", "metric": "pm25", "value": 1,}',
    "{'reading_id': 'R9', 'sensor_id': 'S1'}",
    '{"reading_id": "R9", "sensor_id": "S1", "observed_at": "2026-11-01 08:00:00", "metric": "pm25", "value": NaN}',
    '{"reading_id": "R9", "reading_id": "R8", "sensor_id": "S1", "observed_at": "2026-11-01", "metric": "pm25", "value": 1}',
], ids=["trailing_comma", "single_quotes", "nan", "duplicate_key"])
def test_a_json_line_that_is_not_strict_json_is_quarantined(home, land, bad):
    path = write_clean("bdc_readings", home.inbox, n=3)
    path.write_text(path.read_text(encoding="utf-8") + bad + "\n", encoding="utf-8")
    r = land("bdc_readings")
    assert (r.rows_read, r.rows_landed, r.rows_quarantined) == (4, 3, 1)
    accounted(home, "bdc_readings", r)
    q = quarantine(home, "bdc_readings")
    assert q["reason_code"][0] == "malformed_line" and q["row_number"][0] == 4 and "JSON" in q["reason"][0]
    assert json.loads(q["original"][0])["line"] == bad


def test_json_numbers_land_as_delivered_text(home, land):
    values = ["1.10", "2.50", "-0.0", "12345678901234567890.50", "7"]
    lines = [f'{{"reading_id": "R{i}", "sensor_id": "S1", "observed_at": "2026-11-01 08:00:00", "metric": "pm25", '
             f'"value": {v}}}' for i, v in enumerate(values)]
    write_bytes("bdc_readings", home.inbox, ("\n".join(lines) + "\n").encode())
    r = land("bdc_readings")
    assert r.rows_landed == 5
    assert raw(home, "bdc_readings").sort("_row")["value"].to_list() == values


# ---------------------------------------------------------------- messages
@pytest.mark.parametrize("feed_id,enc_bad", [("urban_cases", "测".encode("gbk")), ("psb_household", b"\xff\xff"),
                                             ("bdc_readings", b"\xc3\x28")])
def test_an_encoding_refusal_names_the_line(home, land, feed_id, enc_bad):
    path = write_clean(feed_id, home.inbox, n=6)
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3][:5] + enc_bad + lines[3][5:]                    # line 4 of the file
    path.write_bytes(b"\n".join(lines))
    r = land(feed_id)
    refused(home, feed_id, r)
    assert "line 4" in r.message


def test_a_duplicate_key_reason_names_row_and_sheet_of_the_first(home, land):
    df = clean_frame("psb_house_numbers", 6)
    a, b = df.head(3), pl.concat([df.slice(3, 3), df.head(1)])
    path = registry.feed("psb_house_numbers").inbox_path(home.inbox, DATE)
    write_workbook(path, {"旌阳区": sheet_rows("psb_house_numbers", a), "广汉市": sheet_rows("psb_house_numbers", b)})
    r = land("psb_house_numbers")
    accounted(home, "psb_house_numbers", r)
    q = quarantine(home, "psb_house_numbers")
    assert q["reason_code"].to_list() == ["duplicate_key"] and q["source_file"][0].endswith("#广汉市")
    assert "first occurrence (row 4 of sheet '旌阳区')" in q["reason"][0]


# ---------------------------------------------------------------- quiet nights and notes sheets (registry)
def _header_only(home, feed_id):
    feed = registry.feed(feed_id)
    if feed.format == "csv":
        write_bytes(feed_id, home.inbox, encode(feed_id, csv_text(feed_id, 1).splitlines()[0] + "\n"))
    elif feed.format == "jsonl":
        write_bytes(feed_id, home.inbox, b"")
    else:
        write_workbook(feed.inbox_path(home.inbox, DATE), {"Sheet1": sheet_rows(feed_id, clean_frame(feed_id).clear())})


@pytest.mark.parametrize("feed_id", ["urban_cases", "health_births", "econ_subsidies"])   # CSV, JSONL, XLSX
def test_a_quiet_night_lands_no_rows_where_the_registry_allows_it(home, land, feed_id):
    assert registry.feed(feed_id).allow_no_rows
    _header_only(home, feed_id)
    r = land(feed_id)
    assert (r.status, r.rows_read) == ("landed", 0) and "no rows tonight" in r.message
    accounted(home, feed_id, r)
    assert raw(home, feed_id).columns[: len(registry.feed(feed_id).columns)] == registry.feed(feed_id).columns


@pytest.mark.parametrize("feed_id", ["water_river_levels", "bdc_readings", "culture_scenic_visits"])
def test_no_rows_is_refused_by_default(home, land, feed_id):
    assert not registry.feed(feed_id).allow_no_rows
    _header_only(home, feed_id)
    r = land(feed_id)
    refused(home, feed_id, r)
    assert "allow_no_rows" in r.message


@pytest.mark.parametrize("feed_id,allowed", [("culture_scenic_visits", False), ("econ_subsidies", True)])
def test_a_notes_sheet_is_refused_unless_the_registry_allows_it(home, land, feed_id, allowed):
    feed = registry.feed(feed_id)
    assert feed.allow_extra_sheets is allowed
    write_workbook(feed.inbox_path(home.inbox, DATE), {
        "数据": sheet_rows(feed_id, clean_frame(feed_id, 3)),
        "填报说明": [["填报说明"], ["1. 金额单位为万元；2. 日期格式 YYYY-MM-DD"]]})
    r = land(feed_id)
    if allowed:
        assert r.status == "landed" and r.rows_landed == 3
        accounted(home, feed_id, r)
        assert any("'填报说明' skipped" in d for d in r.schema_drift)
    else:
        refused(home, feed_id, r)
        assert "填报说明" in r.message and "allow_extra_sheets" in r.message


def test_registry_allows_no_rows_for_event_feeds_only(tmp_path):
    text = (registry.FEEDS_DIR / "stats.yaml").read_text(encoding="utf-8")
    (tmp_path / "stats.yaml").write_text(text.replace("    update_cycle:", "    allow_no_rows: true\n    update_cycle:", 1),
                                         encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="allow_no_rows is for event feeds only"):
        registry.load(tmp_path)
