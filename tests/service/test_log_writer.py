"""The exchange log's group commit (service.log.Writer) and the quota window (service.quotas.Window), in-process
on a scratch metadata database: rows of concurrent calls commit together, chained and complete."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from service import log as exchange_log
from service import quotas
from service.metadb import open_engine
from service.problems import Problem


def _row(i: int, client: str = "app_x", path: str = "/v1/verify", rows: int | None = None) -> dict:
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"), "client_id": client, "method": "GET",
            "path": path, "status": 200, "latency_ms": 1.0, "bytes": i, "rows": rows}


@pytest.fixture()
def engine(tmp_path):
    e = open_engine(f"sqlite:///{tmp_path / 'service.sqlite'}")
    yield e
    e.dispose()


def test_concurrent_rows_are_all_committed_in_one_intact_chain(engine):
    seen: list[int] = []
    writer = exchange_log.Writer(engine, lambda rows: seen.append(len(rows)))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: writer.submit(_row(i)).result(timeout=60), range(200)))
    writer.close()
    exchange_log.append(engine, _row(999))                 # the one-row path chains on
    checked, problems = exchange_log.verify(engine)
    assert (checked, problems) == (201, [])
    assert sum(seen) == 200
    assert sorted(r["bytes"] for r in exchange_log.recent(engine, 300)) == [*range(200), 999]


def test_a_failed_commit_fails_every_waiting_call(engine):
    writer = exchange_log.Writer(engine)
    engine.dispose()
    with engine.begin() as conn:
        conn.exec_driver_sql("drop table exchange_log")
    with pytest.raises(Exception, match="exchange_log"):
        writer.submit(_row(1)).result(timeout=60)
    writer.close()


def test_the_window_counts_what_this_process_logs_between_reads(engine):
    window, now = quotas.Window(refresh=3600), datetime.now(UTC)
    exchange_log.append(engine, _row(0))                   # e.g. the token call, before the window knew the app
    writer = exchange_log.Writer(engine, window.committed)
    with engine.connect() as conn:
        window.check(conn, "app_x", 100, 5, now)            # reads the log (1 call) and the quotas
        writer.submit(_row(1, path="/v1/datasets/x/records", rows=4)).result(timeout=60)
        window.check(conn, "app_x", 100, 5, now)            # 2 calls, 4 rows: counted without a read
        writer.submit(_row(2, path="/v1/datasets/x/records", rows=1)).result(timeout=60)
        with pytest.raises(Problem, match="rows per day"):
            window.check(conn, "app_x", 100, 5, now)
    writer.close()
    fresh = quotas.Window(refresh=3600)                     # another worker reads the same counts from the log
    with engine.connect() as conn:
        with pytest.raises(Problem, match="per minute"):
            fresh.check(conn, "app_x", 3, 50, now)
        fresh.check(conn, "app_y", 3, 5, now)               # quotas are per app
