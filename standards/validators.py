"""Python mirrors of the ``cl_*`` DuckDB macros in ``standards/macros.sql``.

Same names without the ``cl_`` prefix, same semantics (tests/standards checks that
both give the same answer on generated inputs). A ``None`` or blank input gives
``None`` (not judged), as the SQL macros give NULL.
"""

from __future__ import annotations

import datetime as dt
import re

from standards import codesets

# ---------------------------------------------------------------- text
_FULLWIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
_TRIM = " \t\n\r\xa0"


def halfwidth(s: str | None) -> str | None:
    """Full-width ASCII variants (U+FF01..U+FF5E) and U+3000 -> half-width."""
    return None if s is None else str(s).translate(_FULLWIDTH)


def clean(s: str | None) -> str | None:
    """Half-width, trimmed (spaces, tabs, newlines, no-break spaces), blank -> None."""
    h = halfwidth(s)
    if h is None:
        return None
    h = h.strip(_TRIM)
    return h or None


# ---------------------------------------------------------------- dates and times
_SEPARATED = re.compile(
    r"([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[ T]+([01]?[0-9]|2[0-3]):([0-5]?[0-9])(?::([0-5]?[0-9])(?:\.([0-9]{1,6}))?)?)?")
_COMPACT = re.compile(r"([12][0-9]{3})([0-9]{2})([0-9]{2})(?:[ T]?([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])?)?")


def _datetime_text(s: str | None) -> str | None:
    t = clean(s)
    if t is None:
        return None
    t = re.sub(r"[年月/]", "-", t)
    t = t.replace("日", " ")
    t = re.sub(r"[时分]", ":", t)
    t = t.replace("秒", "")
    t = re.sub(r"^([12][0-9]{3})\.([0-9]{1,2})\.([0-9]{1,2})", r"\1-\2-\3", t, count=1)
    if t.endswith(":"):
        t = t[:-1]
    return t.strip(" ")


def parse_timestamp(s: str | None) -> dt.datetime | None:
    """Timestamp from the shapes departments send; a date alone gives midnight; None if unparseable."""
    t = _datetime_text(s)
    if t is None:
        return None
    m = _SEPARATED.fullmatch(t) or _COMPACT.fullmatch(t)
    if not m:
        return None
    g = list(m.groups()) + [None] * (7 - len(m.groups()))
    y, mo, d, hh, mi, ss, ff = g
    try:
        return dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0),
                           int((ff or "").ljust(6, "0")))
    except ValueError:
        return None


def parse_date(s: str | None) -> dt.date | None:
    """Date from '2023-10-19', '2023/10/19', '20231019', '2023年10月19日' (full-width digits too)."""
    ts = parse_timestamp(s)
    return None if ts is None else ts.date()


# ---------------------------------------------------------------- numbers, flags
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def parse_number(s: str | None) -> float | None:
    t = clean(s)
    if t is None:
        return None
    t = re.sub(r"[,元]", "", t)
    return float(t) if _NUMBER.fullmatch(t) else None


def parse_bool(s: str | None) -> bool | None:
    t = clean(s)
    if t is None:
        return None
    t = t.lower()
    if t in ("是", "1", "y", "yes", "t", "true"):
        return True
    if t in ("否", "0", "n", "no", "f", "false"):
        return False
    return None


# ---------------------------------------------------------------- code sets
def in_codeset(set_name: str, value: str | None) -> bool | None:
    v = clean(value)
    if v is None:
        return None
    try:
        return v in codesets.codes(set_name)
    except codesets.CodesetError:
        return False


def division_valid(s: str | None) -> bool | None:
    """GB/T 2260 division code in the 2023 list (Deyang townships included)."""
    return in_codeset("admin_divisions", s)


def industry_valid(s: str | None) -> bool | None:
    v = clean(s)
    if v is None:
        return None
    return bool(re.fullmatch(r"[0-9]{2,4}", v)) and v[:2] in codesets.codes("industry")


