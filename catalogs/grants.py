"""The one grant model of files and API: sharing applications (共享申请) in the platform's metadata database.

Nightly share packages (catalogs.publish) and the data service (service/) read the same table,
`applications`, and judge an approved application by the same dates rule (`refusal`). The
database is SQLite under the home by default (`<home>/service/service.sqlite`), PostgreSQL by URL
(CITYLAKE_METADATA_URL=postgresql://user@host:port/db, driven by psycopg 3; CITYLAKE_SERVICE_DB is
the older name of the same setting). catalogs/applications.yml is demo seed data, loaded into a
database once (`seed`, on first use) and never written.

Writers that read before they write (the hash-chained exchange log, the seed) go one at a time:
`writing` takes SQLite's write lock first (BEGIN IMMEDIATE, queued by a file lock) and, on PostgreSQL, a
transaction-level advisory lock (`pg_advisory_xact_lock`) that every `writing` transaction of every worker waits for.

This module sits below service/ (which adds its own tables to `metadata`) so that catalogs/ can
use it without importing the service.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from catalogs import sqlfiles
from citylake.core.paths import Home
from citylake.core.yamlio import load_yaml

DB_ENV = "CITYLAKE_METADATA_URL"
OLD_DB_ENV = "CITYLAKE_SERVICE_DB"     # the first slice's name, still read
PG_WRITE_LOCK = 0x63697479            # the advisory-lock key of `writing` ("city")
SEED_FILE = Path(__file__).with_name("applications.yml")
STATUSES = ("pending_review", "pending", "approved", "refused", "returned")   # pending: with the provider

metadata = sa.MetaData()

applications = sa.Table(
    "applications", metadata,
    sa.Column("application_id", sa.String(32), primary_key=True),
    sa.Column("client_id", sa.String(64), index=True),            # the app that applied; NULL: filed by CLI/seed
    sa.Column("department", sa.String(32), nullable=False),       # the applying department
    sa.Column("resource_code", sa.String(32), nullable=False),
    sa.Column("provider", sa.String(32), nullable=False),         # the department that decides
    sa.Column("columns", sa.Text, nullable=False),                # JSON list: asked; once approved, granted
    sa.Column("row_filter", sa.Text, nullable=False),             # JSON [[column, "op.value"], ...]
    sa.Column("purpose", sa.String(500), nullable=False),
    sa.Column("legal_basis", sa.String(500), nullable=False),
    sa.Column("valid_until", sa.String(10), nullable=False),      # ISO date, last day the grant works
    sa.Column("status", sa.String(16), nullable=False),           # pending_review | pending | approved | refused | returned
    sa.Column("reason", sa.String(500)),
    sa.Column("applied_on", sa.String(10), nullable=False),
    sa.Column("decided_on", sa.String(10)),                       # approved_on: the day of the decision
    sa.Column("valid_from", sa.String(10)),                       # in force from (set on approval)
    sa.Column("approver", sa.String(200)),
    sa.Column("unmasked", sa.Text),     # JSON list: personal columns granted in clear (明文); NULL: none
    # what was asked (JSON lists), kept beside `columns` / `unmasked`, which hold the request until the
    # provider approves and what it approved from then on (a partial approval cuts them); NULL (rows filed
    # before version 4): the same as `columns` / `unmasked`
    sa.Column("requested_columns", sa.Text),
    sa.Column("requested_unmasked", sa.Text),
    # the platform's conformity review (合规性审核, service.review): the day it passed or returned the
    # application, and its note (a return's reason); NULL for rows with the provider before version 5
    sa.Column("reviewed_on", sa.String(10)),
    sa.Column("review_note", sa.String(500)),
)

# One row: bumped in the same transaction as every write that changes what a call may do (an app
# revoked or added, a secret rotated, a token revoked, an application decided or seeded, an objection
# filed or resolved). A server process keeps what it read until the number moves (service.access).
access_changes = sa.Table(
    "access_changes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("generation", sa.BigInteger, nullable=False),
)

seeds = sa.Table(
    "seeds", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("loaded_at", sa.String(32), nullable=False),
)


def db_url(h: Home) -> str:
    """The metadata database of a home: CITYLAKE_METADATA_URL (or CITYLAKE_SERVICE_DB), else SQLite under the home."""
    url = os.environ.get(DB_ENV) or os.environ.get(OLD_DB_ENV)
    return sqlalchemy_url(url) if url else f"sqlite:///{h.root / 'service' / 'service.sqlite'}"


def sqlalchemy_url(url: str) -> str:
    """postgresql:// (or postgres://) with psycopg 3 as the driver; any other URL unchanged."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    return url


