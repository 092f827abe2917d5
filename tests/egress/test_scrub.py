"""Free text, raw lines and keys: no ID number or mobile survives, valid check digit or not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egress.scrub import scrub_raw_line, scrub_text, visible

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_RE = re.compile(r"\d{17}[\dXx]")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def ric(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


VALID = ric("51060319900101123")
NEAR = VALID[:-1] + ("0" if VALID[-1] != "0" else "1")
FULL_WIDTH = VALID.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})


@pytest.mark.parametrize("text", [
    f"id_number fails the GB 11643 ID-number check: {NEAR}",     # a reason quoting a near-valid ID
    f"student_id=G{VALID}",                                        # a key embedding an ID
    f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}",                     # spaced out
    f"号码{FULL_WIDTH}。",                                          # full-width digits
    f"x{VALID}1",                                                  # inside a longer run
    f"{VALID}13812345678",                                         # run together with a mobile
])
def test_id_like_runs_are_masked_valid_or_not(text):
    out = scrub_text(text)
    assert not ID_RE.search(out.replace(" ", "")) and VALID[:6] + "********" in out.replace("５１０６０３", "510603")


@pytest.mark.parametrize("text", ["请回电13812345678谢谢", "tel +86 138-1234-5678", "138 1234 5678", "１３８１２３４５６７８"])
def test_mobiles_are_masked(text):
    out = scrub_text(text)
    assert "138****5678" in out and not MOBILE_RE.search(re.sub(r"[-\s]", "", out))


def test_codes_that_are_not_personal_are_left_alone():
    for text in ("household 51060310100000320", "passage P20261125000003653", "row 2026-11-25 22:48:05",
                 "rows 6906, 6907, 6908", "township 510603001", "landline 0838-2345678"):
        assert scrub_text(text) == text


def test_known_values_of_the_row_are_replaced_by_their_masked_form():
    assert scrub_text("出生日期 is not a date: 1990-13-45; 姓名 欧阳娜娜", {"1990-13-45": "***", "欧阳娜娜": "欧***"}) \
        == "出生日期 is not a date: ***; 姓名 欧***"


def test_raw_lines_are_masked_field_by_field():
    line = f"{VALID},李婷德,1,19820318,01,51062312000001311,10,510623120,四川省德阳市中江县万福镇八一北路2号,40,15361466604,1982-03-26,多余字段"
    out = scrub_raw_line(line)
    for personal in (VALID, "李婷德", "八一北路2号", "15361466604", "19820318", "03-26"):
        assert personal not in out, personal
    assert out.startswith("510603********") and "李**" in out and "四川省德阳市中江县万福镇八一北路***" in out
    json_line = f'{{"name": "欧阳娜娜", "id": "{NEAR}", "addr": "泰山北路188号",'
    out = scrub_raw_line(json_line)
    assert "欧阳娜娜" not in out and NEAR not in out and "188号" not in out and '"name": ' in out


@given(st.lists(st.sampled_from([VALID, NEAR, "13812345678", "张三", ",", " ", "a", "1", "\u3000"]), max_size=12))
def test_no_id_or_mobile_survives_any_mix(parts):
    text = "".join(parts)
    for out in (scrub_text(text), scrub_raw_line(text)):
        assert not ID_RE.search(out) and not MOBILE_RE.search(out), (text, out)


def test_invisible_characters_are_made_visible():
    assert visible("01\u3000") == "01⎵"
    assert visible(" 01 ") == "␠01␠"
    assert visible("01\u200b\u00a0\t") == "01⟨U+200B⟩⟨U+00A0⟩⟨U+0009⟩"
    assert visible("张 三") == "张 三" and visible("  ") == "␠␠" and visible(7) == 7
