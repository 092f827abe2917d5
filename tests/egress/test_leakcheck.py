from __future__ import annotations

import copy
import json

import catalog_fixture as fx
import polars as pl
import pytest

from catalogs import publish
from egress import leakcheck


@pytest.fixture
def catalog(shared):
    return copy.deepcopy(shared[2])


@pytest.fixture
def conn(shared):
    return shared[1]


def _leaking_frame():
    return pl.DataFrame({"ref": [fx.IDS[3], "x"], "note": [f"请回电{fx.PHONES[4]}谢谢", "ok"],
                         "who": [fx.NAMES[5], "某某"], "n": [1, 2]})


@pytest.mark.parametrize("fmt", ["parquet", "csv", "xlsx", "jsonld"])
def test_leak_check_catches_id_mobile_and_name_in_every_format(conn, catalog, tmp_path, fmt):
    df = _leaking_frame()
    path = tmp_path / f"pkg.{fmt}"
    if fmt == "parquet":
        df.write_parquet(path)
    elif fmt == "csv":
        df.write_csv(path)
    elif fmt == "xlsx":
        df.write_excel(path)
    else:
        path.write_text(json.dumps({"@graph": df.to_dicts()}, ensure_ascii=False))
    findings = leakcheck.scan(conn, [leakcheck.Target(path)], catalog)
    assert {f.check for f in findings} == {"id_number", "mobile", "name"}
    with pytest.raises(leakcheck.LeakError):
        leakcheck.check(conn, [leakcheck.Target(path)], catalog)


def test_leak_check_passes_masked_data_and_flags_not_shared_columns(conn, catalog, tmp_path):
    publish.install_masking(conn)
    masked = conn.execute(
        "select cat_mask_id_number($id) as ref, cat_scrub_text($note) as note, cat_mask_name($who) as who",
        {"id": fx.IDS[3], "note": f"请回电{fx.PHONES[4]}", "who": fx.NAMES[5]}).pl()
    path = tmp_path / "masked.parquet"
    masked.write_parquet(path)
    assert leakcheck.scan(conn, [leakcheck.Target(path)], catalog) == []
    # an ID-shaped string with a wrong check character is not personal data
    bad = fx.IDS[3][:-1] + ("0" if fx.IDS[3][-1] != "0" else "1")
    pl.DataFrame({"ref": [bad], "code": ["91510600MA62ABCD1X"]}).write_csv(tmp_path / "ok.csv")
    assert leakcheck.scan(conn, [leakcheck.Target(tmp_path / "ok.csv")], catalog) == []
    # a not-shared item present as a column fails even when its values look harmless
    t = leakcheck.Target(path, forbidden_columns={"who"}, allowed_columns={"ref", "note"})
    assert {(f.check, f.column) for f in leakcheck.scan(conn, [t], catalog)} == {("not_shared_item", "who")}


def test_a_large_measure_is_not_a_mobile_number(tmp_path):
    """Indicator values such as 13912345699.5 (yuan) must not be taken for phone numbers,
    while a phone number in text still is."""
    import duckdb

    from egress.leakcheck import Target, scan_file

    path = tmp_path / "series.csv"
    path.write_text("indicator_id,value,note\nfiscal_revenue,13912345699.5,ok\n"
                    "hotline,1,call 13912345699 now\n", encoding="utf-8")
    findings = scan_file(duckdb.connect(), Target(path))
    assert [(f.check, f.column) for f in findings] == [("mobile", "note")]


def test_typed_columns_that_cannot_hold_personal_data_are_not_scanned_the_rest_are(conn, catalog, tmp_path):
    assert [leakcheck.can_hold_personal_data(t) for t in ("DATE", "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "TIME",
                                                          "INTEGER", "SMALLINT", "UINTEGER")] == [False] * 7
    assert all(leakcheck.can_hold_personal_data(t) for t in ("VARCHAR", "BIGINT", "UBIGINT", "HUGEINT", "INT128",
                                                             "DECIMAL(18,2)", "DOUBLE", "FLOAT", "VARCHAR[]"))
    # the widest 32-bit integers print with 10 digits: no mobile (11) nor ID number (17) fits
    assert max(len(str(v).lstrip("-")) for v in (2**32 - 1, -(2**31))) == 10
    path = tmp_path / "typed.parquet"
    conn.execute(f"copy (select date '2026-11-25' as day, true as flag, {fx.PHONES[4][:11]}::bigint as phone, "
                 f"'{fx.IDS[3]}' as ref) to '{path}' (format parquet)")
    found = {(f.check, f.column) for f in leakcheck.scan(conn, [leakcheck.Target(path)], catalog)}
    assert found == {("mobile", "phone"), ("id_number", "ref")}      # a number column is still scanned
    only_dates = tmp_path / "dates.parquet"
    conn.execute(f"copy (select date '2026-11-25' as day) to '{only_dates}' (format parquet)")
    assert leakcheck.scan(conn, [leakcheck.Target(only_dates)], catalog) == []


