"""A server process's access values (service.access.Access): read once, kept while the access change
counter stands still, read again after any change — and never kept when a change lands during the read.
(tests/service/test_auth.py proves the same against the real server with the CLI in another process.)"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from service import apps
from service.access import Access, Counter, NotKept
from service.metadb import app_secrets, generation, open_engine


def _engine_with_app(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'service.sqlite'}")
    app, _ = apps.add(engine, "civil", "低保核对系统", {"civil"})
    with engine.connect() as c:
        sid = c.execute(sa.select(app_secrets.c.secret_id)).scalar_one()
    return engine, app, sid


def test_values_are_kept_until_access_changes(tmp_path, monkeypatch):
    engine, app, sid = _engine_with_app(tmp_path)
    access, reads = Access(engine), []
    real = apps.token_live
    monkeypatch.setattr(apps, "token_live", lambda *a: reads.append(a) or real(*a))
    g = access.sync()
    assert access.token_live(g, app.client_id, sid, "jti-1") == app
    assert access.token_live(access.sync(), app.client_id, sid, "jti-1") == app
    assert len(reads) == 1                                   # the second call read only the counter
    apps.revoke_token(engine, "jti-1")                       # e.g. the CLI, in another process
    assert access.token_live(access.sync(), app.client_id, sid, "jti-1") is None
    assert len(reads) == 2
    engine.dispose()


def test_the_counter_is_the_database_s_on_every_read(tmp_path):
    """The per-thread SQLite connection sees each commit of another connection at once (no snapshot held)."""
    engine, app, _ = _engine_with_app(tmp_path)
    counter = Counter(engine)

    def now() -> int:
        with engine.connect() as c:
            return generation(c)

    assert counter.read() == now()
    apps.rotate(engine, app.client_id)
    assert counter.read() == now()
    seen = []
    t = threading.Thread(target=lambda: seen.append(counter.read()))     # another thread: its own connection
    t.start()
    t.join()
    apps.revoke(engine, app.client_id)
    assert seen == [now() - 1] and counter.read() == now()
    engine.dispose()


def test_every_access_write_moves_the_counter(tmp_path):
    engine, app, _ = _engine_with_app(tmp_path)

    def now() -> int:
        with engine.connect() as c:
            return generation(c)

    before = now()
    apps.rotate(engine, app.client_id)
    after_rotate = now()
    apps.revoke(engine, app.client_id)
    assert before < after_rotate < now()
    engine.dispose()


def test_a_value_read_while_access_changed_is_not_kept(tmp_path):
    engine, app, sid = _engine_with_app(tmp_path)
    access = Access(engine)
    stale = access.sync()
    live = access.token_live(stale, app.client_id, sid, "jti-2")
    apps.revoke(engine, app.client_id)
    access.sync()                                            # another thread saw the change first
    access._keep(stale, ("token", app.client_id, sid, "jti-3"), live)   # the slow read finishes late
    assert access.token_live(access.sync(), app.client_id, sid, "jti-3") is None
    engine.dispose()


def test_kept_only_never_reads_the_database(tmp_path, monkeypatch):
    engine, app, sid = _engine_with_app(tmp_path)
    access = Access(engine)
    g = access.sync(kept_only=True)                           # SQLite: the counter is a local read
    with pytest.raises(NotKept):
        access.token_live(g, app.client_id, sid, "jti-4", kept_only=True)
    assert access.token_live(g, app.client_id, sid, "jti-4") == app                 # read in a thread
    monkeypatch.setattr(apps, "token_live", lambda *a: pytest.fail("read the database"))
    assert access.token_live(access.sync(True), app.client_id, sid, "jti-4", kept_only=True) == app
    apps.rotate(engine, app.client_id)                        # access changed: nothing is kept any more
    with pytest.raises(NotKept):
        access.token_live(access.sync(True), app.client_id, sid, "jti-4", kept_only=True)
    engine.dispose()
