"""The lake on a PostgreSQL DuckLake catalog (a real throw-away server, tests/pg/conftest.py):
it attaches, writes, reads and travels in time; two writer processes commit side by side
without an error while a reader never sees the count go backwards; a commit that lost a race
("Transaction conflict") is run again by the one retry rule (citylake.core.db.retrying)."""

from __future__ import annotations

import multiprocessing as mp
import queue

import pgworkers
import pytest

from citylake.core import db
from citylake.core.errors import UserError
from citylake.core.paths import Home
from quality.gates import lake_write


@pytest.fixture
def pg_home(tmp_path, pg_url, monkeypatch):
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg_url)
    monkeypatch.delenv(db.METADATA_SCHEMA_ENV, raising=False)
    return Home(tmp_path / "home")


def test_lake_on_postgres_writes_reads_and_travels_in_time(pg_home, monkeypatch):
    conn = db.connect(h=pg_home)
    conn.execute("create table t as select 1 as x")
    first = conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]
    conn.execute("insert into t values (2)")
    conn.close()
    assert not (pg_home.lake / "catalog.sqlite").exists()
    assert db.catalog(pg_home).kind == "postgres" and pg_home.lake_catalog == pg_home.lake_catalog_record
    monkeypatch.delenv(db.CATALOG_URL_ENV)  # the home recorded its catalog: later commands find it
    conn = db.connect(h=pg_home, read_only=True)
    assert conn.execute("select list(x order by x) from t").fetchone()[0] == [1, 2]
    conn.execute("use memory")
    conn.execute("detach lake")
    conn.execute(db.ducklake_attach_sql(pg_home, read_only=True, snapshot=first))
    assert conn.execute("select list(x) from lake.t").fetchone()[0] == [1]


def test_metadata_schema_lets_two_lakes_share_one_database(tmp_path, pg_url, monkeypatch):
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg_url)
    for name in ("deyang", "mianyang"):
        monkeypatch.setenv(db.METADATA_SCHEMA_ENV, f"lake_{name}")
        conn = db.connect(h=Home(tmp_path / name))
        conn.execute("create table city as select ? as name", [name])
        conn.close()
    monkeypatch.setenv(db.METADATA_SCHEMA_ENV, "lake_deyang")
    conn = db.connect(h=Home(tmp_path / "deyang"), read_only=True)
    assert conn.execute("select list(name) from city").fetchone()[0] == ["deyang"]


def test_a_home_refuses_another_catalog_than_its_lake_lives_on(pg_home, pg, monkeypatch, tmp_path):
    db.connect(h=pg_home).close()
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg.url("another"))
    with pytest.raises(UserError, match="another catalog than this home's lake lives on"):
        db.connect(h=pg_home)
    sqlite_home = Home(tmp_path / "on_sqlite")
    monkeypatch.delenv(db.CATALOG_URL_ENV)
    db.connect(h=sqlite_home).close()
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg.url())
    with pytest.raises(UserError, match="lake is on SQLite"):
        db.connect(h=sqlite_home)


def test_two_writers_commit_side_by_side_and_a_reader_never_goes_back(pg_home):
    conn = db.connect(h=pg_home)
    conn.execute("create table events (writer int, i int)")
    conn.close()
    ctx = mp.get_context("spawn")
    errors, seen, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    reader = ctx.Process(target=pgworkers.count_while, args=(str(pg_home.root), stop, seen))
    reader.start()
    counts = [seen.get(timeout=120)]  # the reader is counting before the writers start
    writers = [ctx.Process(target=pgworkers.append, args=(str(pg_home.root), w, 60, errors)) for w in (1, 2)]
    for p in writers:
        p.start()
    for p in writers:
        p.join(timeout=300)
    stop.set()
    reader.join(timeout=60)
    counts += _drain(seen)
    assert _drain(errors) == [] and all(p.exitcode == 0 for p in [*writers, reader])
    assert all(isinstance(c, int) for c in counts), [c for c in counts if not isinstance(c, int)][:3]
    assert counts == sorted(counts) and len(set(counts)) > 2
    conn = db.connect(h=pg_home, read_only=True)
    assert conn.execute("select count(*), count(distinct (writer, i)) from events").fetchone() == (120, 120)


