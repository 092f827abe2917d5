"""Publishing never destroys what was published (catalogs/publish.py, docs/catalogs.md).

A night is published only from its own lake snapshot; a later night's publication is never
replaced by an older one; an empty package keeps the previous publication; each scope is
swapped in whole, atomically, so a refused or failed publish leaves the previous one intact.
"""

from __future__ import annotations

import json
import os
from datetime import date

import catalog_fixture as fx
import duckdb
import pytest

from catalogs import publish
from catalogs.generate import generate
from catalogs.publish import PublishRefused
from citylake.core import state
from citylake.core.hashing import sha256_file
from citylake.core.paths import Home
from egress import leakcheck

NIGHT, NEXT = "2026-11-24", "2026-11-25"
TODAY = date(2026, 11, 26)


def _snapshot(conn) -> int:
    return conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]


def _build(h, conn, night: str) -> None:
    """What a nightly build leaves: its plan (the snapshot before it), then a commit to the lake."""
    state.write(night, "plan", "base", {"date": night, "snapshot_before": _snapshot(conn)}, h=h)
    conn.execute("create or replace table main.build_marker as select ? as night", [night])


def _publish_night(h, conn, codes_file, night: str, scope: str = "all") -> dict:
    return publish.publish_night(night, h=h, scope=scope, conn=conn, today=TODAY, manifest=fx.manifest(),
                                 elements=fx.ELEMENTS, feeds=fx.FEEDS, codes_file=codes_file)


def _catalog(h, conn, codes_file, night: str):
    return generate(night, h=h, conn=conn, manifest=fx.manifest(), elements=fx.ELEMENTS, feeds=fx.FEEDS,
                    codes_file=codes_file)


def _tree(h) -> dict[str, str]:
    """Every published file (through the scope links) -> its hash."""
    return {str(p.relative_to(h.publish)): sha256_file(p) for sc in ("open", "share")
            for p in (h.publish / sc).rglob("*") if p.is_file()}


def _night_of(h, slug: str) -> str:
    return json.loads((h.publish / "open" / slug / "resource.json").read_text(encoding="utf-8"))["night"]


def test_a_night_without_its_own_lake_snapshot_is_refused_and_nothing_changes(home, conn, codes_file):
    _build(home, conn, NIGHT)
    assert _publish_night(home, conn, codes_file, NIGHT)["open_packages"] == 5
    before = _tree(home)
    generated = conn.execute("select max(generated_on) from catalog.entries").fetchone()
    with pytest.raises(PublishRefused, match=r"night 2026-11-20 has no lake snapshot of its own.*nights built: "
                                             r"2026-11-24"):
        _publish_night(home, conn, codes_file, "2026-11-20", scope="open")
    assert _tree(home) == before                                         # open packages untouched
    assert conn.execute("select max(generated_on) from catalog.entries").fetchone() == generated
    dcat = json.loads((home.publish / "open" / "catalog" / "open_catalog.jsonld").read_text(encoding="utf-8"))
    assert dcat["dct:modified"] == NIGHT                                 # not restamped 2026-11-20


def test_a_night_the_lake_no_longer_holds_or_that_committed_nothing_is_refused(home, conn, codes_file):
    _build(home, conn, NIGHT)
    _build(home, conn, NEXT)                                             # a later night was built since
    with pytest.raises(PublishRefused, match="night 2026-11-25 was built after it"):
        _publish_night(home, conn, codes_file, NIGHT)
    assert not any((home.publish).iterdir())
    assert _publish_night(home, conn, codes_file, NEXT)["open_packages"] == 5
    state.write("2026-11-26", "plan", "base", {"snapshot_before": _snapshot(conn)}, h=home)   # planned, no commit
    with pytest.raises(PublishRefused, match="2026-11-26 has no lake snapshot of its own: its build committed"):
        _publish_night(home, conn, codes_file, "2026-11-26")


def test_an_empty_home_is_refused_and_stays_empty(tmp_path):
    h = Home(tmp_path / "empty")
    with pytest.raises(PublishRefused, match="no lake at"):
        publish.publish_night(NEXT, h=h)
    assert not h.root.exists()                                           # no lake, no empty catalog


def test_the_cli_refuses_in_one_line_with_exit_2(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from citylake.cli.main import app

    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["publish", "--scope", "open", "--date", "2026-11-20"])
    assert result.exit_code == 2, result.output
    assert "no lake in" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "empty").exists()


