"""The platform's metadata database on PostgreSQL by URL (CITYLAKE_METADATA_URL), on a real throw-away
server (tests/pg/conftest.py): the tables, the seeded grants and the workflow work as on SQLite; several
processes — and `citylake serve --workers 2` — append to the exchange log and keep one hash chain."""

from __future__ import annotations

import multiprocessing as mp
import queue
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pgworkers
import pytest
import sqlalchemy as sa

from catalogs import grants, publish
from citylake.core.paths import Home

sys.path.insert(0, str(Path(__file__).parents[1] / "service"))
import svcfixtures as sf  # noqa: E402
from test_migrations import upgraded_in_place  # noqa: E402


@pytest.fixture
def pg_meta(pg_metadata_url, monkeypatch):
    monkeypatch.setenv(grants.DB_ENV, pg_metadata_url)
    monkeypatch.delenv(grants.OLD_DB_ENV, raising=False)
    return pg_metadata_url


def test_the_metadata_db_is_postgresql_by_url(pg_meta, tmp_path):
    from service import applications, apps
    from service.metadb import open_engine

    h = Home(tmp_path / "home")
    url = grants.db_url(h)
    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = open_engine(url)
    assert engine.dialect.name == "postgresql" and not (tmp_path / "home" / "service").exists()
    assert {"applications", "apps", "exchange_log", "objections"} <= set(sa.inspect(engine).get_table_names())
    seeded = {a.id: a for a in publish.load_applications(h)}          # the grants the packages read
    assert seeded["SQ-2026-0002"].status == "pending"
    applications.decide(engine, "SQ-2026-0002", "gsb", True, "", date(2026, 12, 1))
    assert {a.id: a for a in publish.load_applications(h)}["SQ-2026-0002"].status == "approved"
    app, _ = apps.add(engine, "civil", "低保核对系统", {"civil"})
    assert [a["client_id"] for a in apps.listing(engine)] == [app.client_id]
    assert grants.seed(engine) == 0                                     # once, as on SQLite
    engine.dispose()


def test_processes_appending_side_by_side_keep_one_chain(pg_meta):
    from service import log
    from service.metadb import exchange_log, open_engine

    url = grants.sqlalchemy_url(pg_meta)
    open_engine(url).dispose()
    ctx = mp.get_context("spawn")
    errors = ctx.Queue()
    procs = [ctx.Process(target=pgworkers.log_append, args=(url, w, 40, errors)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    found = []
    while True:
        try:
            found.append(errors.get_nowait())
        except queue.Empty:
            break
    assert found == [] and all(p.exitcode == 0 for p in procs)
    engine = open_engine(url)
    assert log.verify(engine) == (160, [])
    with engine.begin() as c:                                          # an edited row is found on PostgreSQL too
        c.execute(exchange_log.update().where(exchange_log.c.seq == 7).values(status=500))
    n, problems = log.verify(engine)
    assert n == 160 and problems == ["row 7: content does not match its hash (the row was edited)"]
    engine.dispose()


@pytest.mark.slow
def test_serve_with_two_workers_logs_one_chain_on_postgresql(pg_meta, tmp_path):
    h = sf.build_lake(tmp_path / "home")
    server = sf.Server(h, "--workers", "2", wait=300)     # two workers start slowly on a loaded machine
    try:
        creds = sf.add_app(h, "civil", "低保核对系统")
        auth = {"Authorization": f"Bearer {sf.token(server.url, creds)}"}

        def call(i: int) -> int:
            return sf.get(f"{server.url}/v1/datasets/102001001-000001/records", params={"limit": "3"},
                          headers=auth).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(call, range(60))) == {200}
    finally:
        server.stop()
    out = sf.cli(h, "service", "log", "verify").stdout
    n = int(re.search(r"exchange log intact: (\d+) rows", out).group(1))
    assert n >= 61, out                                   # the token, 60 calls, the server's health polls
    assert not (h.root / "service" / "service.sqlite").exists()
    engine = sa.create_engine(grants.sqlalchemy_url(pg_meta))
    with engine.connect() as c:
        assert c.execute(sa.text("select count(*) from exchange_log")).scalar() == n
    engine.dispose()


def test_a_first_slice_database_on_postgresql_is_upgraded_in_place(pg_meta):
    upgraded_in_place(grants.sqlalchemy_url(pg_meta))