def test_a_commit_that_lost_a_race_is_retried(pg_home):
    conn = db.connect(h=pg_home)
    conn.execute("create table t as select range as x from range(10)")
    attempts = []

    def delete_one(lake) -> None:  # noqa: ANN001 - a DuckDB connection with the lake
        lake.execute("begin")
        lake.execute("delete from t where x = 1")
        if not attempts:  # another writer commits a delete on the same table first: a real conflict
            conn.execute("delete from t where x = 2")
        attempts.append(1)
        lake.execute("commit")

    lake_write(pg_home, delete_one)
    assert len(attempts) == 2
    assert conn.execute("select count(*), bool_or(x in (1, 2)) from t").fetchone() == (8, False)


def test_a_conflict_is_raised_once_the_attempts_are_spent(pg_home):
    conn = db.connect(h=pg_home)
    conn.execute("create table t as select range as x from range(10)")

    def always_loses() -> None:
        lake = db.connect(h=pg_home)
        lake.execute("begin")
        lake.execute("delete from t where x = (select min(x) from t)")
        conn.execute("delete from t where x = (select max(x) from t)")
        lake.execute("commit")

    with pytest.raises(Exception, match="Transaction conflict"):
        db.retrying(always_loses, attempts=2, first_delay=0.01)


def _drain(q) -> list:  # noqa: ANN001 - a multiprocessing queue
    out = []
    while True:
        try:
            out.append(q.get(timeout=0.5))
        except queue.Empty:
            return out


def test_print_attach_opens_the_postgres_lake_from_a_plain_duckdb(pg_home):
    import duckdb
    from typer.testing import CliRunner

    from citylake.cli.main import app

    conn = db.connect(h=pg_home)
    conn.execute("create table t as select 42 as answer")
    conn.close()
    r = CliRunner().invoke(app, ["sql", "--print-attach"], env={"CITYLAKE_HOME": str(pg_home.root)})
    assert r.exit_code == 0 and "ATTACH 'ducklake:postgres:dbname=" in r.stdout and "LOAD postgres;" in r.stdout
    plain = duckdb.connect()
    plain.execute(r.stdout)  # the whole recipe, as a user pastes it
    assert plain.execute("select answer from t").fetchone() == (42,)


def test_the_documented_move_copies_a_sqlite_lake_onto_postgres(tmp_path, pg_url, monkeypatch):
    """docs/scale-out.md: a new home on PostgreSQL takes the SQLite lake's tables and views with
    DuckLake's COPY FROM DATABASE (history stays with the old lake)."""
    monkeypatch.delenv(db.CATALOG_URL_ENV, raising=False)
    old = Home(tmp_path / "old")
    conn = db.connect(h=old)
    conn.execute("create schema base")
    conn.execute("create table base.population as select range as id from range(100)")
    conn.execute("create view base.twice as select id * 2 as id2 from base.population")
    conn.close()
    monkeypatch.setenv(db.CATALOG_URL_ENV, pg_url)
    new = Home(tmp_path / "new")
    conn = db.connect(h=new)
    db.load_extensions(conn, ("sqlite",))
    conn.execute(f"ATTACH 'ducklake:sqlite:{old.lake_catalog}' AS old (DATA_PATH '{old.lake_data}/', READ_ONLY)")
    conn.execute("COPY FROM DATABASE old TO lake")
    assert conn.execute("select count(*), sum(id2) from base.population, base.twice where id2 = id * 2"
                        ).fetchone() == (100, 9900)
    assert db.catalog(new).kind == "postgres"


def test_maintain_on_postgres_keeps_the_night_marks(pg_home):
    from citylake.cli.lake import maintain
    from citylake.cli.sql import open_lake
    from citylake.orchestration.nightmarks import mark_night_end

    conn = db.connect(h=pg_home)
    conn.execute("create table t (night varchar, i int)")
    conn.close()
    for night in ("2026-11-01", "2026-11-02"):
        conn = db.connect(h=pg_home)
        for i in range(3):
            conn.execute("insert into t values (?, ?)", [night, i])
        conn.close()
        mark_night_end(night, h=pg_home)
    done = maintain(pg_home, keep_nights=1)
    assert done.expired >= 3 and done.kept_nights == ["2026-11-02"]
    assert open_lake(pg_home, night="2026-11-01").execute("select count(*) from t").fetchone() == (3,)
    assert open_lake(pg_home).execute("select count(*) from t").fetchone() == (6,)
