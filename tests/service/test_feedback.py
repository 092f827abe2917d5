"""The provider department hears back, against the real server: calls and objections on samr's data reach
`citylake service usage --department samr` and samr's quality report (`citylake quality report`), masked."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import svcfixtures as sf

pytestmark = pytest.mark.slow   # the real server on a loopback port

LE = "102001001-000001"
PHONE = "13912340007"


def test_usage_and_objections_reach_the_provider_cli_and_report(server, app_a, auth_a, lake_home):
    purpose = {"X-Purpose": quote("企业资格核验"), "X-Operator": quote("王小二")}
    for _ in range(2):
        r = sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"limit": "7"}, headers={**auth_a, **purpose})
        assert r.status_code == 200 and len(r.json()["records"]) == 7
    sf.assert_problem(sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"select": "legal_rep_name"},
                             headers={**auth_a, **purpose}), 403)
    uscc = r.json()["records"][0]["uscc"]
    v = sf.post(f"{server.url}/v1/verify", json={"kind": "entity", "uscc": uscc, "name": "某公司"},
                headers={**auth_a, "X-Purpose": quote("开户核验")})
    assert v.status_code == 200, v.text
    ob = sf.post(f"{server.url}/v1/datasets/{LE}/objections", headers=auth_a, json={
        "record_key": {"uscc": uscc}, "field": "contact_phone", "claimed_value": PHONE,
        "evidence": "企业年报 2026, 联系人 王小二 13912340008"})
    assert ob.status_code == 201, ob.text
    try:
        _heard_by_the_provider(lake_home, app_a, ob.json()["objection_id"])
    finally:   # the session's server is shared: leave no record flagged 存疑 for the other tests
        sf.cli(lake_home, "service", "objections", "resolve", ob.json()["objection_id"], "--note", "核实无误")


def _heard_by_the_provider(lake_home, app_a, objection_id: str) -> None:
    used = json.loads(sf.cli(lake_home, "service", "usage", "--department", "samr", "--json").stdout)
    mine = [u for u in used if u["client_id"] == app_a["client_id"] and u["resource_code"] == "102001001/000001"
            and u["use"] == "read"]
    assert len(mine) == 1 and mine[0]["department"] == "civil" and mine[0]["app_name"] == "低保核对系统"
    assert mine[0]["purposes"]["企业资格核验"] >= 3 and mine[0]["refused"] >= 1 and mine[0]["rows"] >= 14
    [checked] = [u for u in used if u["client_id"] == app_a["client_id"] and u["use"] == "verify"]
    assert checked["resource_code"] == "102001001/000001" and checked["purposes"]["开户核验"] >= 1
    assert checked["rows"] == 0                                              # 核验 returns no record
    psb = json.loads(sf.cli(lake_home, "service", "usage", "--department", "psb", "--json").stdout)
    assert all(u["resource_code"] == "101001001/000001" for u in psb)       # only psb's own data
    today = datetime.now(UTC).date().isoformat()
    out = sf.cli(lake_home, "quality", "report", "--department", "samr", "--date", today).stdout
    page = html.unescape((lake_home.reports / today / "samr.html").read_text(encoding="utf-8"))
    assert "samr.html" in out.replace("\n", "")  # the console may wrap the path
    objs, usage = page[page.index('id="objections"'):page.index('id="usage"')], page[page.index('id="usage"'):]
    assert objection_id in objs and "contact_phone" in objs and "待处理 open" in objs
    assert PHONE not in page and "13912340008" not in page and "王小二" not in page
    assert not re.search(r"1[3-9]\d{9}", page)
    assert "低保核对系统" in usage and app_a["client_id"] in usage and "企业资格核验" in usage
    assert "核验 verification" in usage and "开户核验" in usage
