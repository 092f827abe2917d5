"""The service's metadata database (SQLAlchemy Core): apps, their secrets, revoked tokens, the exchange log.

SQLite under the home by default; any SQLAlchemy URL (PostgreSQL) by CITYLAKE_SERVICE_DB.
On SQLite (WAL) the log append takes the write lock first (BEGIN IMMEDIATE, `writing`), so the
workers of `citylake serve` append to the hash-chained log one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

metadata = sa.MetaData()

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

applications = sa.Table(
    "applications", metadata,
    sa.Column("application_id", sa.String(32), primary_key=True),
    sa.Column("client_id", sa.String(64), sa.ForeignKey("apps.client_id"), nullable=False, index=True),
    sa.Column("department", sa.String(32), nullable=False),       # the applying department
    sa.Column("resource_code", sa.String(32), nullable=False),
    sa.Column("provider", sa.String(32), nullable=False),         # the department that decides
    sa.Column("columns", sa.Text, nullable=False),                # JSON list
    sa.Column("row_filter", sa.Text, nullable=False),             # JSON [[column, "op.value"], ...]
    sa.Column("purpose", sa.String(500), nullable=False),
    sa.Column("legal_basis", sa.String(500), nullable=False),
    sa.Column("valid_until", sa.String(10), nullable=False),      # ISO date, last day the grant works
    sa.Column("status", sa.String(16), nullable=False),           # pending | approved | refused
    sa.Column("reason", sa.String(500)),
    sa.Column("applied_on", sa.String(10), nullable=False),
    sa.Column("decided_on", sa.String(10)),
)

revoked_tokens = sa.Table(
    "revoked_tokens", metadata,
    sa.Column("jti", sa.String(64), primary_key=True),
    sa.Column("revoked_at", sa.String(32), nullable=False),
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


def _sqlite(engine: sa.Engine) -> None:
    """SQLAlchemy's documented pysqlite recipe: let the driver not BEGIN by itself, and BEGIN ourselves —
    IMMEDIATE (the write lock up front) for connections marked `immediate`, as `writing` does.
    WAL, so readers and the one writer do not block each other."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA busy_timeout = 10000")
        dbapi_conn.execute("PRAGMA journal_mode = WAL")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE), for read-then-write steps."""
    with engine.connect() as conn:
        conn = conn.execution_options(immediate=True)
        with conn.begin():
            yield conn


def open_engine(url: str) -> sa.Engine:
    """An engine on the metadata database, its tables created if missing."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite(engine)
    metadata.create_all(engine)
    return engine
