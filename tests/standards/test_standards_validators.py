"""Validators: python-stdnum as an independent oracle, and SQL macros == Python mirrors."""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric as std_ric
from stdnum.cn import uscc as std_uscc

from standards import codesets
from standards import validators as v
from standards.macros import install_macros

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SQL = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-/:."}


def to_fullwidth(s: str) -> str:
    return "".join(FULLWIDTH.get(c, c) for c in s)


# ---------------------------------------------------------------- generators
def _loc_periods() -> list[tuple[str, int, int]]:
    """(code, first year, last year) of division codes as python-stdnum's loc.dat knows them."""
    out = []
    today = dt.date.today().year
    for r in codesets.codeset("ric_divisions"):
        if "stdnum" not in r["source"]:
            continue
        lo = int(r["valid_from"] or 1900)
        hi = int(r["valid_to"] or today)
        if r["source"] == "stdnum" or not r["valid_to"]:
            out.append((r["code"], max(lo, 1900), min(hi, today - 1)))
    return [p for p in out if p[1] <= p[2]]


PERIODS = _loc_periods()
# codes whose loc.dat entry lists one name, so every year in [lo, hi] is a year the code was in use
SIMPLE = sorted({p for p in PERIODS})


@st.composite
def valid_ric(draw) -> str:
    code, lo, hi = draw(st.sampled_from(SIMPLE))
    birth = draw(st.dates(min_value=dt.date(lo, 1, 1), max_value=min(dt.date(hi, 12, 31), dt.date.today())))
    seq = draw(st.integers(0, 999))
    body = f"{code}{birth:%Y%m%d}{seq:03d}"
    number = body + std_ric.calc_check_digit(body + "0")
    return number


def _std_ric_valid(number: str) -> bool:
    return std_ric.is_valid(number)


@st.composite
def mutated_ric(draw) -> str:
    number = draw(valid_ric())
    pos = draw(st.integers(0, 17))
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    new = draw(st.sampled_from([c for c in alphabet if c != number[pos]]))
    return number[:pos] + new + number[pos + 1:]


USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _gb11714_check(body: str) -> str:
    """Organisation code check character, written independently of standards.validators."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    c = 11 - sum(x * w for x, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


@st.composite
def valid_uscc(draw) -> str:
    head = draw(st.sampled_from("159")) + draw(st.sampled_from("123"))
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    org = draw(st.text(USCC_ALPHA, min_size=8, max_size=8))
    body = head + region + org + _gb11714_check(org)
    return body + std_uscc.calc_check_digit(body)


@st.composite
def mutated_uscc(draw) -> str:
    code = draw(valid_uscc())
    pos = draw(st.integers(0, 17))
    new = draw(st.sampled_from([c for c in USCC_ALPHA if c != code[pos]]))
    return code[:pos] + new + code[pos + 1:]


@st.composite
def presented(draw, inner) -> str:
    """The same value as departments send it: lower-case x, full-width, padded with spaces."""
    s = draw(inner)
    if draw(st.booleans()):
        s = s.lower()
    if draw(st.booleans()):
        s = to_fullwidth(s)
    return draw(st.sampled_from(["", " ", "\u3000", "\t"])) + s + draw(st.sampled_from(["", " ", "\u3000"]))


junk_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24)
digits_text = st.text(alphabet="0123456789Xx -/年月日时分秒:.TＸ０１２３", max_size=22)


@st.composite
def date_text(draw) -> str:
    y = draw(st.integers(990, 3001))
    m = draw(st.integers(0, 13))
    d = draw(st.integers(0, 32))
    style = draw(st.sampled_from(["iso", "slash", "dot", "compact", "zh", "nopad"]))
    if style == "iso":
        s = f"{y:04d}-{m:02d}-{d:02d}"
    elif style == "slash":
        s = f"{y}/{m:02d}/{d:02d}"
    elif style == "dot":
        s = f"{y}.{m}.{d}"
    elif style == "compact":
        s = f"{y:04d}{m:02d}{d:02d}"
    elif style == "zh":
        s = f"{y}年{m}月{d}日"
    else:
        s = f"{y}-{m}-{d}"
    if draw(st.booleans()):
        h, mi, sec = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
        t = draw(st.sampled_from([f" {h:02d}:{mi:02d}:{sec:02d}", f"T{h}:{mi:02d}", f" {h}时{mi}分",
                                  f" {h:02d}:{mi:02d}:{sec:02d}.{draw(st.integers(0, 999999))}",
                                  f"{h:02d}{mi:02d}{sec:02d}"]))
        s += t
    if draw(st.booleans()):
        s = to_fullwidth(s)
    return s


phone_text = st.one_of(
    st.from_regex(r"(\+86|0086|86)?-?1[0-9]{10}", fullmatch=True),
    st.from_regex(r"\(?0[0-9]{2,3}\)?-?[0-9]{6,9}((-|转)[0-9]{1,7})?", fullmatch=True),
    st.text("0123456789-+() 转", max_size=16),
)


# ---------------------------------------------------------------- oracle properties
@FAST
@given(presented(valid_ric()))
def test_valid_ric_passes_both(number):
    n = v.ric_normalize(number)
    assert _std_ric_valid(n)
    assert v.ric_valid(number), v.ric_reason(number)


@FAST
@given(mutated_ric())
def test_mutated_ric_fails_both(number):
    assert not _std_ric_valid(number)
    assert v.ric_valid(number) is False


@FAST
@given(presented(valid_uscc()))
def test_valid_uscc_passes_both(code):
    assert std_uscc.is_valid(v.uscc_normalize(code))
    assert v.uscc_valid(code), v.uscc_reason(code)


@FAST
@given(mutated_uscc())
def test_mutated_uscc_fails_both(code):
    assert not std_uscc.is_valid(code)
    assert v.uscc_valid(code) is False


@FAST
@given(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=19))
def test_uscc_accepted_only_if_stdnum_accepts(code):
    if v.uscc_valid(code):
        assert std_uscc.is_valid(code)


# ---------------------------------------------------------------- SQL macros == Python mirrors
def _agree(sql_map, macro: str, values: list) -> None:
    got = sql_map(macro, values)
    want = [v.MIRRORS[macro](x) for x in values]
    for x, g, w in zip(values, got, want, strict=True):
        assert g == w, f"{macro}({x!r}): SQL {g!r} != Python {w!r}"


RIC_INPUTS = st.lists(st.one_of(presented(valid_ric()), mutated_ric(), digits_text, junk_text), min_size=1, max_size=60)
USCC_INPUTS = st.lists(st.one_of(presented(valid_uscc()), mutated_uscc(), junk_text,
                                 st.text(USCC_ALPHA + "IOSVZ iosvz", min_size=16, max_size=19)), min_size=1, max_size=60)


@SQL
@given(RIC_INPUTS)
def test_sql_and_python_agree_on_id_numbers(sql_map, values):
    for macro in ("cl_ric_normalize", "cl_ric_reason", "cl_ric_valid", "cl_ric_birth_date", "cl_ric_sex"):
        _agree(sql_map, macro, values)


@SQL
@given(USCC_INPUTS)
def test_sql_and_python_agree_on_uscc(sql_map, values):
    for macro in ("cl_uscc_normalize", "cl_uscc_reason", "cl_uscc_valid", "cl_org_code_valid"):
        _agree(sql_map, macro, values)


@SQL
@given(st.lists(st.one_of(date_text(), digits_text, junk_text), min_size=1, max_size=60))
def test_sql_and_python_agree_on_dates(sql_map, values):
    for macro in ("cl_parse_date", "cl_parse_timestamp"):
        _agree(sql_map, macro, values)


@SQL
@given(st.lists(st.one_of(phone_text, junk_text), min_size=1, max_size=60))
def test_sql_and_python_agree_on_phones(sql_map, values):
    for macro in ("cl_mobile_valid", "cl_fixed_phone_valid", "cl_phone_valid", "cl_phone_normalize"):
        _agree(sql_map, macro, values)


@FAST
@given(st.lists(st.one_of(junk_text, digits_text, st.from_regex(r" ?[+-]?[0-9,]{1,8}(\.[0-9]{1,3})?元?", fullmatch=True),
                          st.sampled_from(["是", "否", "Y", "n", "TRUE", "0", "1", "3511", "510603", "99"])),
                min_size=1, max_size=60))
def test_sql_and_python_agree_on_text_helpers(sql_map, values):
    for macro in ("cl_halfwidth", "cl_clean", "cl_parse_number", "cl_parse_bool", "cl_division_valid",
                  "cl_industry_valid", "cl_industry_section"):
        _agree(sql_map, macro, values)


def test_every_macro_has_a_mirror(conn):
    from standards.macros import macro_names

    assert set(macro_names(conn)) == set(v.MIRRORS)


# ---------------------------------------------------------------- examples
@pytest.mark.parametrize(("text", "expected"), [
    ("2023-10-19", dt.date(2023, 10, 19)),
    ("2023/10/19", dt.date(2023, 10, 19)),
    ("20231019", dt.date(2023, 10, 19)),
    ("2023年10月19日", dt.date(2023, 10, 19)),
    ("２０２３年１０月１９日", dt.date(2023, 10, 19)),
    ("２０２３－１０－１９", dt.date(2023, 10, 19)),
    ("2023.1.9", dt.date(2023, 1, 9)),
    (" 2023-10-19 08:30:00 ", dt.date(2023, 10, 19)),
    ("2023-02-29", None),
    ("2023-13-01", None),
    ("19.10.2023", None),
    ("", None),
    (None, None),
])
def test_date_formats(sql_map, text, expected):
    assert v.parse_date(text) == expected
    assert sql_map("cl_parse_date", [text]) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("2023-10-19 08:30:15", dt.datetime(2023, 10, 19, 8, 30, 15)),
    ("2023/10/19 8:30", dt.datetime(2023, 10, 19, 8, 30)),
    ("20231019083015", dt.datetime(2023, 10, 19, 8, 30, 15)),
    ("2023-10-19T08:30:15.25", dt.datetime(2023, 10, 19, 8, 30, 15, 250000)),
    ("2023年10月19日 08时30分", dt.datetime(2023, 10, 19, 8, 30)),
    ("2023-10-19", dt.datetime(2023, 10, 19)),
    ("2023-10-19 24:00", None),
])
def test_timestamp_formats(sql_map, text, expected):
    assert v.parse_timestamp(text) == expected
    assert sql_map("cl_parse_timestamp", [text]) == [expected]


def test_fullwidth(sql_map):
    s = "ＡＢＣ　１２３－ｘ（）"
    assert v.halfwidth(s) == "ABC 123-x()"
    assert sql_map("cl_halfwidth", [s]) == ["ABC 123-x()"]
    assert v.clean("\u3000 ＡＢ \t") == "AB" and v.clean("　") is None
    assert v.ric_normalize("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


@pytest.mark.parametrize(("number", "reason"), [
    ("11010519491231002X", None),
    ("11010519491231002x", None),
    ("412723199001010015", None),       # Zhoukou code abolished in 2000: still a valid number
    ("11010519491231002", "length"),
    ("1101051949123100A2", "format"),
    ("110105194912310021", "check_char"),
    ("110105194902300025", "birth_date"),   # 30 February
    ("000000199001010011", "division"),
])
def test_ric_reasons(sql_map, number, reason):
    if reason is None and number.startswith("4127"):
        number = number[:17] + v.ric_check_char(number)
    if reason == "birth_date":
        number = number[:17] + v.ric_check_char(number)
    if reason == "division":
        number = number[:17] + v.ric_check_char(number)
    assert v.ric_reason(number) == reason
    assert sql_map("cl_ric_reason", [number]) == [reason]


def test_ric_future_birth_date_is_invalid_though_stdnum_accepts_it():
    future = dt.date.today().year + 2
    body = f"510603{future}0101001"
    number = body + v.ric_check_char(body)
    assert v.ric_reason(number) == "birth_date"


def test_ric_helpers_and_crosscheck(sql_map, conn):
    n = "11010519491231002X"
    assert v.ric_birth_date(n) == dt.date(1949, 12, 31) and v.ric_sex(n) == "2"
    assert sql_map("cl_ric_birth_date", [n]) == [dt.date(1949, 12, 31)]
    assert v.ric_crosscheck(n, "1949-12-31", "2") is None
    assert v.ric_crosscheck(n, "1949年12月30日", "2") == "birth_date_mismatch"
    assert v.ric_crosscheck(n, dt.date(1949, 12, 31), "1") == "sex_mismatch"
    assert v.ric_crosscheck(n, None, "9") is None
    rows = conn.execute(
        "SELECT cl_ric_crosscheck(?, '1949-12-31', '2'), cl_ric_crosscheck(?, '1949年12月30日', '2'), "
        "cl_ric_crosscheck(?, DATE '1949-12-31', '1'), cl_ric_crosscheck(?, NULL, '9')", [n, n, n, n]).fetchone()
    assert rows == (None, "birth_date_mismatch", "sex_mismatch", None)


@pytest.mark.parametrize(("code", "reason"), [
    ("91110000600037341L", None),
    ("91110000600037341l", None),
    ("9111000060003734", "length"),
    ("91110000600O37341L", "charset"),
    ("B1110000600037341L", "format"),
    ("90110000600037341L", "format"),
    ("91110000600037342L", "check_char"),
])
def test_uscc_reasons(sql_map, code, reason):
    assert v.uscc_reason(code) == reason
    assert sql_map("cl_uscc_reason", [code]) == [reason]


def test_uscc_org_code_check_goes_beyond_stdnum(sql_map):
    org = "60003734"
    wrong = "2" if _gb11714_check(org) != "2" else "3"
    body = "911100" + "00" + org + wrong
    code = body + std_uscc.calc_check_digit(body)
    assert std_uscc.is_valid(code)                 # stdnum checks only the final check character
    assert v.uscc_reason(code) == "org_code"
    assert sql_map("cl_uscc_reason", [code]) == ["org_code"]
    assert v.org_code_valid("60003734-1") and not v.org_code_valid("60003734-2")


@pytest.mark.parametrize(("text", "mobile", "phone", "normal"), [
    ("13812345678", True, True, "13812345678"),
    ("+86 138 1234 5678", True, True, "13812345678"),
    ("１３８１２３４５６７８", True, True, "13812345678"),
    ("0838-2345678", False, True, "0838-2345678"),
    ("(0838)2345678", False, True, "0838-2345678"),
    ("010-62345678转123", False, True, "010-62345678-123"),
    ("12812345678", False, False, None),
    ("0838-0345678", False, False, None),
    ("12345", False, False, None),
])
def test_phones(sql_map, text, mobile, phone, normal):
    assert (v.mobile_valid(text), v.phone_valid(text), v.phone_normalize(text)) == (mobile, phone, normal)
    assert sql_map("cl_mobile_valid", [text]) == [mobile]
    assert sql_map("cl_phone_valid", [text]) == [phone]
    assert sql_map("cl_phone_normalize", [text]) == [normal]


def test_codeset_macros(conn):
    row = conn.execute("SELECT cl_in_codeset('sex', '1'), cl_in_codeset('sex', '3'), cl_in_codeset('sex', NULL), "
                       "cl_code_name('ethnic', '01'), cl_division_valid('510603001'), cl_division_valid('519999'), "
                       "cl_industry_section('3511')").fetchone()
    assert row == (True, False, None, "汉族", True, False, "C")


def test_macros_survive_use_lake(tmp_path):
    """TEMP macros and lookups stay resolvable after attaching another catalog and USE-ing it."""
    c = duckdb.connect()
    install_macros(c)
    c.execute(f"ATTACH '{tmp_path / 'other.duckdb'}' AS lake")
    c.execute("CREATE SCHEMA lake.ref")
    c.execute("USE lake")
    assert c.execute("SELECT cl_ric_valid('11010519491231002X'), cl_ric_reason('000000199001010011')").fetchone() \
        == (True, "check_char")
    assert c.execute("SELECT cl_in_codeset('sex', '2')").fetchone() == (True,)


def test_install_is_fast():
    c = duckdb.connect()
    install_macros(c)  # warm file caches
    c2 = duckdb.connect()
    t = time.process_time()  # CPU time of all threads: robust to a busy machine, unlike wall time
    install_macros(c2)
    assert time.process_time() - t < 0.5  # ~0.25 s on an idle machine
