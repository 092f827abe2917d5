"""Processes the PostgreSQL-catalog tests run side by side (spawned: each its own DuckDB)."""

from __future__ import annotations

from pathlib import Path

from citylake.core import db
from citylake.core.paths import Home


def append(root: str, writer: int, n: int, errors) -> None:  # noqa: ANN001 - a multiprocessing queue
    """`n` one-row commits into lake.main.events; every failed commit is put on `errors`."""
    conn = db.connect(h=Home(Path(root)))
    for i in range(n):
        try:
            conn.execute("insert into events values (?, ?)", [writer, i])
        except Exception as e:  # noqa: BLE001 - counted, the test asserts there are none
            errors.put(f"{type(e).__name__}: {e}")
    conn.close()


def count_while(root: str, stop, seen) -> None:  # noqa: ANN001 - multiprocessing event and queue
    """Count lake.main.events until `stop` is set; put each count that differs from the last one
    (and every error) on `seen` — few items, so the queue never blocks the process's exit."""
    conn = db.connect(h=Home(Path(root)), read_only=True)
    last = None
    while not stop.is_set():
        try:
            count = conn.execute("select count(*) from events").fetchone()[0]
        except Exception as e:  # noqa: BLE001 - reported to the test
            count = f"{type(e).__name__}: {e}"
        if count != last:
            seen.put(count)
            last = count
    conn.close()


def log_append(url: str, writer: int, n: int, errors) -> None:  # noqa: ANN001 - a multiprocessing queue
    """`n` rows appended to the service's hash-chained exchange log on the metadata DB at `url`."""
    from service import log
    from service.metadb import open_engine

    engine = open_engine(url)
    for i in range(n):
        try:
            log.append(engine, {"at": f"2026-12-01T10:00:{i % 60:02d}+00:00", "client_id": f"app_w{writer}",
                                "method": "GET", "path": "/v1/health", "status": 200, "latency_ms": 0.5 + i})
        except Exception as e:  # noqa: BLE001 - counted, the test asserts there are none
            errors.put(f"{type(e).__name__}: {e}")
    engine.dispose()
