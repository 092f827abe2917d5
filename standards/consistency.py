"""一数一源 at data level: consistency findings (信息校核) between a delivering feed and the authoritative one.

When a non-authoritative department delivers an element for a subject (a hospital visit's patient
name and birth date, say) the base library still takes it only from the authoritative source; a
delivered value that disagrees becomes a **finding** for the delivering department's quality
report. Nothing is merged.

    rel = findings(conn, authoritative="staging.stg_psb__household",
                   delivered="staging.stg_health__hospital_visits", delivered_feed="health_hospital_visits")
    rel.fetchall()   # (subject_key, element, authoritative_value, delivered_value, department, feed, field,
                     #  authoritative_source)

The compared elements default to every element of the delivering feed (from the feed registry)
whose primary authoritative feed is ``authoritative_feed`` (deduced from the key element when not
given), the key excepted. Column names default to the feeds' field names; pass ``columns``
(delivered column -> element) and ``authoritative_columns`` (element -> column) when the relations
rename them. The SQL is ``standards/sql/consistency_findings.sql``; the connection needs the cl_
macros (``standards.macros.install_macros(conn)`` installs them).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from citylake.core.sqlfiles import SqlDir
from standards import registry

_SQL = SqlDir(Path(__file__).with_name("sql"))
COLUMNS = ("subject_key", "element", "authoritative_value", "delivered_value", "department", "feed", "field",
           "authoritative_source")
def findings_sql(authoritative: str, delivered: str, *, delivered_feed: str, key_element: str = "id_number",
                 authoritative_feed: str | None = None, columns: dict[str, str] | None = None,
                 authoritative_columns: dict[str, str] | None = None, key: str | None = None,
                 authoritative_key: str | None = None) -> str:
    """The findings query (one SELECT ... UNION ALL per compared element)."""
    from ingest import registry as feeds

    feed = feeds.feed(delivered_feed)
    auth_feed_id = authoritative_feed or registry.element(key_element).authoritative.feed  # type: ignore[union-attr]
    auth_feed = feeds.feed(auth_feed_id)
    if columns is None:
        columns = {f.name: f.element for f in feed.fields if f.element and f.element != key_element}
    auth_cols = authoritative_columns or {}
    comparisons = []
    for column, el_id in columns.items():
        el = registry.element(el_id)
        if el.authoritative is None or el.authoritative.feed != auth_feed.id:
            continue
        auth_column = auth_cols.get(el_id, el.authoritative.field)
        comparisons.append({"column": column, "element": el_id, "auth_column": auth_column, "type": el.type,
                            "auth_source": str(el.authoritative)})
    if not comparisons:
        raise ValueError(f"feed {delivered_feed} carries no element whose authoritative feed is {auth_feed.id}")
    key_col = key or next((f.name for f in feed.fields if f.element == key_element), key_element)
    auth_key_col = authoritative_key or next((f.name for f in auth_feed.fields if f.element == key_element),
                                             key_element)
    from standards.validators import MIRRORS

    key_normaliser = registry.element(key_element).normaliser or "cl_clean"
    if key_normaliser not in MIRRORS:
        raise ValueError(f"unknown normaliser {key_normaliser!r}")
    return _SQL.render(
        "consistency_findings.sql.j2", authoritative=authoritative, delivered=delivered,
        auth_key=auth_key_col, delivered_key=key_col,
        comparisons=comparisons, department=feed.department.id, feed=feed.id, key_normaliser=key_normaliser)


def findings(conn: duckdb.DuckDBPyConnection, authoritative: str, delivered: str, **kwargs) -> duckdb.DuckDBPyRelation:
    """Findings as a DuckDB relation with columns COLUMNS (see findings_sql for the keyword arguments)."""
    return conn.sql(findings_sql(authoritative, delivered, **kwargs))