def industry_section(s: str | None) -> str | None:
    if not industry_valid(s):
        return None
    v = clean(s)
    assert v is not None
    return next(r["section"] for r in codesets.codeset("industry") if r["code"] == v[:2])


# ---------------------------------------------------------------- resident ID number (GB 11643)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
_RIC_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
RIC_REASONS = {
    "length": "not 18 characters",
    "format": "17 digits followed by a digit or X expected",
    "check_char": "check character does not match (GB 11643)",
    "birth_date": "digits 7-14 are not a real birth date between 1850 and today",
    "division": "digits 1-6 are not a division code that exists or once existed (GB/T 2260)",
}


def ric_normalize(s: str | None) -> str | None:
    """Half-width, trimmed, inner spaces removed, lowercase x -> X."""
    c = clean(s)
    return None if c is None else c.replace(" ", "").replace("x", "X") or None


def ric_check_char(first17: str) -> str:
    return RIC_CHECK[sum(int(c) * w for c, w in zip(first17[:17], RIC_WEIGHTS, strict=True)) % 11]


def ric_birth_date(s: str | None) -> dt.date | None:
    n = ric_normalize(s)
    if n is None or not _RIC_SHAPE.fullmatch(n):
        return None
    try:
        d = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None
    return d if dt.date(1850, 1, 1) <= d <= dt.date.today() else None


def ric_sex(s: str | None) -> str | None:
    """'1' (male, odd 17th digit) or '2' (female), GB/T 2261.1."""
    n = ric_normalize(s)
    if n is None or not _RIC_SHAPE.fullmatch(n):
        return None
    return "1" if int(n[16]) % 2 == 1 else "2"


def ric_reason(s: str | None) -> str | None:
    """None when valid (or blank), else 'length' | 'format' | 'check_char' | 'birth_date' | 'division'."""
    n = ric_normalize(s)
    if n is None:
        return None
    if len(n) != 18:
        return "length"
    if not _RIC_SHAPE.fullmatch(n):
        return "format"
    if ric_check_char(n) != n[17]:
        return "check_char"
    if ric_birth_date(n) is None:
        return "birth_date"
    if n[:6] not in codesets.codes("ric_divisions"):
        return "division"
    return None


def ric_valid(s: str | None) -> bool | None:
    return None if ric_normalize(s) is None else ric_reason(s) is None


def ric_crosscheck(s: str | None, birth_date: object, sex_code: str | None) -> str | None:
    """'birth_date_mismatch' | 'sex_mismatch' against separately delivered fields, else None."""
    bd = ric_birth_date(s)
    other = birth_date if isinstance(birth_date, dt.date) else parse_date(None if birth_date is None else str(birth_date))
    if isinstance(other, dt.datetime):
        other = other.date()
    if bd is not None and other is not None and bd != other:
        return "birth_date_mismatch"
    sex = ric_sex(s)
    sc = clean(sex_code)
    if sex is not None and sc in ("1", "2") and sex != sc:
        return "sex_mismatch"
    return None


# ---------------------------------------------------------------- USCC (GB 32100) and organisation code (GB 11714)
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_CHARSET = re.compile(r"[0-9A-HJ-NP-RTUWXY]{18}")
_USCC_FORMAT = re.compile(r"[1-9ANY][1-9][0-9]{6}.{10}")
USCC_REASONS = {
    "length": "not 18 characters",
    "charset": "characters outside 0-9 and A-Y less I O S V Z",
    "format": "registering authority [1-9ANY], category [1-9] and a 6-digit division code expected",
    "check_char": "check character does not match (GB 32100)",
    "org_code": "embedded organisation code (characters 9-17) fails its GB 11714 check",
}


