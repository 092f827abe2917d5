"""What decides a call's access, held by one server process: the token check (app active, secret live,
token not revoked), the app's grants and the open objections per dataset.

Every call reads one number, the access change counter (catalogs.grants.generation). Each write that
changes access moves it in its own transaction (catalogs.grants.touch), so while it stands still the
values read earlier are still what the database says, and the next call after a revocation, a
decision, a rotation or an objection reads them again. A value is kept only if the counter did not
move while it was being read (`_keep`): a revocation that lands during a read is never hidden.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from service import applications, apps, objections
from service.metadb import generation

T = TypeVar("T")
MAX_KEPT = 50_000        # past this many values (one per live token, app and dataset), start again


class Access:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._kept: dict[tuple, object] = {}

    def sync(self, conn: sa.Connection) -> int:
        """Read the counter; forget every value read under an older one. The counter, for `_get`."""
        g = generation(conn)
        with self._lock:
            if g != self._generation:
                self._generation, self._kept = g, {}
        return g

    def _get(self, g: int, key: tuple, read: Callable[[], T]) -> T:
        with self._lock:
            if key in self._kept:
                return self._kept[key]  # type: ignore[return-value]
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

    def token_live(self, conn: sa.Connection, g: int, client_id: str, secret_id: int, jti: str) -> apps.App | None:
        return self._get(g, ("token", client_id, secret_id, jti), lambda: apps.token_live(conn, client_id, secret_id, jti))

    def grants_of(self, engine: sa.Engine, g: int, client_id: str) -> dict[str, applications.Grant]:
        return self._get(g, ("grants", client_id), lambda: _read(engine, applications.grants_of, client_id))

    def open_marks(self, engine: sa.Engine, g: int, resource_code: str) -> list[objections.Mark]:
        return self._get(g, ("marks", resource_code), lambda: _read(engine, objections.open_marks, resource_code))


def _read(engine: sa.Engine, query: Callable[[sa.Connection, str], T], key: str) -> T:
    with engine.connect() as conn:
        return query(conn, key)
