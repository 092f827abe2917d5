"""Opaque keyset cursors, HMAC-signed: a tampered cursor, or one from another app or query, is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from service.problems import Problem

VERSION = 1
_INVALID = "the cursor is not valid (altered, or from another query or app): start again without cursor"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def fingerprint(*parts) -> str:
    """A short hash of what a cursor belongs to (app, resource, columns, filters)."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:32]


def encode(key: bytes, scope: str, snapshot: int, after: int) -> str:
    body = _b64(json.dumps({"v": VERSION, "q": scope, "s": snapshot, "k": after}, separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def decode(key: bytes, token: str, scope: str) -> tuple[int, int]:
    """(snapshot, last row id) of a cursor issued for `scope`; 400 otherwise."""
    body, _, sig = token.partition(".")
    try:
        good = hmac.compare_digest(_unb64(sig), hmac.new(key, body.encode(), hashlib.sha256).digest())
        payload = json.loads(_unb64(body)) if good else None
    except (ValueError, UnicodeDecodeError) as e:
        raise Problem(400, _INVALID) from e
    if not (isinstance(payload, dict) and payload.get("v") == VERSION and payload.get("q") == scope
            and isinstance(payload.get("s"), int) and isinstance(payload.get("k"), int)):
        raise Problem(400, _INVALID)
    return payload["s"], payload["k"]
