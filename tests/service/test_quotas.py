"""Per-app quotas against the real server: 429 with Retry-After, one-line problem, logged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.metadb import exchange_log, open_engine
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
    with open_engine(Settings.from_home(lake_home).db_url).connect() as conn:
        logged = conn.execute(sa.select(exchange_log.c.status).where(exchange_log.c.client_id == app["client_id"],
                                                                     exchange_log.c.status == 429)).all()
    assert logged
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


def test_quota_of_an_unknown_app(lake_home):
    out = sf.cli(lake_home, "service", "apps", "quota", "app_nope", "--per-minute", "1", check=False)
    assert out.returncode == 2 and "no app" in out.stderr
