"""Free-text scrubbing (文本脱敏): personal data inside any string about to leave the zone.

Where the column of a value is known, ``egress.masking`` masks it by its pii class. Free text
has no column: reasons quoting a value, keys that embed an identifier (``student_id=G`` + an ID
number), raw lines that could not be split into fields. ``scrub_text`` masks in any string
  - every ID-like run of 17 digits + [0-9X] (spaces inside allowed), valid check digit or not,
    by the policy's ``id_number`` rule (``510603********1235``); a longer run of digits (an ID
    run together with a phone number, a bank card) is masked whole by the same rule;
  - every mobile number 1[3-9]xxxxxxxxx not inside a longer run of digits (optionally +86,
    spaces or dashes inside) by the ``phone`` rule;
  - the row's own personal values when the caller knows them (``known``: raw -> masked).
``scrub_raw_line`` is for raw text whose fields cannot be trusted: besides the above, every
field holding Chinese characters (names, addresses) is masked by the ``name`` or ``address``
rule, and every date by the ``birth_date`` rule.
``visible`` shows invisible characters (U+3000 as ``⎵``, other spaces, zero-width and control
characters as ``⟨U+XXXX⟩``, leading/trailing ASCII spaces as ``␠``), so a value that fails
a check does not look valid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from egress.masking import mask_value

# digits half- or full-width (cleaning at landing maps full-width to half-width, a quarantined raw value may not be)
_D, _X = "[0-9\uff10-\uff19]", "[0-9Xx\uff10-\uff19\uff38\uff58]"
_GAP = r"[ \t\u00a0\u2000-\u200b\u3000]?"
ID_LIKE = re.compile(rf"(?<!{_D})(?:{_D}{_GAP}){{17,}}{_X}(?!{_D})|{_D}{{17}}{_X}")
MOBILE = re.compile(rf"(?<!{_D})(?:\+?86[-\s]?)?[1\uff11][3-9\uff13-\uff19]{_D}(?:[-\s]?{_D}{{4}}){{2}}(?!{_D})")
_HALF = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uff38": "X", "\uff58": "x"})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ADDRESS_MARK = re.compile(r"[省市区县镇乡街路巷道村组号楼室栋弄]|单元|社区")
_DATE = re.compile(r"\d{4}([-/.年])\d{1,2}([-/.月])\d{1,2}日?|(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_FIELD_SEP = re.compile(r"""([,\t|;:"{}\[\]\s]+)""")
_SPACE_LIKE = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}


def _digits(s: str) -> str:
    return re.sub(r"[^0-9Xx]", "", s.translate(_HALF))


def scrub_text(text: str, known: Mapping[str, str] | None = None) -> str:
    """``text`` with ID-like runs, mobile numbers and the ``known`` raw values masked."""
    if not isinstance(text, str) or not text:
        return text
    for raw in sorted(known or {}, key=len, reverse=True):
        if raw and len(raw) >= 2:
            text = text.replace(raw, str(known[raw]))
    text = ID_LIKE.sub(lambda m: mask_value(_digits(m.group()), "id_number"), text)
    return MOBILE.sub(lambda m: mask_value(_digits(m.group())[-11:], "phone"), text)


def _field(token: str) -> str:
    core = token.strip()
    if _CJK.search(core):
        return mask_value(core, "address" if _ADDRESS_MARK.search(core) else "name")
    if _DATE.fullmatch(core):
        return mask_value(core.replace("/", "-").replace(".", "-"), "birth_date")
    return scrub_text(token)


def scrub_raw_line(line: str) -> str:
    """A raw line (CSV, JSON or anything) with every field that may be personal masked."""
    if not isinstance(line, str) or not line:
        return line
    parts = _FIELD_SEP.split(scrub_text(line))
    return "".join(p if i % 2 else _field(p) for i, p in enumerate(parts))


def _shown(c: str) -> str:
    if c == "\u3000":
        return "⎵"
    if c != " " and (unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc", "Cf") or c in _SPACE_LIKE):
        return f"⟨U+{ord(c):04X}⟩"
    return c


def visible(value: object) -> object:
    """``value`` with invisible and space-like characters shown (non-strings unchanged)."""
    if not isinstance(value, str):
        return value
    core = value.strip(" ")
    lead, trail = len(value) - len(value.lstrip(" ")), len(value) - len(value.rstrip(" "))
    if not core:
        return "␠" * len(value)
    return "␠" * lead + "".join(_shown(c) for c in core) + "␠" * trail
