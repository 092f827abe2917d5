"""A server process's access values (service.access.Access): read once, kept while the access change
counter stands still, read again after any change — and never kept when a change lands during the read.
(tests/service/test_auth.py proves the same against the real server with the CLI in another process.)"""

from __future__ import annotations

import sqlalchemy as sa

from service import apps
from service.access import Access
from service.metadb import app_secrets, generation, open_engine


def _engine_with_app(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'service.sqlite'}")
    app, _ = apps.add(engine, "civil", "低保核对系统", {"civil"})
    with engine.connect() as c:
        sid = c.execute(sa.select(app_secrets.c.secret_id)).scalar_one()
    return engine, app, sid


def test_values_are_kept_until_access_changes(tmp_path, monkeypatch):
    engine, app, sid = _engine_with_app(tmp_path)
    access, reads = Access(), []
    real = apps.token_live
    monkeypatch.setattr(apps, "token_live", lambda *a: reads.append(a) or real(*a))
    with engine.connect() as c:
        g = access.sync(c)
        assert access.token_live(c, g, app.client_id, sid, "jti-1") == app
        assert access.token_live(c, access.sync(c), app.client_id, sid, "jti-1") == app
    assert len(reads) == 1                                   # the second call read only the counter
    apps.revoke_token(engine, "jti-1")                       # e.g. the CLI, in another process
    with engine.connect() as c:
        assert access.token_live(c, access.sync(c), app.client_id, sid, "jti-1") is None
    assert len(reads) == 2
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
    access = Access()
    with engine.connect() as c:
        stale = access.sync(c)
        live = access.token_live(c, stale, app.client_id, sid, "jti-2")
    apps.revoke(engine, app.client_id)
    with engine.connect() as c:
        access.sync(c)                                       # another thread saw the change first
        access._keep(stale, ("token", app.client_id, sid, "jti-3"), live)   # the slow read finishes late
        assert access.token_live(c, access.sync(c), app.client_id, sid, "jti-3") is None
    engine.dispose()
