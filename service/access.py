"""What decides a call's access, held by one server process: the token check (app active, secret live,
token not revoked), the app's grants, the open objections per dataset and the verification withdrawals.

Every call reads one number, the access change counter (catalogs.grants.generation). Each write that
changes access moves it in its own transaction (catalogs.grants.touch), so while it stands still the
values read earlier are still what the database says, and the next call after a revocation, a
decision, a rotation or an objection reads them again. A value is kept only if the counter did not
move while it was being read (`_keep`): a revocation that lands during a read is never hidden.
The counter is read by `Counter`: on SQLite from a connection per thread held open (a one-row read,
a few µs); a connection to the database is opened only for a value not kept.

A route may ask for kept values only (`kept_only`): then a value not kept raises `NotKept` instead of
reading the database, so that a call whose values are all in memory is answered in the event loop and
only the others go to a worker thread (service.app).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from service import applications, apps, objections, verify_policy
from service.metadb import generation, generation_query

T = TypeVar("T")
MAX_KEPT = 50_000        # past this many values (one per live token, app and dataset), start again


class NotKept(Exception):
    """A value asked for `kept_only` is not in memory: answer the call in a worker thread instead."""


class Counter:
    """Reads the access change counter: on SQLite through a read-only connection per thread, kept open (each
    read in autocommit sees the last commit of any process); on another database through the engine."""

    def __init__(self, engine: sa.Engine):
        self._engine = engine
        self._path = engine.url.database if engine.dialect.name == "sqlite" else None
        self._sql = str(generation_query().compile(engine, compile_kwargs={"literal_binds": True}))
        self._local = threading.local()

    @property
    def local(self) -> bool:
        """Whether a read is a local file read of microseconds (SQLite), not a round trip to a server."""
        return self._path is not None

    def read(self) -> int:
        if self._path is None:
            with self._engine.connect() as conn:
                return generation(conn)
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, isolation_level=None)
        return int(db.execute(self._sql).fetchone()[0])


class Access:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._counter = Counter(engine)
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._kept: dict[tuple, object] = {}

    def sync(self, kept_only: bool = False) -> int:
        """Read the counter; forget every value read under an older one. The counter, for `_get`."""
        if kept_only and not self._counter.local:
            raise NotKept("the counter is on a database server")
        g = self._counter.read()
        with self._lock:
            if g != self._generation:
                self._generation, self._kept = g, {}
        return g

    def _get(self, g: int, key: tuple, read: Callable[[], T], kept_only: bool = False) -> T:
        with self._lock:
            if key in self._kept:
                return self._kept[key]  # type: ignore[return-value]
        if kept_only:
            raise NotKept(key[0])
        value = read()
        self._keep(g, key, value)
        return value

    def _keep(self, g: int, key: tuple, value: object) -> None:
        with self._lock:
            if g != self._generation:
                return
            if len(self._kept) >= MAX_KEPT:
                self._kept = {}
            self._kept[key] = value

    def token_live(self, g: int, client_id: str, secret_id: int, jti: str, kept_only: bool = False) -> apps.App | None:
        return self._get(g, ("token", client_id, secret_id, jti),
                         lambda: self._read(apps.token_live, client_id, secret_id, jti), kept_only)

    def grants_of(self, g: int, client_id: str) -> dict[str, applications.Grant]:
        return self._get(g, ("grants", client_id), lambda: self._read(applications.grants_of, client_id))

    def open_marks(self, g: int, resource_code: str) -> list[objections.Mark]:
        return self._get(g, ("marks", resource_code), lambda: self._read(objections.open_marks, resource_code))

    def verify_withdrawals(self, g: int, kept_only: bool = False) -> tuple[verify_policy.Withdrawal, ...]:
        return self._get(g, ("verify_withdrawals",), lambda: self._read(verify_policy.in_force), kept_only)

    def _read(self, query: Callable[..., T], *key) -> T:
        with self._engine.connect() as conn:
            return query(conn, *key)