def test_without_the_name_check_only_columns_with_an_11_digit_run_are_scanned(tmp_path):
    """The number checks need 11 digits in a row (full-width ones count): the other columns are never unpivoted,
    and what the full scan would find is still found."""
    import duckdb

    from egress.leakcheck import Target, candidates, scan_file

    conn = duckdb.connect()
    full_width = fx.IDS[3].translate(str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ"))
    path = tmp_path / "mixed.parquet"
    pl.DataFrame({"ref": ["x", full_width], "note": [f"call {fx.PHONES[4]} now", None],
                  "ten": ["1391234569", "no"], "code": ["91510600MA62ABCD1X", "510603"],
                  "who": [fx.NAMES[5], "某某"]}).write_parquet(path)
    cols = ["ref", "note", "ten", "code", "who"]
    assert candidates(conn, f"read_parquet('{path}')", cols) == ["ref", "note"]
    assert {(f.check, f.column) for f in scan_file(conn, Target(path))} == {("id_number", "ref"), ("mobile", "note")}
    assert candidates(conn, f"read_parquet('{path}')", []) == []


def test_a_page_in_memory_is_judged_as_its_file_would_be(tmp_path):
    """scan_values (a data-service page, Python's `re`) and scan_file (DuckDB) run the same patterns: on a corpus
    of tricky cells they find the same (check, column) pairs; the columns granted in clear are skipped."""
    import duckdb

    from egress.leakcheck import Target, scan_file, scan_values

    wide = fx.IDS[3].translate(str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ"))
    columns = {
        "id_alone": [fx.IDS[3], None], "id_in_text": [f"身份证{fx.IDS[3]}。", "x"], "id_full_width": [wide, "-"],
        "id_bad_check": [fx.IDS[3][:-1] + ("0" if fx.IDS[3][-1] != "0" else "1"), "y"],
        "id_in_longer_run": ["9" + fx.IDS[3], "z"], "mobile_alone": [fx.PHONES[4], "1"],
        "mobile_in_text": [f"请回电{fx.PHONES[4]}谢谢", ""], "mobile_decimal": ["13912345699.5", "0"],
        "mobile_in_token": ["A13912345699", "B"], "twelve_digits": ["139123456990", "c"],
        "masked": ["510603********1234", "139****5699"], "uscc": ["91510600MA62ABCD1X", "915106000000000001"],
        "granted": [fx.IDS[3], fx.PHONES[4]]}
    path = tmp_path / "page.parquet"
    pl.DataFrame(columns).write_parquet(path)
    target = Target(path, unmasked_columns={"granted"})
    on_file = {(f.check, f.column) for f in scan_file(duckdb.connect(), target)}
    in_memory = {(f.check, f.column) for f in scan_values("page", columns, target)}
    assert in_memory == on_file == {("id_number", "id_alone"), ("id_number", "id_in_text"),
                                    ("id_number", "id_full_width"), ("mobile", "mobile_alone"),
                                    ("mobile", "mobile_in_text")}
    assert {(f.check, f.column) for f in scan_values("page", columns, Target(path))} == on_file | {
        ("id_number", "granted"), ("mobile", "granted")}


def test_a_page_is_checked_for_the_populations_full_names_masked_names_and_words_pass():
    """Names (the page check's population names): a cell equal to a held full name is found, in any column but the
    ones granted in clear; a masked name (张*), a lone surname, a longer text holding a name, other words and
    non-text cells pass; masked or one-character values of the population are never held as names."""
    from pathlib import Path

    import pyarrow as pa

    from egress.leakcheck import Names, Target, scan_values

    names = Names.of(pa.array(["李四", "王小明", "阿卜杜热合曼·买买提", "张*", "赵", None, "李四"]))
    cells = ["李四", "张*", "李*", "赵", "李", "无", "财务部", "李四四", "王小明 ", "联系人王小明", "阿卜杜热合曼·买买提",
             "阿卜杜热合曼·买买提·艾力", 12, None, {"flag": "存疑"}, ""]
    assert names.found(cells) == ["李四", "阿卜杜热合曼·买买提"]
    assert Names.of(pa.array([], pa.string())).found(["李四", "a", ""]) == []
    columns = {"who": ["张*", "李*"], "note": ["无", "王小明"], "granted": ["李四"]}
    found = scan_values("page", columns, Target(Path("page"), unmasked_columns={"granted"}), names)
    assert [(f.check, f.column, f.hits) for f in found] == [("name", "note", 1)] and "王小明" not in found[0].example
    assert scan_values("page", columns, Target(Path("page"), unmasked_columns={"granted"})) == []
