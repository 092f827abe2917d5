"""Row checks at landing: which rows break the feed's contract (→ quarantine).

Rendered from `ingest/sql/row_checks.sql` with the feed's fields and run in DuckDB over
the whole delivery at once. The validators are the standards' `cl_*` macros when they
are installed on the connection, otherwise ingest's `ingest_*` fallbacks
(`ingest/sql/macros.sql`) with the same meaning.
"""

from __future__ import annotations

import duckdb
import polars as pl

from ingest.elements import checked_kind, field_type
from ingest.duck import frames
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


def install(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Create the fallback macros and return the macro to use for each role."""
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    fn = {}
    for role, (std, fallback, probe) in ROLES.items():
        fn[role] = fallback
        try:
            con.execute(f"select {std}({probe})").fetchall()  # noqa: S608 - fixed names and literals
            fn[role] = std
        except duckdb.Error:
            pass
    return fn


def check(con: duckdb.DuckDBPyConnection, feed: Feed, data: pl.DataFrame, fn: dict[str, str]) -> pl.DataFrame:
    """Refused rows of `data`: _row, field, reason_code, reason."""
    fields = [{"name": f.name, "source": f.source, "required": f.required, "type": field_type(f),
               "checked": checked_kind(feed, f)} for f in feed.fields]
    params = {"fields": fields, "keys": list(feed.primary_key), "fn": fn}
    if fn["clean"] == "ingest_clean":
        # the fallback cleaning, vectorised in Polars (same mapping as the ingest_clean macro)
        cleaned = data.select("_row", *[pl.col(c).alias(f"v_{c}") for c in feed.columns],
                              *[clean_expr(pl.col(c)).alias(f"c_{c}") for c in feed.columns])
        with frames(con, _cleaned=cleaned):
            return _result(con.execute(render("row_checks.sql", **params)))
    with frames(con, delivery=data.select("_row", *feed.columns)):
        try:
            con.execute(render("row_checks_clean.sql", **params))
            return _result(con.execute(render("row_checks.sql", **params)))
        finally:
            con.execute("drop table if exists _cleaned")


def _result(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    rows = cur.fetchall()
    return pl.DataFrame(rows, schema={"_row": pl.Int64, "field": pl.String, "reason_code": pl.String,
                                      "reason": pl.String}, orient="row")


FULL = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ　－／．：，"
HALF = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -/.:,"


def clean_expr(e: pl.Expr) -> pl.Expr:
    """Full-width -> half-width, trim, '' -> NULL (the ingest_clean macro, in Polars)."""
    c = e.str.replace_many(list(FULL), list(HALF)).str.strip_chars()
    return pl.when(c == "").then(None).otherwise(c)
