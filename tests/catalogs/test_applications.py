"""Sharing applications: one grant model for files and API, in the metadata database (catalogs.grants).

approved_on is the day of the decision; the department may receive data on the days
valid_from..valid_until; the data of a night after valid_until is not covered. Approving today
therefore lets the department receive the night the lake holds now (yesterday's, or the demo's).
catalogs/applications.yml is demo seed data, loaded into a database once, never written.
"""

from __future__ import annotations

from datetime import date

import catalog_fixture as fx
import pytest
import sqlalchemy as sa

from catalogs import grants, publish
from catalogs.generate import generate
from catalogs.publish import Application, SharingRefused
from service import applications as service_applications

DEMO_NIGHT, TODAY = date(2026, 11, 25), date(2026, 12, 1)


def _approved(**kw) -> Application:
    base = dict(id="SQ-T-1", department="civil", resource="base.population", items=["id_number"], purpose="核查",
                status="approved", approver="数据共享科", approved_on=TODAY, valid_from=TODAY,
                valid_until=date(2027, 10, 31))
    return Application(**{**base, **kw})


@pytest.mark.parametrize(("app", "night", "today", "why"), [
    (_approved(), DEMO_NIGHT, TODAY, None),                           # approved today, last week's night
    (_approved(), date(2027, 10, 31), date(2027, 10, 31), None),     # the last day
    (_approved(), DEMO_NIGHT, date(2027, 11, 1), "SQ-T-1 expired on 2027-10-31"),   # re-delivered too late
    (_approved(), date(2027, 11, 2), date(2027, 10, 31), "SQ-T-1 expired on 2027-10-31"),  # night not covered
    (_approved(valid_from=date(2027, 1, 1)), DEMO_NIGHT, TODAY, "SQ-T-1 is valid only from 2027-01-01"),
    (_approved(status="pending"), DEMO_NIGHT, TODAY, "SQ-T-1 is pending"),
    (_approved(status="refused"), DEMO_NIGHT, TODAY, "SQ-T-1 is refused"),
])
def test_validity_is_judged_on_the_exchange_day_and_the_night(app, night, today, why):
    assert app.refusal(night, today) == why


def _catalog(home, conn, codes_file):
    return generate(str(DEMO_NIGHT), h=home, conn=conn, manifest=fx.manifest(), elements=fx.ELEMENTS, feeds=fx.FEEDS,
                    codes_file=codes_file)


def test_a_package_is_produced_from_a_db_approved_application(home, conn, codes_file, tmp_path):
    cat = _catalog(home, conn, codes_file)
    pending = {a.id: a for a in publish.load_applications(home)}["SQ-2026-0002"]    # the seed: hrss, pending
    assert pending.status == "pending" and pending.resource == "101001001/000001"
    with pytest.raises(SharingRefused, match="SQ-2026-0002 is pending"):
        publish.share_package(conn, cat, "hrss", pending.resource, pending.items, [pending], tmp_path, tmp_path,
                              TODAY)
    engine = grants.open_engine(grants.db_url(home))
    service_applications.decide(engine, "SQ-2026-0002", "gsb", True, "", TODAY)    # = service applications approve
    app = {a.id: a for a in publish.load_applications(home)}["SQ-2026-0002"]
    assert (app.status, app.approved_on, app.valid_from, app.approver) == ("approved", TODAY, TODAY, "gsb")
    pkg = publish.share_package(conn, cat, "hrss", app.resource, app.items, publish.load_applications(home),
                                tmp_path / "s", tmp_path / "f", TODAY)
    assert pkg.application == "SQ-2026-0002" and pkg.rows == 40


def test_an_expired_application_is_refused_in_the_package(home, conn, codes_file, tmp_path):
    cat = _catalog(home, conn, codes_file)
    apps = publish.load_applications(home)       # SQ-2026-0003: emergency, legal entities, until 2026-10-31
    expired = {a.id: a for a in apps}["SQ-2026-0003"]
    with pytest.raises(SharingRefused, match="SQ-2026-0003 expired on 2026-10-31"):
        publish.share_package(conn, cat, "emergency", expired.resource, expired.items, apps, tmp_path, tmp_path,
                              TODAY)


