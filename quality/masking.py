"""Masking of personal data in quality reports (脱敏), by the element registry's pii class.

ID numbers ``510603********1234``, names ``张*``, phones ``138****5678``; anything else
personal keeps a short prefix only. Reports never show a personal value unmasked.
"""

from __future__ import annotations

import re
from typing import Any

PII_CLASSES = ("none", "id_number", "name", "phone", "address", "birth_date", "health", "location")


def mask_id_number(s: str) -> str:
    s = s.strip()
    if len(s) <= 10:
        return s[:2] + "*" * max(len(s) - 2, 0)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_name(s: str) -> str:
    s = s.strip()
    return s[:1] + "*" * max(len(s) - 1, 1) if s else s


def mask_phone(s: str) -> str:
    digits = re.sub(r"\s", "", s)
    if len(digits) <= 7:
        return digits[:2] + "*" * max(len(digits) - 2, 0)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(s: str) -> str:
    s = s.strip()
    return s[:6] + "****" if len(s) > 6 else s[:2] + "****"


def mask_other(s: str) -> str:
    s = s.strip()
    return s[:1] + "****" if s else s


_MASKERS = {"id_number": mask_id_number, "name": mask_name, "phone": mask_phone, "address": mask_address,
            "birth_date": lambda s: s[:4] + "-**-**", "health": lambda s: "****", "location": mask_other}


def mask_value(value: Any, pii: str | None) -> Any:
    """Mask one value of pii class ``pii`` (``none``/None: returned unchanged)."""
    if value is None or not pii or pii == "none":
        return value
    return _MASKERS.get(pii, mask_other)(str(value))


def mask_row(row: dict[str, Any], pii_by_column: dict[str, str]) -> dict[str, Any]:
    return {k: mask_value(v, pii_by_column.get(k)) for k, v in row.items()}
