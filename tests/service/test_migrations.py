"""Schema migrations of the metadata DB (catalogs.migrations): a database the first slice made is upgraded
in place on first use — its grants, apps and hash-chained log kept — and a current one is left alone."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import svcfixtures as sf


def upgraded_in_place(url: str) -> None:
    """The checks of an upgraded first-slice database (SQLite here, PostgreSQL in tests/pg)."""
    from catalogs import migrations
    from catalogs.grants import writing
    from catalogs.rowfilter import Filter
    from service import applications, log
    from service.metadb import open_engine, quota_days
    from service.workdays import working_days_after

    sf.first_slice_db(url)
    engine = open_engine(url)
    cols = {c["name"]: c for c in sa.inspect(engine).get_columns("applications")}
    assert {"valid_from", "approver"} <= set(cols) and cols["client_id"]["nullable"]
    assert {"objections", "exports", "export_requests", "seeds", "schema_version", "verify_withdrawals", "quota_days"} <= set(
        sa.inspect(engine).get_table_names())
    with engine.connect() as c:
        assert migrations.current(c, {"schema_version"}) == migrations.SCHEMA_VERSION
        [grant] = applications.grants_of(c, "app_0123456789abcdef").values()   # the approved one, as before
        rows = {r.application_id: r for r in c.execute(sa.select(migrations.applications))}
    assert grant.application_id == "SQ20261120aaaaaa" and grant.valid_from == date(2026, 11, 23)
    assert grant.row_filter == (Filter("county_code", "eq", ("510603",)),) and grant.columns == ("id_number", "person_name")
    assert (rows["SQ20261120aaaaaa"].approver, rows["SQ20261121bbbbbb"].status) == ("psb", "pending")
    assert rows["SQ-2026-0001"].client_id is None                          # the seed: impossible in the old layout
    assert log.verify(engine) == (3, [])                                   # the chain survives the upgrade
    old = {r["application_id"]: r for r in applications.listing(engine, date(2026, 12, 1), 5)}["SQ20261120aaaaaa"]
    assert old["requested_columns"] == old["approved_columns"] == ["id_number", "person_name"] and old["cut"] is None
    waiting = {r["application_id"]: r for r in applications.listing(engine, date(2026, 12, 1), 5)}["SQ20261121bbbbbb"]
    assert (waiting["status"], waiting["review_due"]) == ("pending", None)   # pending before v5: counts as reviewed
    assert waiting["reply_due"] == working_days_after(date.fromisoformat(waiting["applied_on"]), 5).isoformat()
    with engine.connect() as c:                                            # the day's rows are counted (v3)
        assert c.execute(sa.select(quota_days)).all() == [("app_0123456789abcdef", "2026-11-24", 7)]
    with writing(engine) as c:
        assert migrations.migrate(c, "now") == []                          # once
    with engine.connect() as c:
        versions = c.execute(sa.select(migrations.schema_version.c.version)).scalars().all()
    assert versions == list(range(1, migrations.SCHEMA_VERSION + 1))      # each step once, in order
    engine.dispose()


def test_a_first_slice_sqlite_database_is_upgraded_in_place(tmp_path):
    upgraded_in_place(f"sqlite:///{tmp_path / 'service.sqlite'}")


def test_a_new_database_starts_at_the_current_version(tmp_path):
    from catalogs import migrations
    from service.metadb import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
    with engine.connect() as c:
        assert [r.version for r in c.execute(sa.select(migrations.schema_version))] == [migrations.SCHEMA_VERSION]
    engine.dispose()
