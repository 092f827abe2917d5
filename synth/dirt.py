"""Realistic dirt, at controlled and documented rates (see docs/ingest.md).

Applied generically from the feed registry to each clean delivery. Rates are per row
(per field where stated). *Cosmetic* dirt (full-width, spaces, date formats) lands and
is normalised in dbt staging; *contract* dirt (bad dates/numbers, missing required,
bad check digits on keys, duplicates, malformed lines) is quarantined at landing.
The key fields are left clean except for the check-digit dirt, so ≈99 % of rows land.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ingest.elements import CHECKED_ELEMENTS, field_type
from ingest.registry import Feed
from synth.checkdigits import USCC_CHARSET, corrupt_check_char

# cosmetic (rows land; staging normalises)
FULLWIDTH_RATE = 0.01        # per text field: ASCII digits/letters → full-width (１２３ＡＢＣ)
STRAY_SPACE_RATE = 0.02      # per text field: leading/trailing spaces, incl. the ideographic space U+3000
MIXED_DATE_RATE = 0.05       # per date field: '2023/10/19', '20231019' or '2023年10月19日' instead of ISO
# contract violations (rows are quarantined)
BAD_DATE_RATE = 0.001        # per required date field: unparseable ('2023-02-30', '不详')
BAD_NUMBER_RATE = 0.001      # per required numeric field: not a number ('约12', 'N/A')
MISSING_REQUIRED_RATE = 0.001  # per row: one required non-key field blanked
BAD_CHECK_DIGIT_RATE = 0.001  # per checked key field (id_number/uscc in the key or required): wrong check char
DUPLICATE_RATE = 0.001       # per row: the row delivered twice (duplicate primary key)
MALFORMED_LINE_RATE = 0.0005  # per CSV line: an extra field appended (wrong column count)

FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# a column dirty() carries through untouched (synth tells which clean row a dirty row came from)
ROW_REF = "__row_ref"


def _mask(rng: np.random.Generator, n: int, rate: float) -> pl.Series:
    return pl.Series(rng.random(n) < rate)


def to_fullwidth(s: pl.Expr) -> pl.Expr:
    return s.str.replace_many(list(HALF), list(FULL))


def dirty(df: pl.DataFrame, feed: Feed, rng: np.random.Generator) -> pl.DataFrame:
    """A dirty copy of a clean delivery (same columns, a few more rows for duplicates; a ROW_REF
    column, if any, is carried through)."""
    n = df.height
    if n == 0:
        return df
    keys = set(feed.primary_key)
    exprs = []
    required_nonkey = [f.name for f in feed.fields if f.required and f.name not in keys]
    blank_col = np.array(required_nonkey)[rng.integers(0, len(required_nonkey), n)] if required_nonkey else None
    blank_row = rng.random(n) < MISSING_REQUIRED_RATE
    for f in feed.fields:
        c = pl.col(f.name)
        if df.schema[f.name] != pl.String:
            exprs.append(c)
            continue
        ftype = field_type(f)
        is_key = f.name in keys
        if f.element in CHECKED_ELEMENTS:
            if is_key or f.required:
                charset = "0123456789X" if f.element == "id_number" else USCC_CHARSET
                bad = _mask(rng, n, BAD_CHECK_DIGIT_RATE)
                c = pl.when(bad & c.is_not_null()).then(pl.lit(corrupt_check_char(df[f.name].fill_null("0"), charset))).otherwise(c)
        elif ftype == "date":
            fmt = rng.integers(0, 3, n)
            alt = pl.when(pl.Series(fmt == 0)).then(c.str.replace_all("-", "/")) \
                .when(pl.Series(fmt == 1)).then(c.str.replace_all("-", "")) \
                .otherwise(c.str.slice(0, 4) + "年" + c.str.slice(5, 2) + "月" + c.str.slice(8, 2) + "日")
            c = pl.when(_mask(rng, n, MIXED_DATE_RATE)).then(alt).otherwise(c)
            if f.required and not is_key:
                bad = pl.Series(np.where(rng.random(n) < 0.5, "2023-02-30", "不详"))
                c = pl.when(_mask(rng, n, BAD_DATE_RATE)).then(pl.lit(bad)).otherwise(c)
        elif ftype in ("decimal", "integer"):
            if f.required and not is_key:
                bad = pl.Series(np.where(rng.random(n) < 0.5, "N/A", "约12"))
                c = pl.when(_mask(rng, n, BAD_NUMBER_RATE)).then(pl.lit(bad)).otherwise(c)
        elif ftype == "string" and not is_key:
            c = pl.when(_mask(rng, n, FULLWIDTH_RATE)).then(to_fullwidth(c)).otherwise(c)
            sp = pl.Series(np.array([" ", "  ", "\u3000"])[rng.integers(0, 3, n)])
            c = pl.when(_mask(rng, n, STRAY_SPACE_RATE / 2)).then(pl.lit(sp) + c) \
                .when(_mask(rng, n, STRAY_SPACE_RATE / 2)).then(c + pl.lit(sp)).otherwise(c)
        if blank_col is not None and f.name in required_nonkey:
            c = pl.when(pl.Series(blank_row & (blank_col == f.name))).then(pl.lit("")).otherwise(c)
        exprs.append(c.alias(f.name))
    out = df.select(exprs + ([pl.col(ROW_REF)] if ROW_REF in df.columns else []))
    dup = rng.random(n) < DUPLICATE_RATE
    if dup.any():
        # duplicates arrive a little later in the file, as re-sent rows do
        out = pl.concat([out, out.filter(pl.Series(dup))])
    return out


def malformed_lines(lines: pl.Series, rng: np.random.Generator) -> pl.Series:
    """Append an extra field to a few CSV data lines (never the header)."""
    n = lines.len()
    bad = rng.random(n) < MALFORMED_LINE_RATE
    bad[0] = False
    return pl.select(pl.when(pl.Series(bad)).then(lines + ",多余字段").otherwise(lines).alias("l"))["l"]
