from __future__ import annotations

from datetime import date

import catalog_fixture as fx
import polars as pl
import pytest

from catalogs import exchange_log, publish
from catalogs.generate import generate
from catalogs.publish import Application, SharingRefused
from egress import leakcheck

NIGHT = "2026-11-24"
TODAY = date(2026, 11, 25)        # the exchange day (the packages of NIGHT are made the day after)


def _catalog(home, conn, codes_file):
    return generate(NIGHT, h=home, conn=conn, manifest=fx.manifest(), elements=fx.ELEMENTS, feeds=fx.FEEDS,
                    codes_file=codes_file)


def _app(**kw):
    base = dict(id="SQ-T-1", department="civil", resource="base.population",
                items=["id_number", "person_name", "sex_code"], purpose="资格核查", status="approved",
                approver="数据共享科", approved_on=date(2026, 1, 1), valid_from=date(2026, 1, 1),
                valid_until=date(2027, 1, 1))
    return Application(**{**base, **kw})


def test_conditional_share_needs_an_approved_unexpired_application(home, conn, codes_file, tmp_path):
    cat = _catalog(home, conn, codes_file)
    staging, final = tmp_path / "stage", home.publish / "share"
    with pytest.raises(SharingRefused, match="no application on file"):
        publish.share_package(conn, cat, "civil", "base.population", ["id_number"], [], staging, final, TODAY)
    with pytest.raises(SharingRefused, match="is pending"):
        publish.share_package(conn, cat, "civil", "base.population", ["id_number"],
                              [_app(status="pending", approver=None, valid_until=None)], staging, final, TODAY)
    with pytest.raises(SharingRefused, match="expired"):
        publish.share_package(conn, cat, "civil", "base.population", ["id_number"],
                              [_app(valid_until=date(2026, 11, 1))], staging, final, TODAY)
    with pytest.raises(SharingRefused, match="need an approved"):   # approved for another department
        publish.share_package(conn, cat, "hrss", "base.population", ["id_number"], [_app()], staging, final, TODAY)
    with pytest.raises(SharingRefused, match="does not cover"):
        publish.share_package(conn, cat, "civil", "base.population", ["phone"], [_app()], staging, final, TODAY)
    pkg = publish.share_package(conn, cat, "civil", "base.population", ["id_number", "person_name", "sex_code"],
                                [_app()], staging, final, TODAY)
    df = pl.read_parquet(pkg.staging / "data.parquet")
    assert df.columns == ["id_number", "person_name", "sex_code"] and df.height == 40
    assert df["id_number"].str.contains(r"^\d{6}\*{8}[\dX]{4}$").all()          # masked by rule
    assert df["person_name"].str.contains(r"^.\*+$").all()
    assert pkg.directory == final / "civil" / "SQ-T-1__base.population"


def test_not_shared_items_never_appear_in_a_share_package(home, conn, codes_file, tmp_path):
    cat = _catalog(home, conn, codes_file)
    approve_all = _app(id="SQ-T-2", department="health", resource="theme.public_health",
                       items=["id_number", "test_result", "tested_at"])
    with pytest.raises(SharingRefused, match="不予共享"):
        publish.share_package(conn, cat, "health", "theme.public_health", ["id_number", "test_result"],
                              [approve_all], tmp_path / "s", home.publish / "share", TODAY)
    pkg = publish.share_package(conn, cat, "health", "theme.public_health", None, [approve_all],
                                tmp_path / "s", home.publish / "share", TODAY)       # everything it may have
    assert "test_result" not in pl.read_parquet(pkg.staging / "data.parquet").columns
    assert "test_result" not in pl.read_csv(pkg.staging / "data.csv").columns
    assert "test_result" in pkg.forbidden


def test_publish_night_publishes_leak_checked_packages_and_logs_them(home, conn, codes_file):
    apps = [_app(), _app(id="SQ-T-9", department="hrss", status="pending", approver=None, valid_until=None)]
    cat = _catalog(home, conn, codes_file)
    counts = publish.publish(conn, cat, home, "all", applications=apps, today=TODAY)
    assert counts["share_packages"] == 1 and counts["refused"] == 1 and counts["open_packages"] == 5
    opened = {p.name for p in (home.publish / "open").iterdir()}
    assert "base.population" not in opened and "theme.city_events_daily" in opened
    for name in ("open_catalog.csv", "open_catalog.xlsx", "open_catalog.jsonld"):
        assert (home.publish / "open" / "catalog" / name).exists()
    assert (home.publish / "share" / "_catalog" / "share_catalog.xlsx").exists()
    # only unconditional/open items in open data; personal items are never there
    le = pl.read_parquet(home.publish / "open" / "base.legal_entity" / "data.parquet")
    assert "legal_rep_name" not in le.columns and "uscc" in le.columns
    ev = pl.read_csv(home.publish / "open" / "theme.city_events" / "data.csv")
    assert "phone" not in ev.columns
    assert not ev["description"].str.contains(r"1[3-9]\d{9}").any()              # free text scrubbed
    assert ev["description"].str.starts_with("'-").any()                            # CSV formula guard
    assert (home.publish / "share" / "civil" / "SQ-T-1__base.population" / "data.csv").exists()
    assert not (home.publish / "share" / "hrss").exists()
    s = exchange_log.summary(NIGHT, h=home, conn=conn)
    assert s["open_data"]["exchanges"] == 5 and s["share_package"]["exchanges"] == 1
    assert s["share_refused"]["refused_or_failed"] == 1 and s["export"]["exchanges"] == 5
    assert s["leakcheck"]["exchanges"] == 1
    hashes = conn.execute("select content_hash from catalog.exchange_log where kind = 'open_data'").fetchall()
    assert all(h and len(h) == 64 for (h,) in hashes)


def test_a_leaking_model_fails_the_publish_step_and_nothing_is_published(home, conn, codes_file):
    # a deliberately leaking model: a column without a registered element carries raw IDs and phones
    conn.execute("create or replace table indicator.leaky as select * from (values "
                 "('" + fx.IDS[0] + "', '" + fx.PHONES[1] + "', '" + fx.NAMES[2] + "')) t(ref, contact, holder)")
    m = fx.manifest({"model.citylake.leaky": {"resource_type": "model", "name": "leaky", "schema": "indicator",
                                              "description": "Leaky / 泄露", "columns": {}, "depends_on": {}}})
    cat = generate(NIGHT, h=home, conn=conn, manifest=m, elements=fx.ELEMENTS, feeds=fx.FEEDS, codes_file=codes_file)
    with pytest.raises(leakcheck.LeakError) as err:
        publish.publish(conn, cat, home, "open", applications=[], today=TODAY)
    checks = {(f.check, f.column) for f in err.value.findings}
    assert {("id_number", "ref"), ("mobile", "contact"), ("name", "holder")} <= checks
    assert fx.IDS[0] not in str(err.value)                                            # the report is masked
    assert not (home.publish / "open").exists() or not any((home.publish / "open").iterdir())
    assert exchange_log.summary(NIGHT, h=home, conn=conn)["leakcheck"]["refused_or_failed"] == 1
