"""Export files expire, against the real server: `citylake service exports expire` removes a ready export's
file once it is older than the time to live; the export then says `expired` and its download answers 410."""

from __future__ import annotations

import time

import pytest
import svcfixtures as sf

pytestmark = pytest.mark.slow   # the real server on a loopback port


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return sf.build_lake(tmp_path_factory.mktemp("expiry-home"))


def _ready(srv, auth, export_id: str) -> dict:
    end = time.monotonic() + sf.TIMEOUT
    while time.monotonic() < end:
        r = sf.get(f"{srv.url}/v1/exports/{export_id}", headers=auth)
        if r.json()["status"] != "running":
            return r.json()
        time.sleep(0.3)
    raise AssertionError("the export did not finish")


def _ready_export(srv, home, app_name: str) -> tuple[dict, dict]:
    """(auth headers of a new app, its CSV export of the legal entities, ready)."""
    auth = {"Authorization": f"Bearer {sf.token(srv.url, sf.add_app(home, 'civil', app_name))}"}
    job = sf.post(f"{srv.url}/v1/exports", json={"resource_code": "102001001/000001", "format": "csv"},
                  headers=auth).json()
    assert _ready(srv, auth, job["export_id"])["status"] == "ready"
    return auth, job


def test_a_ready_export_expires_after_its_time_to_live(home):
    srv = sf.Server(home)
    try:
        auth, job = _ready_export(srv, home, "导出")
        folder = home.root / "work" / "service_exports" / job["export_id"]
        assert (folder / "data.csv").exists()
        kept = sf.cli(home, "service", "exports", "expire", "--hours", "72").stdout
        assert "0 export file(s) older than 72 h removed" in kept and (folder / "data.csv").exists()
        gone = sf.cli(home, "service", "exports", "expire", "--hours", "0").stdout
        assert f"1 export file(s) older than 0 h removed: {job['export_id']}" in gone and not folder.exists()
        r = sf.get(f"{srv.url}/v1/exports/{job['export_id']}", headers=auth)
        assert r.json()["status"] == "expired" and r.json()["file"] is None
        body = sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{job['export_id']}/file", headers=auth), 410)
        assert "removed 0 h after it was ready: export again" in body["detail"]
        bad = sf.cli(home, "service", "exports", "expire", "--hours", "-1", check=False)
        assert bad.returncode == 2
    finally:
        srv.stop()


def test_an_export_cut_off_by_a_stop_is_failed_with_its_reason_at_the_next_start(home):
    """An export whose server stopped mid-way says `failed` (not `running` for ever) once the service starts again,
    and its half-written files are gone."""

    from catalogs.grants import db_url
    from service.export_expiry import INTERRUPTED
    from service.metadb import exports, open_engine

    srv = sf.Server(home)
    try:
        auth, job = _ready_export(srv, home, "导出中断")
    finally:
        srv.stop()
    engine = open_engine(db_url(home))
    with engine.begin() as c:      # as a server killed while writing leaves it: running, staging files
        c.execute(exports.update().where(exports.c.export_id == job["export_id"]).values(status="running",
                                                                                          finished_at=None))
    engine.dispose()
    folder = home.root / "work" / "service_exports" / job["export_id"]
    (folder / "staging").mkdir(parents=True, exist_ok=True)
    (folder / "staging" / "data.csv").write_text("half,written\n", encoding="utf-8")
    srv = sf.Server(home)
    try:
        r = sf.get(f"{srv.url}/v1/exports/{job['export_id']}", headers=auth).json()
        assert (r["status"], r["detail"], r["file"]) == ("failed", INTERRUPTED, None) and not folder.exists()
    finally:
        srv.stop()
