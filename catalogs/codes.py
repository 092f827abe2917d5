"""Resource codes (信息资源代码) that never change once handed out.

A code is 类(1) 项(2) 目(3) 细目(3) "/" 顺序码(6), e.g. ``101001001/000001``
(GB/T 21063; 2017 compilation guide). The classification prefix is derived from
the model (layer, library, record-level or aggregate) by the rules in
policy.yml; the sequence is the next free number under that prefix. Every
assignment is kept in ``catalogs/resource_codes.yml``, committed, which only
grows: a model keeps its code across nights, a dropped model's code is never
reused, and two generations over the same models give the same codes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from citylake.core.yamlio import load_yaml

CODES_FILE = Path(__file__).with_name("resource_codes.yml")
CODE_RE = re.compile(r"^(\d)(\d{2})(\d{3})(\d{3})/(\d{6})$")
HEADER = """\
# Resource code assignments (信息资源代码) — written by catalogs/codes.py.
# This file ONLY GROWS: never edit or delete a line, never reuse a code.
# key: <schema>.<model>  value: 类项目细目/顺序码 (GB/T 21063)
"""


class CodeError(ValueError):
    """The assignment file is inconsistent (duplicate or malformed code)."""


def load(path: Path = CODES_FILE) -> dict[str, str]:
    if not path.exists():
        return {}
    doc = load_yaml(path) or {}
    codes = {str(k): str(v) for k, v in (doc.get("codes") or {}).items()}
    check(codes)
    return codes


def check(codes: dict[str, str]) -> None:
    seen: dict[str, str] = {}
    for key, code in codes.items():
        if not CODE_RE.match(code):
            raise CodeError(f"resource code {code!r} of {key} is malformed (want 类项目细目/顺序码, e.g. 101001001/000001)")
        if code in seen:
            raise CodeError(f"resource code {code} assigned twice: {seen[code]} and {key}")
        seen[code] = key


def save(codes: dict[str, str], path: Path = CODES_FILE) -> None:
    body = yaml.safe_dump({"codes": codes}, allow_unicode=True, sort_keys=False, width=200)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(HEADER + body, encoding="utf-8")
    os.replace(tmp, path)


def assign(wanted: dict[str, str], path: Path = CODES_FILE) -> dict[str, str]:
    """Codes for `wanted` ({model key: classification prefix, 9 digits}).

    Known keys keep their code (even if their prefix would now differ: codes are
    stable); new keys get the next free sequence under their prefix, in sorted key
    order (deterministic), and are appended to the file.
    """
    codes = load(path)
    new = sorted(k for k in wanted if k not in codes)
    if new:
        used: dict[str, int] = {}
        for code in codes.values():
            prefix, seq = code.split("/")
            used[prefix] = max(used.get(prefix, 0), int(seq))
        for key in new:
            prefix = wanted[key]
            if not re.fullmatch(r"\d{9}", prefix):
                raise CodeError(f"classification prefix {prefix!r} of {key} is not 9 digits")
            used[prefix] = used.get(prefix, 0) + 1
            codes[key] = f"{prefix}/{used[prefix]:06d}"
        check(codes)
        save(codes, path)
    return {k: codes[k] for k in wanted}