def refusal(application_id: str, status: str, valid_from: date | None, valid_until: date | None,
            today: date, night: date | None = None) -> str | None:
    """Why an application does not allow an exchange today of the data of `night` (None: it does).

    The exchange happens today, so today must lie in [valid_from, valid_until]; the data of a night
    after valid_until is not covered. A night before valid_from is: approving today lets the
    department receive the data the lake holds now (last night's)."""
    if status != "approved":
        return f"{application_id} is {status}"
    if today > valid_until or (night is not None and night > valid_until):
        return f"{application_id} expired on {valid_until}"
    if valid_from is not None and today < valid_from:
        return f"{application_id} is valid only from {valid_from}"
    return None


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
def _queue_for_sqlite_writes(engine: sa.Engine) -> Iterator[None]:
    """On a SQLite file, wait for the other `writing` transactions of every process in the kernel's queue
    (an exclusive flock on `<database>.writelock`): SQLite's own busy wait sleeps up to 100 ms a retry,
    which several server workers appending to the exchange log at once would pay on many calls."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    fd = os.open(f"{path}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)                    # closing the descriptor releases the lock


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that takes the write lock first, for read-then-write steps: SQLite's BEGIN IMMEDIATE
    (after the queue of `_queue_for_sqlite_writes`); on PostgreSQL the advisory lock PG_WRITE_LOCK, held until
    commit (READ COMMITTED: the statements after it see what the previous holder committed)."""
    with _queue_for_sqlite_writes(engine), engine.connect() as conn:
        conn = conn.execution_options(immediate=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(sqlfiles.load("pg_write_lock.sql")), {"key": PG_WRITE_LOCK})
            yield conn


def touch(conn: sa.Connection) -> None:
    """Move the access change counter, inside the caller's write transaction."""
    conn.execute(access_changes.update().where(access_changes.c.id == 1)
                 .values(generation=access_changes.c.generation + 1))


def generation_query() -> sa.Select:
    """The read of the access change counter (its one row is made by catalogs.migrations)."""
    return sa.select(access_changes.c.generation).where(access_changes.c.id == 1)


def generation(conn: sa.Connection) -> int:
    """The access change counter."""
    return conn.execute(generation_query()).scalar_one()


def open_engine(url: str) -> sa.Engine:
    """An engine on the metadata database, its tables created or upgraded in place (catalogs.migrations) and
    the demo applications seeded if missing."""
    from catalogs import migrations  # beside this module (it adds `schema_version` to `metadata`)

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        _sqlite(engine)
    with writing(engine) as conn:
        migrations.migrate(conn, datetime.now(UTC).isoformat())
    seed(engine)
    return engine


def _seed_row(a: dict) -> dict:
    status = str(a.get("status") or "pending")
    if status not in STATUSES:
        raise ValueError(f"{SEED_FILE.name}: application {a.get('id')}: status {status!r} not in {STATUSES}")
    day = {k: (str(a[k]) if a.get(k) else None) for k in ("applied_on", "approved_on", "valid_from", "valid_until")}
    return {"application_id": str(a["id"]), "client_id": None, "department": str(a["department"]),
            "resource_code": str(a["resource"]), "provider": str(a["provider"]),
            "columns": json.dumps(list(a["items"])), "row_filter": "[]", "purpose": str(a["purpose"]),
            "legal_basis": str(a["legal_basis"]), "valid_until": day["valid_until"] or "9999-12-31",
            "status": status, "reason": a.get("reason"), "applied_on": day["applied_on"],
            "decided_on": day["approved_on"], "valid_from": day["valid_from"], "approver": a.get("approver")}


def seed(engine: sa.Engine, path: Path = SEED_FILE) -> int:
    """Load the demo applications into the database once (a `seeds` row remembers it); rows loaded."""
    rows = [_seed_row(a) for a in (load_yaml(path) or {}).get("applications") or []]
    with writing(engine) as conn:
        if conn.execute(sa.select(seeds.c.name).where(seeds.c.name == path.name)).first():
            return 0
        have = set(conn.execute(sa.select(applications.c.application_id)).scalars())
        new = [r for r in rows if r["application_id"] not in have]
        if new:
            conn.execute(applications.insert(), new)
            touch(conn)
        conn.execute(seeds.insert().values(name=path.name, loaded_at=datetime.now(UTC).isoformat()))
    return len(new)


def all_applications(engine: sa.Engine) -> list[dict]:
    """Every application, oldest first, its JSON fields decoded."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(applications).order_by(applications.c.applied_on,
                                                             applications.c.application_id)).all()
    return [dict(r._mapping, columns=json.loads(r.columns), row_filter=json.loads(r.row_filter),
                 unmasked=unmasked(r.unmasked)) for r in rows]


def unmasked(stored: str | None) -> list[str]:
    """The personal columns an application was granted in clear (明文), from its stored JSON (NULL: none)."""
    return list(json.loads(stored)) if stored else []
