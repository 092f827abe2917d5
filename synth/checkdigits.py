"""Vectorised check-digit generation for the synthetic city (NumPy, no per-row loops).

- Citizen ID number (GB 11643-1999): 17 digits + check character.
- Organisation code (GB 11714-1997): 8 characters + check character.
- Unified social credit code (GB 32100-2015): 17 characters + check character.

The validators themselves belong to `standards/` (cl_ric_valid, cl_uscc_valid); these
functions only *produce* valid codes (and, for the dirt, deliberately wrong ones).
"""

from __future__ import annotations

import numpy as np
import polars as pl

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"))

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I O S V Z
USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n,) int64 -> (n, width) decimal digits, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def id_numbers(area: np.ndarray, yyyymmdd: np.ndarray, seq: np.ndarray) -> pl.Series:
    """Valid 18-character ID numbers from 6-digit area codes, birth dates and 3-digit sequences."""
    body = area.astype(np.int64) * 10**11 + yyyymmdd.astype(np.int64) * 1000 + seq.astype(np.int64)
    check = ID_CHECK[(_digits(body, 17) * ID_WEIGHTS).sum(axis=1) % 11]
    return (pl.Series(body).cast(pl.String).str.zfill(17) + pl.Series(check)).alias("id_number")


def _org_check(body: np.ndarray) -> np.ndarray:
    """GB 11714 check value (0..10, 10 = 'X') for 8-digit numeric bodies."""
    c = 11 - (_digits(body, 8) * ORG_WEIGHTS).sum(axis=1) % 11
    return np.where(c == 11, 0, c)


def usccs(reg_authority: np.ndarray, org_class: np.ndarray, division: np.ndarray, org_body: np.ndarray) -> pl.Series:
    """Valid USCCs: registration authority (1 digit), class (1 digit), 6-digit division code,
    9-character organisation code (8 digits + GB 11714 check), GB 32100 check character."""
    n = len(division)
    vals = np.empty((n, 17), dtype=np.int64)
    vals[:, 0] = reg_authority
    vals[:, 1] = org_class
    vals[:, 2:8] = _digits(division.astype(np.int64), 6)
    vals[:, 8:16] = _digits(org_body.astype(np.int64), 8)
    org_c = _org_check(org_body.astype(np.int64))
    vals[:, 16] = np.where(org_c == 10, USCC_CHARSET.index("X"), org_c)
    check = 31 - (vals * USCC_WEIGHTS).sum(axis=1) % 31
    check = np.where(check == 31, 0, check)
    chars = np.array(list(USCC_CHARSET))
    full = np.concatenate([chars[vals], chars[check][:, None]], axis=1)
    return pl.Series(_join(full)).alias("uscc")


def _join(chars: np.ndarray) -> np.ndarray:
    """(n, k) array of 1-char strings -> (n,) strings, vectorised via a fixed-width view."""
    k = chars.shape[1]
    return np.ascontiguousarray(chars.astype("<U1")).view(f"<U{k}").ravel()


def corrupt_check_char(codes: pl.Series, charset: str) -> pl.Series:
    """Replace the last character by a different one from `charset` (an invalid check digit)."""
    last = codes.str.slice(-1)
    alphabet = list(charset)
    # a deterministic "next character" mapping never equals the original
    mapping = {c: alphabet[(i + 1) % len(alphabet)] for i, c in enumerate(alphabet)}
    return codes.str.slice(0, codes.str.len_chars() - 1) + last.replace_strict(mapping, default="0")
