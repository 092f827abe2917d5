"""The lake: extensions from wheels (offline), DuckLake snapshots, readers vs writers, restore."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from citylake.core import db
from citylake.core.paths import REPO_ROOT, Home
from citylake.orchestration import snapshots


@pytest.fixture
def h(tmp_path, monkeypatch) -> Home:
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path))
    return Home(tmp_path).ensure()


def test_extensions_load_from_wheels_with_autoinstall_off(h):
    conn = db.connect(lake=False, h=h)
    loaded = {r[0] for r in conn.execute("select extension_name from duckdb_extensions() where loaded").fetchall()}
    assert {"ducklake", "sqlite_scanner", "spatial", "excel", "encodings"} <= loaded
    assert conn.execute("select current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    assert conn.execute("select ST_AsText(ST_Point(104.39, 31.13))").fetchone()[0] == "POINT (104.39 31.13)"


def test_missing_extension_wheel_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(duckdb, "__version__", "0.0.0")
    with pytest.raises(FileNotFoundError, match="duckdb-extension-spatial==0.0.0"):
        db.extension_path("spatial")


def test_each_write_is_a_snapshot_and_time_travel_works(h):
    conn = db.connect(h=h)
    conn.execute("create schema base")
    conn.execute("create table base.population as select 1 as n")
    first = snapshots.current_snapshot(h=h)
    conn.execute("create or replace table base.population as select * from range(5) t(n)")
    conn.close()
    assert snapshots.current_snapshot(h=h) > first
    reader = db.connect(read_only=True, h=h)
    assert reader.execute("select count(*) from base.population").fetchone()[0] == 5
    assert reader.execute(f"select count(*) from base.population at (version => {first})").fetchone()[0] == 1
    with pytest.raises(duckdb.Error):
        reader.execute("create table base.x as select 1")


def test_restore_puts_a_library_back_and_drops_new_tables(h):
    conn = db.connect(h=h)
    conn.execute("create schema base")
    conn.execute("create table base.population as select 'good' as v")
    conn.close()
    before = snapshots.current_snapshot(h=h)
    conn = db.connect(h=h)
    conn.execute("create or replace table base.population as select 'bad' as v")
    conn.execute("create table base.population_history as select 'new' as v")
    conn.execute("create table base.legal_entity as select 'other' as v")
    conn.close()
    done = snapshots.restore("base", "population", before, h=h)
    assert done == {"base.population": f"restored to snapshot {before}",
                    "base.population_history": "dropped (new tonight, not published)"}
    reader = db.connect(read_only=True, h=h)
    assert reader.execute("select v from base.population").fetchall() == [("good",)]
    assert reader.execute("select v from base.legal_entity").fetchall() == [("other",)], "other libraries untouched"


def test_a_reader_keeps_reading_while_another_process_writes(h):
    conn = db.connect(h=h)
    conn.execute("create schema base; create table base.t as select * from range(1000) r(n)")
    conn.close()
    writer = textwrap.dedent(f"""
        from citylake.core import db
        from pathlib import Path
        from citylake.core.paths import Home
        c = db.connect(h=Home(Path({str(h.root)!r})))
        for i in range(20):
            c.execute('insert into base.t select * from range(10)')
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], cwd=REPO_ROOT)
    reader = db.connect(read_only=True, h=h)
    seen = []
    while proc.poll() is None:
        seen.append(reader.execute("select count(*) from base.t").fetchone()[0])
    assert proc.wait() == 0
    assert seen and all(n >= 1000 for n in seen)


def test_connections_have_a_memory_limit_and_spill_directory(h, monkeypatch):
    default = db.connect(lake=False, h=h)
    # DuckDB reports the limit in binary units: 5 GB = 4.6 GiB, not its default of 80 % of RAM.
    assert default.execute("select current_setting('memory_limit')").fetchone()[0] == "4.6 GiB"
    spill = default.execute("select current_setting('temp_directory')").fetchone()[0]
    assert spill.startswith(str(h.duckdb_spill) + "/")
    monkeypatch.setenv(db.MEMORY_LIMIT_ENV, "512MB")
    small = db.connect(lake=False, h=h)
    assert small.execute("select current_setting('memory_limit')").fetchone()[0] == "488.2 MiB"
    monkeypatch.setenv(db.MEMORY_LIMIT_ENV, "5 gigs; drop table x")
    with pytest.raises(ValueError, match="CITYLAKE_DUCKDB_MEMORY_LIMIT"):
        db.connect(lake=False, h=h)


def test_dbt_profile_uses_the_same_memory_limit():
    import yaml

    profile = yaml.safe_load((REPO_ROOT / "dbt_project" / "profiles.yml").read_text())
    settings = profile["citylake"]["outputs"]["lake"]["settings"]
    assert settings["memory_limit"] == f"{{{{ env_var('{db.MEMORY_LIMIT_ENV}', '{db.DEFAULT_MEMORY_LIMIT}') }}}}"
    # dbt-duckdb applies settings on every connection; DuckDB refuses to move a used spill directory
    assert "temp_directory" not in settings