def test_the_seed_is_loaded_once_and_never_written(home):
    before = grants.SEED_FILE.read_bytes()
    engine = grants.open_engine(grants.db_url(home))
    assert "SQ-2026-0001" in {a.id for a in publish.load_applications(home)}
    with engine.begin() as c:
        c.execute(grants.applications.delete().where(grants.applications.c.application_id == "SQ-2026-0001"))
    assert grants.seed(engine) == 0                               # once: a deleted demo row stays deleted
    assert "SQ-2026-0001" not in {a.id for a in publish.load_applications(home)}
    with engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(grants.seeds)).scalar() == 1
    assert grants.SEED_FILE.read_bytes() == before


def test_a_bad_seed_status_is_refused(tmp_path):
    bad = tmp_path / "applications.yml"
    bad.write_text("applications:\n- {id: A, department: civil, resource: x, provider: gsb, items: [a], "
                   "purpose: p, legal_basis: b, applied_on: 2026-12-01, status: maybe}\n", encoding="utf-8")
    engine = grants.open_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    with pytest.raises(ValueError, match="status 'maybe'"):
        grants.seed(engine, bad)


def _file_with_row_filter(home, application_id: str, row_filter: dict[str, str], unmasked: list[str] | None = None,
                          part: service_applications.Part | None = None, reason: str = "") -> None:
    """An application as the service files it (POST /v1/applications stores the row filter so), approved (all or
    `part` of it) by its provider."""
    import json

    engine = grants.open_engine(grants.db_url(home))
    with engine.begin() as c:
        c.execute(grants.applications.insert().values(
            application_id=application_id, client_id=None, department="civil", resource_code="101001001/000001",
            provider="gsb", columns=json.dumps(["id_number", "person_name", "sex_code"]),
            row_filter=json.dumps(sorted(row_filter.items())), purpose="低保资格核对", legal_basis="社会救助暂行办法",
            valid_until="2027-06-30", status="pending", applied_on=str(TODAY),
            unmasked=json.dumps(unmasked) if unmasked else None))
    service_applications.decide(engine, application_id, "gsb", True, reason, TODAY, part)
    engine.dispose()


def test_the_grants_row_filter_limits_the_share_package_as_it_limits_the_api(home, conn, codes_file, tmp_path):
    """The package of an application with a row filter holds only the rows of that filter (catalogs.rowfilter,
    the code the service's records and exports compile it with), and says so in its manifest."""
    import json

    import polars as pl

    cat = _catalog(home, conn, codes_file)
    assert cat.entry("101001001/000001").model == "base.population"
    _file_with_row_filter(home, "SQ20261201f00001", {"sex_code": "eq.1"})
    apps = publish.load_applications(home)
    mine = {a.id: a for a in apps}["SQ20261201f00001"]
    pkg = publish.share_package(conn, cat, "civil", mine.resource, mine.items, [mine], tmp_path / "s", tmp_path / "f",
                                TODAY)
    men = conn.execute("select count(*) from lake.base.population where sex_code = '1'").fetchone()[0]
    assert 0 < men < 40 and pkg.rows == men
    for df in (pl.read_parquet(pkg.staging / "data.parquet"), pl.read_csv(pkg.staging / "data.csv",
                                                                          schema_overrides={"sex_code": pl.Utf8})):
        assert df.height == men and set(df["sex_code"]) == {"1"}
    assert json.loads((pkg.staging / "package.json").read_text(encoding="utf-8"))["row_filter"] == {"sex_code": "eq.1"}


