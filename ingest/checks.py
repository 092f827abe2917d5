"""Row checks at landing: which rows break the feed's contract (→ quarantine).

Rendered from `ingest/sql/row_checks.sql` with the feed's fields and run in DuckDB over
the whole delivery at once. The validators are the standards' `cl_*` macros when they
are installed on the connection, otherwise ingest's `ingest_*` fallbacks
(`ingest/sql/macros.sql`) with the same meaning.
"""

from __future__ import annotations

import os

import duckdb
import polars as pl

from ingest.duck import frames
from ingest.elements import checked_kind, field_type
from ingest.registry import Feed
from ingest.sql import SQL_DIR, _env, render

REASON_CODES = ("missing_required", "wrong_type", "malformed_line", "invalid_check_digit", "duplicate_key")

# role -> (standards macro, ingest fallback, probe arguments)
ROLES = {
    "clean": ("cl_clean", "ingest_clean", "' a '"),
    "parse_date": ("cl_parse_date", "ingest_parse_date", "'2023-10-19'"),
    "parse_timestamp": ("cl_parse_timestamp", "ingest_parse_timestamp", "'2023-10-19 08:00:00'"),
    "ric_valid": ("cl_ric_valid", "ingest_ric_valid", "'11010519491231002X'"),
    "uscc_valid": ("cl_uscc_valid", "ingest_uscc_valid", "'91350100M000100Y43'"),
}


def _lit(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


_env().filters["lit"] = _lit


def prefer_standards() -> bool:
    """cl_* validators when installed (default); CITYLAKE_INGEST_VALIDATORS=ingest forces the
    ingest_* fallbacks (same results, see tests; faster: cl_ric_valid costs ~45 µs/row)."""
    return os.environ.get("CITYLAKE_INGEST_VALIDATORS", "standards") != "ingest"


def install(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Create the fallback macros (once per connection) and return the macro to use for each role."""
    have = {r[0] for r in con.execute(
        "select function_name from duckdb_functions() where function_name like 'cl\\_%' escape '\\' "
        "or function_name like 'ingest\\_%' escape '\\'").fetchall()}
    if "ingest_uscc_valid" not in have:
        con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    fn = {}
    for role, (std, fallback, probe) in ROLES.items():
        fn[role] = fallback
        if std not in have or not prefer_standards():
            continue
        try:
            con.execute(f"select {std}({probe})").fetchall()  # noqa: S608 - fixed names and literals
            fn[role] = std
        except duckdb.Error:
            pass
    return fn


def check(con: duckdb.DuckDBPyConnection, feed: Feed, data: pl.DataFrame, fn: dict[str, str]) -> pl.DataFrame:
    """Refused rows of `data` (which carries a unique `_seq`): _seq, field, reason_code, reason."""
    fields = [{"name": f.name, "source": f.source, "required": f.required, "type": field_type(f),
               "checked": checked_kind(feed, f)} for f in feed.fields]
    params = {"fields": fields, "keys": list(feed.primary_key), "fn": fn}
    # cleaning is vectorised in Polars with exactly cl_clean's mapping (full-width U+FF01..U+FF5E
    # and U+3000 -> half-width, trim spaces/tabs/newlines/NBSP, blank -> NULL); the validators
    # and parsers (cl_* when installed, else ingest_*) then run in DuckDB on the cleaned values.
    cleaned = data.select("_seq", "_row", *[pl.col(c).alias(f"v_{c}") for c in feed.columns],
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


def clean_expr(e: pl.Expr) -> pl.Expr:
    """cl_clean in Polars: full-width -> half-width, trim, '' -> NULL."""
    c = e.str.replace_many(FULL, HALF).str.strip_chars(TRIM)
    return pl.when(c == "").then(None).otherwise(c)