def test_the_catalog_defaults_to_the_homes_sqlite_file(h, monkeypatch):
    monkeypatch.delenv(db.CATALOG_URL_ENV, raising=False)
    monkeypatch.delenv(db.METADATA_SCHEMA_ENV, raising=False)
    cat = db.catalog(h)
    assert (cat.kind, cat.target, cat.extensions) == ("sqlite", str(h.lake / "catalog.sqlite"), ("sqlite", "ducklake"))
    assert f"ATTACH 'ducklake:sqlite:{h.lake}/catalog.sqlite' AS lake" in db.ducklake_attach_sql(h)
    monkeypatch.setenv(db.CATALOG_URL_ENV, "postgres:dbname=city host=127.0.0.1 port=5432")
    monkeypatch.setenv(db.METADATA_SCHEMA_ENV, "lake_deyang")
    sql = db.ducklake_attach_sql(Home(h.root / "fresh"))
    assert sql.startswith("ATTACH 'ducklake:postgres:dbname=city host=127.0.0.1 port=5432' AS lake")
    assert "METADATA_SCHEMA 'lake_deyang'" in sql


@pytest.mark.parametrize(("url", "schema", "says"), [
    ("mysql:host=x", None, "expected 'postgres:dbname"),
    ("postgres:", None, "expected 'postgres:dbname"),
    ("postgres:dbname=x password=secret", None, "keep the password out of the URL"),
    ("postgres:dbname=x'; drop", None, "a quote"),
    ("postgres:dbname=x", "Lake-1", "expected a lower-case SQL name"),
])
def test_a_bad_catalog_setting_is_refused_in_one_line(tmp_path, monkeypatch, url, schema, says):
    from citylake.core.errors import UserError

    monkeypatch.setenv(db.CATALOG_URL_ENV, url)
    if schema:
        monkeypatch.setenv(db.METADATA_SCHEMA_ENV, schema)
    with pytest.raises(UserError, match=says) as e:
        db.catalog(Home(tmp_path))
    assert "\n" not in str(e.value)


def test_only_a_lost_commit_is_retried(h):
    calls = []

    def locked_once() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.IOException("IO Error: database is locked")
        return "written"

    assert db.retrying(locked_once, first_delay=0.01) == "written" and len(calls) == 2

    def broken() -> None:
        calls.append(1)
        raise duckdb.CatalogException("Catalog Error: Table with name nope does not exist!")

    calls.clear()
    with pytest.raises(duckdb.CatalogException):
        db.retrying(broken, first_delay=0.01)
    assert len(calls) == 1


def _three_nights(h: Home) -> dict[str, list[int]]:
    """A small lake: three marked nights of three commits each; the rows as of each night's end."""
    from citylake.orchestration.nightmarks import mark_night_end

    conn = db.connect(h=h)
    conn.execute("create table events as select 0 as n")
    conn.close()
    seen = {}
    for night in ("2026-11-01", "2026-11-02", "2026-11-03"):
        conn = db.connect(h=h)
        for i in range(3):
            conn.execute("insert into events select ?", [int(night[-1]) * 10 + i])
        seen[night] = [r[0] for r in conn.execute("select n from events order by n").fetchall()]
        conn.close()
        mark_night_end(night, h=h)
    return seen


def _rows_as_of_night(h: Home, night: str) -> list[int]:
    from citylake.cli.sql import open_lake

    conn = open_lake(h, night=night)
    try:
        return [r[0] for r in conn.execute("select n from events order by n").fetchall()]
    finally:
        conn.close()


def test_maintain_expires_old_snapshots_but_keeps_the_night_marks(h):
    from citylake.cli.lake import maintain

    seen = _three_nights(h)
    conn = db.connect(h=h, read_only=True)
    before = [r[0] for r in conn.execute("select snapshot_id from lake.snapshots() order by 1").fetchall()]
    marks = {r[0] for r in conn.execute("select snapshot_id from lake.catalog.nights").fetchall()}
    conn.close()
    done = maintain(h, keep_nights=1)
    conn = db.connect(h=h, read_only=True)
    after = [r[0] for r in conn.execute("select snapshot_id from lake.snapshots() order by 1").fetchall()]
    conn.close()
    night2_end = max(s for s in marks if s < max(marks))
    assert done.kept_nights == ["2026-11-03"] and done.expired == len(before) - len(after) > 0
    assert marks <= set(after) and all(s in after for s in before if s > night2_end)
    assert not any(s < night2_end and s not in marks for s in after)
    for night, rows in seen.items():  # every night still reads as it ended, and so does the lake
        assert _rows_as_of_night(h, night) == rows
    assert maintain(h, keep_nights=1).expired == 0  # idempotent


@pytest.mark.parametrize(("args", "says"), [
    (["--keep-nights", "0"], "keep at least 1 night"),
    (["--keep-nights", "-3"], "keep at least 1 night"),
    (["--keep-nights", "two"], "valid integer"),
])
def test_maintain_refuses_bad_input_in_one_line(h, args, says):
    from typer.testing import CliRunner

    from citylake.cli.main import app

    _three_nights(h)
    r = CliRunner().invoke(app, ["lake", "maintain", *args], env={"CITYLAKE_HOME": str(h.root)})
    assert r.exit_code == 2 and says in r.stderr and r.stderr.strip().count("\n") == 0


def test_maintain_needs_a_lake(tmp_path):
    from typer.testing import CliRunner

    from citylake.cli.main import app

    r = CliRunner().invoke(app, ["lake", "maintain"], env={"CITYLAKE_HOME": str(tmp_path)})
    assert r.exit_code == 2 and "no lake in" in r.stderr