def test_a_row_filter_value_is_bound_never_sql(home, conn, codes_file, tmp_path):
    cat = _catalog(home, conn, codes_file)
    _file_with_row_filter(home, "SQ20261201f00002", {"sex_code": "eq.1' or '1'='1"})
    _file_with_row_filter(home, "SQ20261201f00003", {"birth_date": "gte.not-a-date"})
    apps = {a.id: a for a in publish.load_applications(home)}
    injected = apps["SQ20261201f00002"]
    pkg = publish.share_package(conn, cat, "civil", injected.resource, injected.items, [injected], tmp_path / "s",
                                tmp_path / "f", TODAY)
    assert pkg.rows == 0                                          # no sex_code equals that text
    wrong = apps["SQ20261201f00003"]
    with pytest.raises(SharingRefused, match="row filter of SQ20261201f00003 does not fit its column's type"):
        publish.share_package(conn, cat, "civil", wrong.resource, wrong.items, [wrong], tmp_path / "s2",
                              tmp_path / "f2", TODAY)


def test_a_package_carries_in_clear_only_what_its_application_grants_so(home, conn, codes_file, tmp_path):
    """明文授权 in files as in the API: the items an approved application grants in clear are not masked and not
    scanned by the leak check; the other personal items stay masked and scanned."""
    import json

    import polars as pl

    from egress import leakcheck

    cat = _catalog(home, conn, codes_file)
    _file_with_row_filter(home, "SQ20261201f00002", {}, unmasked=["id_number"])
    mine = {a.id: a for a in publish.load_applications(home)}["SQ20261201f00002"]
    assert mine.unmasked == ("id_number",)
    pkg = publish.share_package(conn, cat, "civil", mine.resource, mine.items, [mine], tmp_path / "s", tmp_path / "f",
                                TODAY)
    raw = dict(conn.execute("select id_number, person_name from lake.base.population").fetchall())
    df = pl.read_parquet(pkg.staging / "data.parquet")
    assert set(df["id_number"]) == set(raw) and not set(df["person_name"]) & set(raw.values())
    items = {i["name"]: i for i in json.loads((pkg.staging / "package.json").read_text(encoding="utf-8"))["items"]}
    assert items["id_number"]["in_clear"] and items["id_number"]["masked_by"] is None and items["person_name"]["masked_by"]
    targets = publish._targets([pkg], [])
    assert leakcheck.check(conn, targets) == len(targets)               # the grant's column is exempt ...
    bare = leakcheck.Target(pkg.staging / "data.parquet", allowed_columns=set(pkg.columns))
    assert {f.check for f in leakcheck.scan(conn, [bare])} == {"id_number"}   # ... and only it


def test_a_package_carries_only_the_part_of_an_application_its_provider_approved(home, conn, codes_file, tmp_path):
    """部分同意 in files as in the API: the package of a partly approved application holds the approved columns
    only, and a column asked in clear whose in-clear right was refused leaves masked."""
    import json

    import polars as pl

    cat = _catalog(home, conn, codes_file)
    _file_with_row_filter(home, "SQ20261201f00004", {}, unmasked=["id_number"],
                          part=service_applications.Part(("id_number", "sex_code"), clear=False), reason="姓名不在履职范围; 明文无依据")
    mine = {a.id: a for a in publish.load_applications(home)}["SQ20261201f00004"]
    assert (mine.items, mine.unmasked) == (["id_number", "sex_code"], ())
    pkg = publish.share_package(conn, cat, "civil", mine.resource, mine.items, [mine], tmp_path / "s", tmp_path / "f",
                                TODAY)
    df = pl.read_parquet(pkg.staging / "data.parquet")
    raw = {r[0] for r in conn.execute("select id_number from lake.base.population").fetchall()}
    assert "person_name" not in df.columns and "id_number" in df.columns and not set(df["id_number"]) & raw
    items = {i["name"]: i for i in json.loads((pkg.staging / "package.json").read_text(encoding="utf-8"))["items"]}
    assert not items["id_number"]["in_clear"] and items["id_number"]["masked_by"]


