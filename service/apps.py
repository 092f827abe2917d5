"""Department apps (应用): registration, secrets (argon2-hashed, two live at once), revocation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.metadb import app_secrets, apps, revoked_tokens, touch

LIVE_SECRETS = 2
_hasher = PasswordHasher()


class AppError(ValueError):
    """An operator request on apps that cannot be carried out (names the reason)."""


@dataclass(frozen=True)
class App:
    client_id: str
    department: str
    name: str
    status: str
    created_at: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_secret(conn: sa.Connection, client_id: str) -> str:
    secret = secrets.token_urlsafe(32)
    conn.execute(app_secrets.insert().values(client_id=client_id, secret_hash=_hasher.hash(secret), created_at=now()))
    return secret


def add(engine: sa.Engine, department: str, name: str, departments: set[str]) -> tuple[App, str]:
    """Register an app of `department`; returns it and its first secret (shown once, stored hashed)."""
    if department not in departments:
        raise AppError(f"unknown department {department!r}: the feed registry has {', '.join(sorted(departments))}")
    if not name.strip():
        raise AppError("an app needs a name")
    app = App(client_id=f"app_{secrets.token_hex(8)}", department=department, name=name.strip(), status="active",
              created_at=now())
    with engine.begin() as conn:
        conn.execute(apps.insert().values(**app.__dict__))
        secret = _new_secret(conn, app.client_id)
        touch(conn)
    return app, secret


def get(conn: sa.Connection, client_id: str) -> App | None:
    row = conn.execute(sa.select(apps.c.client_id, apps.c.department, apps.c.name, apps.c.status,
                                 apps.c.created_at).where(apps.c.client_id == client_id)).first()
    return App(*row) if row else None


def _require(conn: sa.Connection, client_id: str) -> App:
    app = get(conn, client_id)
    if app is None:
        raise AppError(f"no app {client_id!r}")
    if app.status != "active":
        raise AppError(f"app {client_id} is {app.status}")
    return app


def rotate(engine: sa.Engine, client_id: str) -> str:
    """A new secret; the newest previous one stays live (two at once), older ones are retired."""
    with engine.begin() as conn:
        _require(conn, client_id)
        secret = _new_secret(conn, client_id)
        live = conn.execute(sa.select(app_secrets.c.secret_id).where(
            app_secrets.c.client_id == client_id, app_secrets.c.retired_at.is_(None))
            .order_by(app_secrets.c.secret_id.desc())).scalars().all()
        if len(live) > LIVE_SECRETS:
            conn.execute(app_secrets.update().where(app_secrets.c.secret_id.in_(live[LIVE_SECRETS:]))
                         .values(retired_at=now()))
        touch(conn)
    return secret


def revoke(engine: sa.Engine, client_id: str) -> None:
    """Revoke an app: its secrets stop issuing tokens and its live tokens are refused on the next call."""
    with engine.begin() as conn:
        _require(conn, client_id)
        conn.execute(apps.update().where(apps.c.client_id == client_id).values(status="revoked", revoked_at=now()))
        touch(conn)


def revoke_token(engine: sa.Engine, jti: str) -> None:
    with engine.begin() as conn:
        if conn.execute(sa.select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == jti)).first() is None:
            conn.execute(revoked_tokens.insert().values(jti=jti, revoked_at=now()))
            touch(conn)


def listing(engine: sa.Engine) -> list[dict]:
    live = sa.func.count(app_secrets.c.secret_id).filter(app_secrets.c.retired_at.is_(None))
    q = (sa.select(apps.c.client_id, apps.c.department, apps.c.name, apps.c.status, apps.c.created_at,
                   live.label("live_secrets"))
         .select_from(apps.outerjoin(app_secrets)).group_by(apps.c.client_id).order_by(apps.c.created_at))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(32))


def _spend(secret: str) -> None:
    """As much work as a real check, so the answer's time does not tell which client ids exist."""
    try:
        _hasher.verify(_dummy_hash(), secret)
    except (VerificationError, InvalidHashError):
        pass


def authenticate(conn: sa.Connection, client_id: str, secret: str) -> tuple[App, int] | None:
    """(app, secret id) when `secret` is a live secret of an active app, else None."""
    app = get(conn, client_id)
    if app is None or app.status != "active":
        _spend(secret)
        return None
    rows = conn.execute(sa.select(app_secrets.c.secret_id, app_secrets.c.secret_hash).where(
        app_secrets.c.client_id == client_id, app_secrets.c.retired_at.is_(None))).all()
    for secret_id, hashed in rows:
        try:
            _hasher.verify(hashed, secret)
            return app, secret_id
        except (VerificationError, InvalidHashError):
            continue
    return None


def token_live(conn: sa.Connection, client_id: str, secret_id: int, jti: str) -> App | None:
    """The app behind a token when the app is active, the secret live and the token not revoked."""
    app = get(conn, client_id)
    if app is None or app.status != "active":
        return None
    if conn.execute(sa.select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == jti)).first() is not None:
        return None
    secret = conn.execute(sa.select(app_secrets.c.retired_at).where(
        app_secrets.c.secret_id == secret_id, app_secrets.c.client_id == client_id)).first()
    return app if secret is not None and secret[0] is None else None
