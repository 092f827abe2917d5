"""The service's metadata database (SQLAlchemy Core): apps, their secrets, revoked tokens, the exchange log —
beside `applications` (catalogs.grants: the one grant model of files and API), in the same `metadata`.

SQLite under the home by default; PostgreSQL by CITYLAKE_METADATA_URL (catalogs.grants.db_url).
The log append takes the write lock first (`writing`: BEGIN IMMEDIATE on SQLite, an advisory lock
on PostgreSQL), so the workers of `citylake serve` append to the hash-chained log one at a time.
"""

from __future__ import annotations

import sqlalchemy as sa

from catalogs.grants import (
    access_changes,
    applications,
    generation,
    generation_query,
    metadata,
    open_engine,
    touch,
    writing,
)

__all__ = ["access_changes", "applications", "generation", "generation_query", "touch", "app_secrets", "apps", "exchange_log", "export_requests", "exports", "metadata", "objections", "open_engine", "quota_days", "revoked_tokens",
           "verify_withdrawals", "writing"]

apps = sa.Table(
    "apps", metadata,
    sa.Column("client_id", sa.String(64), primary_key=True),
    sa.Column("department", sa.String(32), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),          # active | revoked
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32)),
    sa.Column("quota_per_minute", sa.Integer),     # NULL: the service default
    sa.Column("quota_rows_per_day", sa.Integer),
)

app_secrets = sa.Table(
    "app_secrets", metadata,
    sa.Column("secret_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False, index=True),
    sa.Column("secret_hash", sa.String(200), nullable=False),    # argon2id
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("retired_at", sa.String(32)),
)

exports = sa.Table(
    "exports", metadata,
    sa.Column("export_id", sa.String(32), primary_key=True),    # ex_ + 22 random URL-safe characters
    sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False, index=True),
    sa.Column("dataset", sa.String(32), nullable=False),
    sa.Column("application_id", sa.String(32)),
    sa.Column("format", sa.String(8), nullable=False),           # parquet | csv
    sa.Column("columns", sa.Text, nullable=False),               # JSON list
    sa.Column("snapshot_id", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),          # running | queued | ready | failed | expired
    sa.Column("rows", sa.Integer),
    sa.Column("bytes", sa.Integer),
    sa.Column("detail", sa.Text),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32)),
)

export_requests = sa.Table(
    "export_requests", metadata,                                 # what an export asked, to run it again (resume)
    sa.Column("export_id", sa.String(32), sa.ForeignKey("exports.export_id"), primary_key=True),
    sa.Column("filters", sa.Text, nullable=False),               # JSON {column: "op.value"}: the caller's filters
)

objections = sa.Table(
    "objections", metadata,                                      # 数据纠错: a consumer's claim of a wrong value
    sa.Column("objection_id", sa.String(32), primary_key=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False),
    sa.Column("department", sa.String(32), nullable=False),      # the objecting department
    sa.Column("resource_code", sa.String(32), nullable=False, index=True),
    sa.Column("provider", sa.String(32), nullable=False),        # the department that resolves
    sa.Column("record_key", sa.Text, nullable=False),            # JSON {column: value}, unmasked columns
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("claimed_value", sa.String(500), nullable=False),
    sa.Column("evidence", sa.String(2000), nullable=False),
    sa.Column("snapshot_id", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),          # open | resolved
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("resolved_at", sa.String(32)),
    sa.Column("note", sa.String(2000)),
)

verify_withdrawals = sa.Table(
    "verify_withdrawals", metadata,                              # 核验策略: verification withdrawn by the operator
    sa.Column("withdrawal_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id")),   # NULL: every app
    sa.Column("element", sa.String(64)),                         # NULL: every element (verify.yml's key fields)
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("withdrawn_at", sa.String(32), nullable=False),
    sa.Column("restored_at", sa.String(32)),                     # NULL: in force; kept after a restore
)

revoked_tokens = sa.Table(
    "revoked_tokens", metadata,
    sa.Column("jti", sa.String(64), primary_key=True),
    sa.Column("revoked_at", sa.String(32), nullable=False),
)

quota_days = sa.Table(
    "quota_days", metadata,                                      # records rows read per app and UTC day (quotas)
    sa.Column("client_id", sa.String(64), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),           # the day of the log rows' `at`
    sa.Column("rows", sa.Integer, nullable=False),
)

exchange_log = sa.Table(
    "exchange_log", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("client_id", sa.String(64)),
    sa.Column("department", sa.String(32)),
    sa.Column("operator", sa.String(200)),       # X-Operator header: the person behind the system
    sa.Column("purpose", sa.String(500)),        # X-Purpose header
    sa.Column("jti", sa.String(64)),
    sa.Column("method", sa.String(8), nullable=False),
    sa.Column("path", sa.String(500), nullable=False),
    sa.Column("dataset", sa.String(64)),
    sa.Column("application_id", sa.String(32)),   # the grant a call was served under
    sa.Column("columns", sa.Text),
    sa.Column("rows", sa.Integer),
    sa.Column("snapshot_id", sa.Integer),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("bytes", sa.Integer),
    sa.Column("detail", sa.Text),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("row_hash", sa.String(64), nullable=False),
    sa.Index("exchange_log_client_at", "client_id", "at"),
)
