"""Loopback ports for the servers tests start (citylake serve, PostgreSQL, Airflow's services): a free
ephemeral port, or, with CITYLAKE_TEST_PORTS=FIRST-LAST (e.g. 8200-8249 on a machine shared by several
engineers; PostgreSQL reads CITYLAKE_TEST_PG_PORTS), a free one of that range."""

from __future__ import annotations

import itertools
import os
import socket

_next = itertools.count()


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port(range_env: str = "CITYLAKE_TEST_PORTS") -> int:
    span = os.environ.get(range_env)
    if not span:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    first, last = (int(p) for p in span.split("-"))
    for _ in range(last - first + 1):   # round robin, so a port just released is not handed out again at once
        port = first + next(_next) % (last - first + 1)
        if _bindable(port):
            return port
    raise RuntimeError(f"{range_env}={span}: no free port")
