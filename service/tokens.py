"""Access tokens: short-lived JWTs (HS256, key under the home) of the OAuth2 client-credentials flow.

A server process checks a token's signature and claims once (`Verified`): the same string stays valid until it
expires, so later calls with it check only its expiry (revocation is service.access's, on every call)."""

from __future__ import annotations

import threading
import time
import uuid

import jwt

from service.problems import Problem

ISSUER = "citylake"
AUDIENCE = "citylake-service"
ALGORITHM = "HS256"


def issue(key: bytes, client_id: str, department: str, secret_id: int, ttl: int) -> tuple[str, str]:
    """(token, jti) for an authenticated app."""
    now = int(time.time())
    jti = uuid.uuid4().hex
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": client_id, "dept": department, "sid": secret_id,
              "iat": now, "nbf": now, "exp": now + ttl, "jti": jti}
    return jwt.encode(claims, key, algorithm=ALGORITHM), jti


def decode(key: bytes, token: str) -> dict:
    """The claims of a valid token; 401 for a forged, expired or malformed one."""
    try:
        return jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                          options={"require": ["exp", "iat", "sub", "jti", "sid"]})
    except jwt.ExpiredSignatureError as e:
        raise _expired() from e
    except jwt.InvalidTokenError as e:
        raise Problem(401, "the access token is not valid (bad signature or claims): get one at POST /v1/token") from e


def _expired() -> Problem:
    return Problem(401, "the access token has expired: get a new one at POST /v1/token")


class Verified:
    """The claims of the tokens this process has checked, by token (at most `size`, then it starts again)."""

    def __init__(self, key: bytes, size: int = 50_000):
        self._key, self._size = key, size
        self._lock = threading.Lock()
        self._claims: dict[str, dict] = {}

    def decode(self, token: str) -> dict:
        """As `decode`; a token checked before is checked again only for its expiry (as PyJWT does: exp <= now)."""
        claims = self._claims.get(token)
        if claims is None:
            claims = decode(self._key, token)
            with self._lock:
                if len(self._claims) >= self._size:
                    self._claims = {}
                self._claims[token] = claims
        elif claims["exp"] <= time.time():
            raise _expired()
        return claims


def bearer(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer …` header; 401 when absent."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "an access token is required: Authorization: Bearer <token> (POST /v1/token)")
    return token.strip()
