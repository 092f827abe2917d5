"""Export files expire, against the real server: `citylake service exports expire` removes a ready export's
file once it is older than the time to live, and so does the server itself on a timer; the export then says `expired`
and its download answers 410."""

from __future__ import annotations

import time

import pytest
import svcfixtures as sf

pytestmark = pytest.mark.slow   # the real server on a loopback port


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return sf.build_lake(tmp_path_factory.mktemp("expiry-home"))


def _ready_export(srv, home, app_name: str) -> tuple[dict, dict]:
    """(auth headers of a new app, its CSV export of the legal entities, ready)."""
    auth = {"Authorization": f"Bearer {sf.token(srv.url, sf.add_app(home, 'civil', app_name))}"}
    job = sf.post(f"{srv.url}/v1/exports", json={"resource_code": "102001001/000001", "format": "csv"},
                  headers=auth).json()
    assert sf.finished_export(srv.url, auth, job["export_id"])["status"] == "ready"
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


def test_the_server_expires_export_files_on_its_own_timer(home):
    """With a sweep every second and a time to live of 3.6 s, a ready export becomes `expired` (file removed, download
    410) while the server runs, without `citylake service exports expire`."""
    settings = {"CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS": "1", "CITYLAKE_SERVICE_EXPORT_TTL_HOURS": "0.001"}
    srv = sf.Server(home, "--workers", "2", settings=settings)
    try:
        auth, job = _ready_export(srv, home, "导出定时清除")
        end = time.monotonic() + sf.TIMEOUT
        while (r := sf.get(f"{srv.url}/v1/exports/{job['export_id']}", headers=auth).json())["status"] == "ready":
            assert time.monotonic() < end, "the server's sweep did not expire the export"
            time.sleep(0.5)
        assert r["status"] == "expired" and "removed 0.001 h after it was ready" in r["detail"]
        assert not (home.root / "work" / "service_exports" / job["export_id"]).exists()
        sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{job['export_id']}/file", headers=auth), 410)
    finally:
        srv.stop()


@pytest.mark.parametrize("bad", ["0", "-5", "1.5", "soon"])
def test_a_sweep_interval_out_of_range_is_one_line_and_exit_2(home, bad):
    import subprocess

    r = subprocess.run([str(sf.CITYLAKE), "serve", "--port", str(sf.free_port())], capture_output=True, text=True,
                       env=sf.env(home) | {"CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS": bad}, timeout=120)
    assert r.returncode == 2 and "CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS" in r.stderr + r.stdout
    assert len((r.stderr + r.stdout).strip().splitlines()) == 1
