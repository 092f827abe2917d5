"""An export cut off by a stopped server is resumed at the next start, against the real server: run again at its own
snapshot after the checks of its creation; failed, with the reason, when its grant expired, its app was revoked or
its snapshot is no longer kept."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import svcfixtures as sf

from citylake.core.db import connect

pytestmark = pytest.mark.slow   # the real server on a loopback port

TOWNSHIP = "510603001"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return sf.build_lake(tmp_path_factory.mktemp("resume-home"))


def _cut_off(h, client_id: str, code: str, columns: list[str], filters: dict[str, str]) -> tuple[str, int]:
    """An export as a server killed while writing it leaves it: made by the route's own `exports.create` at the
    current snapshot (its row `running`, what it asked recorded) and half a file, with no thread to finish it."""
    from catalogs.grants import db_url
    from service import applications, exports, grants, records
    from service.lake import Lake
    from service.metadb import open_engine

    engine, lake = open_engine(db_url(h)), Lake(h, copies=False)
    with lake.cursor() as cur:
        snap = lake.snapshot(cur)
        e = lake.entry(cur, snap, code)
    with engine.connect() as c:
        a = grants.readable(e, applications.grants_of(c, client_id).get(e.resource_code), date.today())
    req = records.granted(client_id, e, a, columns, [records.parse_filter(c, v) for c, v in filters.items()])
    job = exports.create(engine, req, snap, "csv", filters)
    engine.dispose()
    staged = exports.directory(h, job.export_id) / "staging"
    staged.mkdir(parents=True)
    (staged / "data.csv").write_text("half,written\n", encoding="utf-8")
    return job.export_id, snap


def _lake(h, sql: str, params: dict | None = None) -> list[tuple]:
    conn = connect(h=h)
    try:
        return conn.execute(sql, params or {}).fetchall()
    finally:
        conn.close()


def _new_entity(h, i: int) -> None:
    """A new legal entity in the exported township: the lake moves on to a new snapshot."""
    _lake(h, "insert into base.legal_entity (uscc, entity_name, registration_status, township_code) "
             "values ($u, '续传测试企业', 'active', $t)", {"u": f"9151060077777777{i:02d}", "t": TOWNSHIP})


def _granted_population(h) -> tuple[dict, str]:
    """An app with an approved application for the population (有条件共享), filed over the API."""
    srv = sf.Server(h)
    try:
        app = sf.add_app(h, "civil", "续传低保")
        auth = {"Authorization": f"Bearer {sf.token(srv.url, app)}"}
        sq = sf.post(f"{srv.url}/v1/applications", headers=auth, json={
            "resource_code": "101001001/000001", "columns": ["id_number", "county_code"], "purpose": "续传测试",
            "legal_basis": "测试", "valid_until": (date.today() + timedelta(days=5)).isoformat()}).json()
        sf.cli(h, "service", "applications", "approve", sf.reviewed(h, sq["application_id"]), "--department", "psb")
    finally:
        srv.stop()
    return app, sq["application_id"]


def test_an_export_cut_off_by_a_stop_is_resumed_at_its_snapshot_or_failed_with_the_reason(home):
    from catalogs.grants import db_url
    from service.metadb import applications, open_engine

    people, sq = _granted_population(home)
    gone_snapshot_app = sf.add_app(home, "civil", "续传快照过期")
    gone, gone_snap = _cut_off(home, gone_snapshot_app["client_id"], "102001001-000001", ["uscc"], {})
    _new_entity(home, 1)
    app, revoked_app = sf.add_app(home, "civil", "续传"), sf.add_app(home, "civil", "续传已撤销")
    resumed, snap = _cut_off(home, app["client_id"], "102001001-000001", ["uscc", "township_code"],
                             {"township_code": f"eq.{TOWNSHIP}"})
    revoked, _ = _cut_off(home, revoked_app["client_id"], "102001001-000001", ["uscc"], {})
    expired, _ = _cut_off(home, people["client_id"], "101001001-000001", ["id_number"], {})
    _new_entity(home, 2)                                                  # the lake moves on after the stop
    _lake(home, "call ducklake_expire_snapshots('lake', versions => [$v])", {"v": gone_snap})
    sf.cli(home, "service", "apps", "revoke", revoked_app["client_id"])
    engine = open_engine(db_url(home))      # the grant expires meanwhile (as the days passing would make it)
    with engine.begin() as c:
        c.execute(applications.update().where(applications.c.application_id == sq)
                  .values(valid_until=(date.today() - timedelta(days=1)).isoformat()))
    engine.dispose()
    srv = sf.Server(home)
    try:
        auth = {"Authorization": f"Bearer {sf.token(srv.url, app)}"}
        r = sf.finished_export(srv.url, auth, resumed)
        assert (r["status"], r["snapshot_id"]) == ("ready", snap), r
        assert not (home.root / "work" / "service_exports" / resumed / "staging" / "data.csv").exists()
        f = sf.get(f"{srv.url}/v1/exports/{resumed}/file", headers=auth)
        assert f.status_code == 200 and f.headers["x-snapshot-id"] == str(snap)
        got = sorted((row["uscc"], row["township_code"]) for row in csv.DictReader(io.StringIO(f.text)))
        want = sorted(_lake(home, "select uscc, township_code from base.legal_entity at (version => $v) "
                                  "where township_code = $t", {"v": snap, "t": TOWNSHIP}))
        assert got == want and r["rows"] == len(want) == sf.ENTITIES // 5 + 1     # with the first new entity only
        for who, export_id, why in ((people, expired, f"application {sq} expired on"),
                                    (gone_snapshot_app, gone, f"snapshot {gone_snap} it was pinned to is no longer kept")):
            r = sf.finished_export(srv.url, {"Authorization": f"Bearer {sf.token(srv.url, who)}"}, export_id)
            assert r["status"] == "failed" and r["detail"].startswith("not resumed after the service stopped: "), r
            assert why in r["detail"] and r["detail"].endswith("create it again") and r["file"] is None
    finally:
        srv.stop()
    from service.metadb import exports
    engine = open_engine(db_url(home))
    with engine.connect() as c:
        detail = c.execute(exports.select().where(exports.c.export_id == revoked)).first().detail
    engine.dispose()
    assert f"app {revoked_app['client_id']} is no longer active" in detail
