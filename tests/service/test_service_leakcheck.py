"""The project's leak scanner (egress.leakcheck, used on every export) finds nothing in what the
service returns — records with masked columns, under no grant and under a grant."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import svcfixtures as sf

from citylake.core.db import connect
from egress import leakcheck

pytestmark = pytest.mark.slow   # the real server on a loopback port


def _scan(tmp_path, name: str, body) -> list:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    conn = connect(lake=False)
    try:
        return leakcheck.scan_file(conn, leakcheck.Target(path=path))
    finally:
        conn.close()


def test_scanner_finds_nothing_in_responses(server, lake_home, tmp_path):
    app = sf.add_app(lake_home, "civil", "出域检查")
    auth = {"Authorization": f"Bearer {sf.token(server.url, app)}"}
    sq = sf.post(f"{server.url}/v1/applications", headers=auth, json={
        "resource_code": "101001001/000001", "columns": ["id_number", "person_name"], "purpose": "出域检查测试",
        "legal_basis": "测试", "valid_until": (date.today() + timedelta(days=5)).isoformat()}).json()["application_id"]
    sf.cli(lake_home, "service", "applications", "approve", sf.reviewed(lake_home, sq), "--department", "psb")
    pages = {"entities": sf.get(f"{server.url}/v1/datasets/102001001-000001/records", params={"limit": "1000"},
                                   headers=auth).json(),
             "people": sf.get(f"{server.url}/v1/datasets/101001001-000001/records", params={"limit": "1000"},
                                 headers=auth).json()}
    assert len(pages["entities"]["records"]) == 1000 and pages["people"]["records"]
    for name, body in pages.items():
        assert _scan(tmp_path, name, body) == [], name
    # the same scanner on the unmasked values finds the phones: the check above can fail
    raw = [{**r, "contact_phone": f"1380000{int(r['uscc'][-4:]):04d}"} for r in pages["entities"]["records"]]
    assert {f.check for f in _scan(tmp_path, "raw", {"records": raw})} == {"mobile"}


@pytest.fixture(scope="module")
def mislabelled(tmp_path_factory):
    h = sf.build_lake_mislabelled(tmp_path_factory.mktemp("mislabelled-home"))
    s = sf.Server(h)
    yield h, s
    s.stop()


def test_every_records_page_passes_the_leak_check(mislabelled):
    """A catalog that forgot to mark a column personal: the page holding its mobile number is refused at the
    exit (500, one line, no row sent, logged), in every format; the pages without it are served."""
    h, server = mislabelled
    app = sf.add_app(h, "civil", "出域检查")
    auth = {"Authorization": f"Bearer {sf.token(server.url, app)}"}
    url = f"{server.url}/v1/datasets/{sf.MISLABELLED}/records"
    clean = sf.get(url, params={"uscc": "in.915106000000000001,915106000000000002"}, headers=auth)
    assert clean.status_code == 200 and len(clean.json()["records"]) == 2
    for accept in ("application/json", "text/csv", "application/vnd.apache.parquet"):
        body = sf.assert_problem(sf.get(url, headers=auth | {"Accept": accept}), 500)
        assert "leak check" in body["detail"] and "mobile" in body["detail"] and "13912345678" not in str(body)
    refused = [r for r in sf.log_rows(h, app["client_id"]) if r.status == 500]
    assert len(refused) == 3 and all("leak check" in r.detail and not r.rows for r in refused)


def test_a_page_holding_a_residents_full_name_is_refused(mislabelled):
    """The same wrong entry: the page whose `contact_person` holds a full name of base.population is refused at the
    exit (500 naming the check and the column, never the name; logged); a masked name (李*), a lone surname and
    ordinary words pass."""
    h, server = mislabelled
    app = sf.add_app(h, "civil", "出域检查姓名")
    auth = {"Authorization": f"Bearer {sf.token(server.url, app)}"}
    url = f"{server.url}/v1/datasets/{sf.MISLABELLED}/records"
    clean = sf.get(url, params={"uscc": "in.915106000000000001,915106000000000002,915106000000000005"}, headers=auth)
    assert clean.status_code == 200, clean.text
    assert [r["contact_person"] for r in clean.json()["records"]] == ["李*", "李", "财务部"]
    for accept in ("application/json", "text/csv"):
        r = sf.get(url, params={"uscc": "eq.915106000000000004"}, headers=auth | {"Accept": accept})
        body = sf.assert_problem(r, 500)
        assert "leak check (name in column 'contact_person'" in body["detail"] and "李4" not in r.text
    refused = [r for r in sf.log_rows(h, app["client_id"]) if r.status == 500]
    assert len(refused) == 2 and all("name in column 'contact_person'" in r.detail and not r.rows for r in refused)