def test_naming_every_requested_column_in_another_order_cuts_nothing(home):
    engine = grants.open_engine(grants.db_url(home))         # SQ-2026-0002: id_number, person_name, birth_date
    part = service_applications.Part(("birth_date", "id_number", "person_name"))
    service_applications.decide(engine, "SQ-2026-0002", "gsb", True, "", TODAY, part)   # no reason needed
    [row] = [r for r in service_applications.listing(engine, TODAY, 5) if r["application_id"] == "SQ-2026-0002"]
    assert row["approved_columns"] == ["id_number", "person_name", "birth_date"] and row["cut"] is None
    engine.dispose()


@pytest.mark.parametrize(("approve", "part", "reason", "why"), [
    (True, service_applications.Part(("nope",)), "x" * 4, r"columns \['nope'\] were not requested by SQ-2026-0002"),
    (True, service_applications.Part(("id_number",)), "", r"cut: person_name, birth_date\) must say why"),
    (True, service_applications.Part(("id_number",)), " ", "must say why"),
    (True, service_applications.Part(()), "x" * 4, "approve at least one column"),
    (True, service_applications.Part(clear=False), "x" * 4, "asked no column in clear"),
    (False, service_applications.Part(("id_number",)), "x" * 4, "only an approval approves part"),
])
def test_a_part_that_is_not_one_of_the_request_is_refused(home, approve, part, reason, why):
    engine = grants.open_engine(grants.db_url(home))         # SQ-2026-0002 (seed, pending): id_number, person_name, birth_date
    with pytest.raises(ValueError, match=why):
        service_applications.decide(engine, "SQ-2026-0002", "gsb", approve, reason, TODAY, part)
    assert {a.id: a for a in publish.load_applications(home)}["SQ-2026-0002"].status == "pending"   # nothing written
    engine.dispose()


def test_an_application_under_review_is_no_grant_until_reviewed_and_approved(home, conn, codes_file, tmp_path):
    """合规性审核 in files as in the API: a filed application starts pending_review; its package is refused, its
    provider cannot approve it; once the platform passes it, the provider's approval makes the package."""
    import json

    from service import review
    from service.lake import Entry, Item

    cat = _catalog(home, conn, codes_file)
    engine = grants.open_engine(grants.db_url(home))
    with engine.begin() as c:
        c.execute(grants.applications.insert().values(
            application_id="SQ20261201r00001", client_id=None, department="civil", resource_code="101001001/000001",
            provider="gsb", columns=json.dumps(["id_number", "sex_code"]), row_filter="[]", purpose="低保资格核对",
            legal_basis="社会救助暂行办法", valid_until="2027-06-30", status="pending_review", applied_on=str(TODAY)))
    mine = {a.id: a for a in publish.load_applications(home)}["SQ20261201r00001"]
    with pytest.raises(SharingRefused, match="SQ20261201r00001 is pending_review"):
        publish.share_package(conn, cat, "civil", mine.resource, mine.items, [mine], tmp_path / "s", tmp_path / "f", TODAY)
    with pytest.raises(ValueError, match="still under the platform's conformity review"):
        service_applications.decide(engine, "SQ20261201r00001", "gsb", True, "", TODAY)
    entry = Entry("101001001/000001", "base.population", "base", "population", "人口基础信息", "Population", "gsb",
                  "政务服务和大数据管理局", "conditional", "", "daily", 40, tuple(
                      Item(c, c, c, "string", pii, "conditional", "", None)
                      for c, pii in (("id_number", "id_number"), ("sex_code", "none"))))
    review.review(engine, entry, "SQ20261201r00001", True, "", TODAY)
    service_applications.decide(engine, "SQ20261201r00001", "gsb", True, "", TODAY)
    mine = {a.id: a for a in publish.load_applications(home)}["SQ20261201r00001"]
    pkg = publish.share_package(conn, cat, "civil", mine.resource, mine.items, [mine], tmp_path / "s", tmp_path / "f",
                                TODAY)
    assert pkg.application == "SQ20261201r00001" and pkg.rows == 40
    engine.dispose()
