"""The exchange log's group commit (service.log.Writer) and the quota window (service.quotas.Window), in-process
on a scratch metadata database: rows of concurrent calls commit together, chained and complete."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from service import log as exchange_log
from service import quotas
from service.access import NotKept
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
    window.check(engine, "app_x", 100, 5, now)              # reads the log (1 call) and the quotas
    writer.submit(_row(1, path="/v1/datasets/x/records", rows=4)).result(timeout=60)
    window.check(engine, "app_x", 100, 5, now)              # 2 calls, 4 rows: counted without a read
    writer.submit(_row(2, path="/v1/datasets/x/records", rows=1)).result(timeout=60)
    with pytest.raises(Problem, match="rows per day"):
        window.check(engine, "app_x", 100, 5, now)
    writer.close()
    fresh = quotas.Window(refresh=3600)                     # another worker reads the same counts from the log
    with pytest.raises(Problem, match="per minute"):
        fresh.check(engine, "app_x", 3, 50, now)
    fresh.check(engine, "app_y", 3, 5, now)                 # quotas are per app
    with pytest.raises(NotKept):
        quotas.Window(refresh=3600).check(engine, "app_y", 3, 5, now, kept_only=True)   # no counts yet: a thread
    fresh.check(engine, "app_y", 3, 5, now, kept_only=True)  # counts held: answered without the database


def test_writers_queue_on_the_file_lock_before_sqlite_s_lock(engine, tmp_path):
    """While one `writing` transaction is open, the others (of any process) wait on `<db>.writelock`;
    it is free again once that transaction has committed."""
    import fcntl
    import os
    import threading

    from service.metadb import writing

    lock = tmp_path / "service.sqlite.writelock"
    entered, release, second = threading.Event(), threading.Event(), []

    def first() -> None:
        with writing(engine):
            entered.set()
            release.wait(timeout=60)

    def other() -> None:
        with writing(engine):
            second.append(release.is_set())

    a = threading.Thread(target=first)
    a.start()
    assert entered.wait(timeout=60) and lock.exists()
    fd = os.open(lock, os.O_RDWR)
    with pytest.raises(BlockingIOError):
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)       # held by the open transaction
    b = threading.Thread(target=other)
    b.start()
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert second == [True]                                    # the second writer entered after the first left
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)             # and nobody holds it now
    os.close(fd)


def test_a_slow_read_of_the_counts_holds_up_no_other_call(engine, monkeypatch):
    """While one thread reads an app's counts from the log, the others answer from the counts held (no lock held
    during the read, no NotKept), and the log writer can still count what it commits."""
    import threading

    window, now = quotas.Window(refresh=0.0), datetime.now(UTC)
    window.check(engine, "app_x", 100, 50, now)                      # counts held (refresh 0: always due)
    reading, release, real = threading.Event(), threading.Event(), quotas.counts

    def slow(conn, client_id, at):
        reading.set()
        release.wait(timeout=60)
        return real(conn, client_id, at)

    monkeypatch.setattr(quotas, "counts", slow)
    t = threading.Thread(target=window.check, args=(engine, "app_x", 100, 50, now))
    t.start()
    assert reading.wait(timeout=60)
    window.check(engine, "app_x", 100, 50, now, kept_only=True)      # the held counts, at once
    window.committed([_row(9)])                                      # the writer is not blocked either
    release.set()
    t.join(timeout=60)
    assert not t.is_alive()
