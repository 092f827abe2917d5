"""Errors as RFC 9457 problem details (`application/problem+json`), one line each."""

from __future__ import annotations

import json

from starlette.responses import Response

MEDIA_TYPE = "application/problem+json"
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
          410: "Gone", 422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error"}


class Problem(Exception):
    """A refusal with its HTTP status and a one-line detail a human can act on."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: str):
        super().__init__(detail)
        self.status = status
        self.detail = " ".join(str(detail).split())   # one line, whatever the message held
        self.headers = headers or {}
        self.extra = extra                             # extension members, e.g. OAuth2's `error`


def response(p: Problem) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(p.status, "Error"), "status": p.status, "detail": p.detail,
            **p.extra}
    headers = dict(p.headers)
    if p.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="citylake"')
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), status_code=p.status,
                    media_type=MEDIA_TYPE, headers=headers)
