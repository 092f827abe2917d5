"""Schema migrations of the platform's metadata database, in place (SQLite and PostgreSQL alike).

`schema_version` holds the layout a database is at. A database without it is either new (no
tables: created at the current version) or older than versioning — the data service's first slice
(version 0) — and is upgraded step by step, each step once, inside the one `writing` transaction
(so two workers starting together do not both migrate). Tables the layout adds are created; columns
it adds to an existing table are added (nullable). The access change counter's one row is made
wherever it is missing.

    version 1: applications rebuilt (client_id nullable for grants filed by CLI or seed; valid_from and
               approver, filled from the decision for approved ones); columns added where missing
    version 2: verify_withdrawals (the verification policy, service.verify_policy), created;
               applications.unmasked (personal columns granted in clear) added
    version 3: quota_days (records rows per app and UTC day, service.quotas), created and counted from
               the exchange log so far, so an upgrade in the middle of a day keeps the day's count
    version 4: applications.requested_columns and requested_unmasked (what was asked, beside what a partial
               approval granted) added; NULL in the rows before: nothing was cut from them
    version 5: applications.reviewed_on and review_note (the platform's conformity review) added; the rows
               `pending` before it stay `pending`, with their provider: they count as already reviewed
    version 6: export_requests (what an export asked beyond its row in `exports`: the caller's filters, so
               that a server start can resume an export a stop cut off, service.export_resume) created
"""

from __future__ import annotations

import sqlalchemy as sa

from catalogs import sqlfiles
from catalogs.grants import access_changes, applications, metadata

SCHEMA_VERSION = 6

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.String(32), nullable=False),
)


def current(conn: sa.Connection, tables: set[str]) -> int | None:
    """The database's version: None for an empty one, 0 for one older than versioning."""
    if "schema_version" in tables:
        return conn.execute(sa.text(sqlfiles.load("schema_version.sql"))).scalar() or 0
    return 0 if tables else None


def _statements(name: str) -> list[str]:
    body = "\n".join(ln for ln in sqlfiles.load(name).splitlines() if not ln.strip().startswith("--"))
    return [s for s in body.split(";") if s.strip()]


def _rebuild_applications(conn: sa.Connection) -> None:
    """Version 1: the first slice's applications (client_id NOT NULL, no valid_from/approver) into the new layout."""
    cols = {c["name"]: c for c in sa.inspect(conn).get_columns("applications")}
    if "approver" in cols and cols["client_id"]["nullable"]:
        return
    new = applications.to_metadata(sa.MetaData(), name="applications_new")
    new.create(conn)
    conn.execute(sa.text(sqlfiles.load("migrate_001_copy_applications.sql")))
    for stmt in _statements("migrate_001_swap_applications.sql"):
        conn.execute(sa.text(stmt))


def _add_columns(conn: sa.Connection) -> None:
    """Nullable columns of the current layout missing from an existing table."""
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in tables:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have and col.nullable:
                conn.execute(sa.text(sqlfiles.render("add_column.sql.j2", table=table.name, column=col.name,
                                                     type=col.type.compile(dialect=conn.dialect))))


def _count_day_rows(conn: sa.Connection) -> None:
    """Version 3: the day counters of the quotas, from the exchange log (where the service made one)."""
    if "exchange_log" in sa.inspect(conn).get_table_names():
        for stmt in _statements("migrate_003_quota_days.sql"):
            conn.execute(sa.text(stmt))


STEPS = {1: (_rebuild_applications, _add_columns), 2: (_add_columns,), 3: (_count_day_rows,), 4: (_add_columns,),
         5: (_add_columns,), 6: ()}  # 6: a new table only (create_all below)


def migrate(conn: sa.Connection, now: str) -> list[int]:
    """Bring the database to SCHEMA_VERSION (inside the caller's `writing` transaction); the versions applied."""
    tables = set(sa.inspect(conn).get_table_names())
    version = current(conn, tables)
    applied = []
    if version is not None:
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for step in STEPS[v]:
                if step is not _rebuild_applications or "applications" in tables:
                    step(conn)
            applied.append(v)
    metadata.create_all(conn)
    if conn.execute(sa.select(access_changes.c.id)).first() is None:      # a table any layout may lack
        conn.execute(access_changes.insert().values(id=1, generation=0))
    if version is None or applied:
        conn.execute(schema_version.insert(), [{"version": v, "applied_at": now} for v in applied or [SCHEMA_VERSION]])
    return applied
