"""Row checks at landing: which rows break the feed's contract (→ quarantine).

Rendered from `ingest/sql/row_checks.sql` with the feed's fields and run in DuckDB over
the whole delivery at once. The validators are the standards' `cl_*` macros.
"""

from __future__ import annotations

import duckdb
import polars as pl

from ingest.duck import frames
from ingest.elements import checked_kind, field_type
from ingest.registry import Feed
from ingest.sql import render

REASON_CODES = ("missing_required", "wrong_type", "malformed_line", "invalid_check_digit", "duplicate_key",
                "future_watermark")

# role -> the standards macro that plays it (standards/macros.sql, the one set of validators)
ROLES = {
    "clean": "cl_clean",
    "parse_date": "cl_parse_date",
    "parse_timestamp": "cl_parse_timestamp",
    "ric_valid": "cl_ric_valid",
    "uscc_valid": "cl_uscc_valid",
}


def install(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Make sure the standards macros are on the connection; return the macro for each role."""
    have = {r[0] for r in con.execute(
        "select function_name from duckdb_functions() where function_name like 'cl\\_%' escape '\\'").fetchall()}
    if not set(ROLES.values()) <= have:
        from standards.macros import install_macros

        install_macros(con)
    return dict(ROLES)


def row_checks(feed: Feed) -> dict:
    """What landing refuses a row for, by column — recorded in the landing manifest, so the
    department → raw gate reports these rules from landing instead of scanning the rows again:
    required values present, check characters valid (column → validator macro), the primary key unique."""
    return {"required": [f.name for f in feed.fields if f.required],
            "check_digit": {f.name: ROLES[f"{kind}_valid"] for f in feed.fields if (kind := checked_kind(feed, f))},
            "unique_key": list(feed.primary_key)}


def check(con: duckdb.DuckDBPyConnection, feed: Feed, data: pl.DataFrame, fn: dict[str, str]) -> pl.DataFrame:
    """Refused rows of `data` (which carries a unique `_seq`): _seq, field, reason_code, reason."""
    fields = [{"name": f.name, "source": f.source, "required": f.required, "type": field_type(f),
               "checked": checked_kind(feed, f)} for f in feed.fields]
    params = {"fields": fields, "keys": list(feed.primary_key), "fn": fn,
              "part_label": "sheet" if feed.format == "xlsx" else None}
    # cleaning is vectorised in Polars with exactly cl_clean's mapping (full-width U+FF01..U+FF5E
    # and U+3000 -> half-width, trim spaces/tabs/newlines/NBSP, blank -> NULL); the validators
    # and parsers (the standards' cl_* macros) then run in DuckDB on the cleaned values.
    part = pl.col("_source_file").str.split("#").list.get(1, null_on_oob=True).alias("_part")
    cleaned = data.select("_seq", "_row", part, *[pl.col(c).alias(f"v_{c}") for c in feed.columns],
                          *[clean_expr(pl.col(c)).alias(f"c_{c}") for c in feed.columns])
    with frames(con, _cleaned=cleaned):
        return _result(con.execute(render("row_checks.sql", **params)))


def _result(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    rows = cur.fetchall()
    return pl.DataFrame(rows, schema={"_seq": pl.Int64, "field": pl.String, "reason_code": pl.String,
                                      "reason": pl.String}, orient="row")


FULL = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
HALF = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
TRIM = " \t\n\r\u00a0"
# a value made only of these is blank: every Unicode space (U+2002 en, U+2003 em, U+2009 thin,
# U+3000 ideographic, ...), line/paragraph separators and the zero-width characters
BLANK = r"^[\s\p{Z}\u200B-\u200D\u2060\uFEFF]*$"


def clean_expr(e: pl.Expr) -> pl.Expr:
    """cl_clean in Polars (full-width -> half-width, trim, '' -> NULL), and a value made only
    of Unicode spaces or zero-width characters counts as blank (NULL) too."""
    c = e.str.replace_many(FULL, HALF).str.strip_chars(TRIM)
    return pl.when(c.str.contains(BLANK)).then(None).otherwise(c)