def test_an_older_night_or_an_empty_catalog_never_replaces_a_publication(home, conn, codes_file):
    publish.publish(conn, _catalog(home, conn, codes_file, NEXT), home, "all", applications=[], today=TODAY)
    before = _tree(home)
    older = _catalog(home, conn, codes_file, NIGHT)
    with pytest.raises(PublishRefused, match="publish/open holds night 2026-11-25: refusing to replace it by "
                                             "the older night 2026-11-24"):
        publish.publish(conn, older, home, "all", applications=[], today=TODAY)
    assert _tree(home) == before
    empty = _catalog(home, conn, codes_file, "2026-11-26")
    empty.entries = []
    with pytest.raises(PublishRefused, match="has no entries"):
        publish.publish(conn, empty, home, "all", applications=[], today=TODAY)
    assert _tree(home) == before


def test_an_empty_package_keeps_the_previous_publication(home, conn, codes_file):
    publish.publish(conn, _catalog(home, conn, codes_file, NIGHT), home, "open", applications=[], today=TODAY)
    daily = home.publish / "open" / "theme.city_events_daily"
    kept_hash = sha256_file(daily / "data.parquet")
    conn.execute("delete from theme.city_events_daily")                  # tonight it came out empty
    counts = publish.publish(conn, _catalog(home, conn, codes_file, NEXT), home, "open", applications=[],
                             today=TODAY)
    assert counts["kept"] == {"theme.city_events_daily": NIGHT}
    assert sha256_file(daily / "data.parquet") == kept_hash and _night_of(home, "theme.city_events_daily") == NIGHT
    assert _night_of(home, "base.legal_entity") == NEXT                  # the others moved on
    kept = conn.execute("select gate_result, rows from catalog.exchange_log where kind = 'open_data' "
                        "and night = ? and what like '%city_events_daily%'", [NEXT]).fetchone()
    assert kept[0] == "kept" and kept[1] > 0


def test_each_scope_is_swapped_in_whole_and_a_failed_publish_leaves_the_previous_one(home, conn, codes_file):
    legacy = home.publish / "open"
    legacy.mkdir(parents=True)
    (legacy / "stale.csv").write_text("from an older citylake\n")         # a plain directory, not a link
    cat = _catalog(home, conn, codes_file, NIGHT)
    publish.publish(conn, cat, home, "open", applications=[], today=TODAY)
    link = home.publish / "open"
    assert link.is_symlink() and not os.path.isabs(os.readlink(link))   # relative: the home can be moved
    assert [p.name for p in (home.publish / ".releases").iterdir()] == [os.path.basename(os.readlink(link))]
    assert not (link / "stale.csv").exists()
    before, target = _tree(home), os.readlink(link)
    # a leak found in staging: nothing moves
    conn.execute("create or replace table indicator.leaky as select ? as ref", [fx.IDS[0]])
    m = fx.manifest({"model.citylake.leaky": {"resource_type": "model", "name": "leaky", "schema": "indicator",
                                              "description": "Leaky / 泄露", "columns": {}, "depends_on": {}}})
    leaky = generate(NEXT, h=home, conn=conn, manifest=m, elements=fx.ELEMENTS, feeds=fx.FEEDS, codes_file=codes_file)
    with pytest.raises(leakcheck.LeakError):
        publish.publish(conn, leaky, home, "open", applications=[], today=TODAY)
    # a crash while writing the packages (a table gone from the lake): nothing moves either
    conn.execute("drop table indicator.leaky")
    conn.execute("drop table theme.city_events_daily")
    with pytest.raises(duckdb.Error):
        publish.publish(conn, cat, home, "open", applications=[], today=TODAY)
    assert os.readlink(link) == target and _tree(home) == before
    assert len(list((home.publish / ".releases").iterdir())) == 1


def test_a_night_built_again_is_the_one_the_lake_holds(home, conn):
    _build(home, conn, NIGHT)
    _build(home, conn, NEXT)
    state.write(NIGHT, "plan", "theme", {"snapshot_before": _snapshot(conn)}, h=home)   # NIGHT re-run last
    conn.execute("create or replace table main.build_marker as select 1 as rerun")
    nights = publish.lake_nights(home)
    assert list(nights) == [NEXT, NIGHT] and nights[NIGHT] < nights[NEXT]            # first plan of NIGHT
    assert publish.night_in_lake(home, conn, NIGHT) == _snapshot(conn)
    with pytest.raises(PublishRefused, match=f"night {NIGHT} was built after it"):
        publish.night_in_lake(home, conn, NEXT)


def test_catalog_generate_refuses_a_night_the_lake_does_not_hold(home, conn, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from citylake.cli.main import app

    _build(home, conn, NEXT)
    result = CliRunner().invoke(app, ["catalog", "generate", "--date", "2026-11-20"])
    assert result.exit_code == 2 and "2026-11-20 has no lake snapshot of its own" in result.stderr
    assert "Traceback" not in result.output
    assert not conn.execute("select count(*) from duckdb_tables() where schema_name = 'catalog'").fetchone()[0]
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["catalog", "generate", "--date", NEXT])
    assert result.exit_code == 2 and "no lake in" in result.stderr and not (tmp_path / "empty").exists()
