"""Every quarantine reason, and rows read = landed + quarantined on dirty deliveries."""

from __future__ import annotations

import json

import polars as pl
from ingest_fixtures import DATE, csv_text, write_bytes

from ingest import registry
from synth.checkdigits import corrupt_check_char


def quarantine(home, feed_id, date=DATE):
    f = registry.feed(feed_id)
    return pl.read_parquet(home.quarantine / f.department.id / f.id / f"dt={date}" / "quarantine.parquet")


def household_lines(n=8):
    lines = csv_text("psb_household", n).splitlines()
    return lines[0], [line.split(",") for line in lines[1:]]


def deliver_household(home, head, rows, extra_lines=()):
    text = "\n".join([head, *(",".join(r) for r in rows), *extra_lines]) + "\n"
    write_bytes("psb_household", home.inbox, text.encode("gbk"))


def test_each_reason(home, land):
    head, rows = household_lines(8)
    cols = head.split(",")
    i = {c: cols.index(c) for c in cols}
    rows[0][i["姓名"]] = ""                                               # missing required
    rows[1][i["出生日期"]] = "2023-02-30"                                  # wrong type (no such date)
    rows[2][i["公民身份号码"]] = corrupt_check_char(pl.Series([rows[2][i["公民身份号码"]]]), "0123456789X")[0]
    rows[3][i["出生日期"]] = "２０２３年１０月１９日"                        # cosmetic: lands
    rows[4][i["姓名"]] = "\u3000" + rows[4][i["姓名"]] + " "                # cosmetic: lands
    dup = list(rows[5])                                                    # duplicate key (line 10)
    malformed = ",".join(rows[6]) + ",多余字段"                              # wrong column count (line 11)
    deliver_household(home, head, rows, [",".join(dup), malformed])
    r = land("psb_household")
    assert (r.rows_read, r.rows_landed, r.rows_quarantined) == (10, 5, 5)
    q = quarantine(home, "psb_household")
    got = dict(zip(q["row_number"].to_list(), q["reason_code"].to_list(), strict=False))
    assert got == {2: "missing_required", 3: "wrong_type", 4: "invalid_check_digit",
                   10: "duplicate_key", 11: "malformed_line"}
    assert set(q["reason_code"]) == {"missing_required", "wrong_type", "invalid_check_digit", "duplicate_key",
                                     "malformed_line"}
    byrow = {row["row_number"]: row for row in q.iter_rows(named=True)}
    assert byrow[2]["field"] == "person_name" and "姓名" in byrow[2]["reason"]
    assert byrow[3]["field"] == "birth_date" and "2023-02-30" in byrow[3]["reason"]
    assert "first occurrence (row 7)" in byrow[10]["reason"]
    assert "expected 12 fields" in byrow[11]["reason"] and "found 13" in byrow[11]["reason"]
    assert json.loads(byrow[2]["original"])["id_number"] == rows[0][i["公民身份号码"]]
    assert json.loads(byrow[11]["original"])["line"] == malformed          # the original text, verbatim
    assert (q["feed_id"] == "psb_household").all() and (q["dt"] == DATE).all()
    assert q["source_file"][0].startswith("psb/household_")


def test_wrong_type_number_and_uscc_check(home, land):
    lines = csv_text("hrss_employment", 4).splitlines()
    cols = lines[0].split(",")
    rows = [x.split(",") for x in lines[1:]]
    u = cols.index("用人单位信用代码")
    rows[0][u] = corrupt_check_char(pl.Series([rows[0][u]]), "0123456789ABCDEFGHJKLMNPQRTUWXY")[0]
    text = "\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n"
    write_bytes("hrss_employment", home.inbox, text.encode("gb18030"))
    r = land("hrss_employment")
    assert r.rows_quarantined == 1
    assert quarantine(home, "hrss_employment")["reason_code"][0] == "invalid_check_digit"

    lines = csv_text("water_river_levels", 3).splitlines()
    rows = [x.split(",") for x in lines[1:]]
    rows[1][4] = "约12"                                                  # water_level_m is a measure
    write_bytes("water_river_levels", home.inbox, ("\n".join([lines[0], *(",".join(x) for x in rows)]) + "\n").encode())
    r = land("water_river_levels")
    q = quarantine(home, "water_river_levels")
    assert r.rows_quarantined == 1 and q["reason_code"][0] == "wrong_type" and "约12" in q["reason"][0]


def test_rows_in_equal_landed_plus_quarantined_on_dirty_city(home, land):
    from synth import generate_city

    feeds = ["psb_household", "samr_entities", "psb_house_numbers", "bdc_readings", "hrss_insurance",
             "housing_passages"]
    written = generate_city(home.inbox, 0.001, DATE, seed=11, feeds=feeds)
    total_q = 0
    for fid in feeds:
        r = land(fid)
        assert r.status == "landed", r.message
        assert r.rows_read == r.rows_landed + r.rows_quarantined
        assert quarantine(home, fid).height == r.rows_quarantined
        raw = pl.read_parquet(registry.feed(fid).raw_dir(home.raw, DATE) / "part-0.parquet")
        assert raw.height == r.rows_landed
        if registry.feed(fid).format != "sqlite":                       # sqlite adds its initial load
            assert r.rows_read == written[fid]
        assert r.rows_landed >= 0.97 * r.rows_read                        # dirt is mostly cosmetic
        total_q += r.rows_quarantined
    assert total_q > 0
