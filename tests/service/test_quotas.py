"""Per-app quotas against the real server: 429 with Retry-After, one-line problem, logged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.metadb import open_engine, quota_days
from service.settings import Settings

pytestmark = pytest.mark.slow   # the real server on a loopback port

LE = "102001001-000001"


def _auth(server, app):
    return {"Authorization": f"Bearer {sf.token(server.url, app)}"}


def test_requests_per_minute(server, lake_home):
    app = sf.add_app(lake_home, "urban", "城管巡查")
    sf.cli(lake_home, "service", "apps", "quota", app["client_id"], "--per-minute", "4")
    auth = _auth(server, app)                                   # the token call counts: 1 of 4
    codes = [sf.get(f"{server.url}/v1/catalog", headers=auth).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    r = sf.get(f"{server.url}/v1/datasets/{LE}/records", headers=auth)
    body = sf.assert_problem(r, 429)
    assert r.headers["retry-after"] == "60" and "per minute" in body["detail"] and "records" not in r.text
    assert [r for r in sf.log_rows(lake_home, app["client_id"]) if r.status == 429]
    other = sf.add_app(lake_home, "urban", "另一个系统")       # quotas are per app
    assert sf.get(f"{server.url}/v1/catalog", headers=_auth(server, other)).status_code == 200


def test_rows_per_day(server, lake_home):
    app = sf.add_app(lake_home, "stats", "统计分析")
    sf.cli(lake_home, "service", "apps", "quota", app["client_id"], "--rows-per-day", "5")
    auth = _auth(server, app)
    assert sf.get(f"{server.url}/v1/catalog", headers=auth).status_code == 200      # entries are not rows
    assert len(sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"limit": "4"}, headers=auth)
               .json()["records"]) == 4
    assert len(sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"limit": "1"}, headers=auth)
               .json()["records"]) == 1
    r = sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"limit": "1"}, headers=auth)
    assert "rows per day" in sf.assert_problem(r, 429)["detail"] and 0 < int(r.headers["retry-after"]) <= 86401
    with open_engine(Settings.from_home(lake_home).db_url).connect() as conn:   # the day's counter, one row
        assert conn.execute(sa.select(quota_days.c.rows).where(quota_days.c.client_id == app["client_id"])
                            ).scalars().all() == [5]


def test_the_day_counter_adds_what_the_log_appends(tmp_path):
    """Rows of records calls count, per app and UTC day, in the log append's transaction; other calls do not."""
    from service import log, quotas

    engine = open_engine(f"sqlite:///{tmp_path / 'q.sqlite'}")
    call = {"client_id": "app_a", "method": "GET", "status": 200, "latency_ms": 1.0}
    log.append_many(engine, [{**call, "at": "2026-12-01T23:59:59+00:00", "path": f"/v1/datasets/{LE}/records", "rows": 3},
                             {**call, "at": "2026-12-02T00:00:01+00:00", "path": f"/v1/datasets/{LE}/records", "rows": 4},
                             {**call, "at": "2026-12-02T00:00:02+00:00", "path": "/v1/catalog", "rows": 9},
                             {**call, "at": "2026-12-02T00:00:03+00:00", "path": "/v1/verify", "rows": None}])
    log.append(engine, {**call, "at": "2026-12-02T08:00:00+00:00", "path": f"/v1/datasets/{LE}/records", "rows": 6})
    with engine.connect() as conn:
        assert dict(conn.execute(sa.select(quota_days.c.day, quota_days.c.rows)).all()) == {"2026-12-01": 3,
                                                                                           "2026-12-02": 10}
        assert quotas.counts(conn, "app_a", datetime(2026, 12, 2, 8, 0, 30, tzinfo=UTC)) == (1, 10)
        assert quotas.counts(conn, "app_b", datetime(2026, 12, 2, 8, 0, 30, tzinfo=UTC)) == (0, 0)
    engine.dispose()


def test_quota_of_an_unknown_app(lake_home):
    out = sf.cli(lake_home, "service", "apps", "quota", "app_nope", "--per-minute", "1", check=False)
    assert out.returncode == 2 and "no app" in out.stderr