def uscc_normalize(s: str | None) -> str | None:
    """Half-width, trimmed, inner spaces removed, ASCII letters upper-cased."""
    c = clean(s)
    return None if c is None else c.replace(" ", "").translate(_ASCII_UPPER) or None


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17[:17], USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8[:8], ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def org_code_valid(s: str | None) -> bool | None:
    """GB 11714 organisation code, e.g. '60003734-1'."""
    c = clean(s)
    if c is None:
        return None
    n = c.replace("-", "").upper()
    return bool(re.fullmatch(r"[0-9A-Z]{8}[0-9X]", n)) and org_check_char(n[:8]) == n[8]


def uscc_reason(s: str | None) -> str | None:
    """None when valid (or blank), else 'length' | 'charset' | 'format' | 'check_char' | 'org_code'."""
    n = uscc_normalize(s)
    if n is None:
        return None
    if len(n) != 18:
        return "length"
    if not _USCC_CHARSET.fullmatch(n):
        return "charset"
    if not _USCC_FORMAT.fullmatch(n):
        return "format"
    if uscc_check_char(n) != n[17]:
        return "check_char"
    if org_check_char(n[8:16]) != n[16]:
        return "org_code"
    return None


def uscc_valid(s: str | None) -> bool | None:
    return None if uscc_normalize(s) is None else uscc_reason(s) is None


# ---------------------------------------------------------------- phone numbers
_MOBILE = re.compile(r"(?:\+?86|0086)?-?(1[3-9][0-9]{9})")
_FIXED = re.compile(r"\(?(010|02[0-9]|0[3-9][0-9]{2})\)?-?([2-9][0-9]{6,7})(?:(?:-|转)([0-9]{1,6}))?")


def _phone_text(s: str | None) -> str | None:
    c = clean(s)
    return None if c is None else c.replace(" ", "")


def mobile_valid(s: str | None) -> bool | None:
    t = _phone_text(s)
    return None if t is None else bool(_MOBILE.fullmatch(t))


def fixed_phone_valid(s: str | None) -> bool | None:
    t = _phone_text(s)
    return None if t is None else bool(_FIXED.fullmatch(t))


def phone_valid(s: str | None) -> bool | None:
    t = _phone_text(s)
    return None if t is None else bool(_MOBILE.fullmatch(t) or _FIXED.fullmatch(t))


def phone_normalize(s: str | None) -> str | None:
    t = _phone_text(s)
    if t is None:
        return None
    if m := _MOBILE.fullmatch(t):
        return m.group(1)
    if m := _FIXED.fullmatch(t):
        return f"{m.group(1)}-{m.group(2)}" + (f"-{m.group(3)}" if m.group(3) else "")
    return None


# SQL macro name -> Python mirror (used by the sync tests and the element registry check).
MIRRORS = {
    "cl_halfwidth": halfwidth, "cl_clean": clean,
    "cl_parse_date": parse_date, "cl_parse_timestamp": parse_timestamp,
    "cl_parse_number": parse_number, "cl_parse_bool": parse_bool,
    "cl_in_codeset": in_codeset, "cl_division_valid": division_valid,
    "cl_industry_valid": industry_valid, "cl_industry_section": industry_section,
    "cl_ric_normalize": ric_normalize, "cl_ric_valid": ric_valid, "cl_ric_reason": ric_reason,
    "cl_ric_birth_date": ric_birth_date, "cl_ric_sex": ric_sex, "cl_ric_crosscheck": ric_crosscheck,
    "cl_uscc_normalize": uscc_normalize, "cl_uscc_valid": uscc_valid, "cl_uscc_reason": uscc_reason,
    "cl_org_code_valid": org_code_valid,
    "cl_mobile_valid": mobile_valid, "cl_fixed_phone_valid": fixed_phone_valid,
    "cl_phone_valid": phone_valid, "cl_phone_normalize": phone_normalize,
}


def code_name(set_name: str, value: str | None) -> str | None:
    """Chinese name of a code (mirror of cl_code_name)."""
    c = clean(value)
    if c is None:
        return None
    try:
        return codesets.label(set_name, c)
    except codesets.CodesetError:
        return None


MIRRORS["cl_code_name"] = code_name
