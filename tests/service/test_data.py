"""Catalog, records and verification against the real server: grants, filters, pages, refusals."""

from __future__ import annotations

import httpx
import pytest
import svcfixtures as sf

from citylake.core.db import connect
from service.egress import mask_value

LE = "102001001-000001"     # 无条件共享 (with a conditional column and a masked one)
POP = "101001001-000001"    # 有条件共享
HEALTH = "105001001-000001"  # 不予共享
RAW_MARKERS = ("9151060000", "51060319900", "1380000", "张1")   # raw values of the lake

pytestmark = pytest.mark.slow   # the real server on a loopback port


def _records(server, auth, code=LE, **params):
    return sf.get(f"{server.url}/v1/datasets/{code}/records", params=params, headers=auth)


def _no_rows(r: httpx.Response) -> None:
    for marker in RAW_MARKERS:
        assert marker not in r.text, (marker, r.text)


def test_catalog_lists_access_and_reasons(server, auth_a):
    r = sf.get(f"{server.url}/v1/catalog", headers=auth_a)
    assert r.status_code == 200
    by = {e["path_code"]: e for e in r.json()["entries"]}
    assert by[LE]["access"] == "readable" and by[LE]["records"] == f"/v1/datasets/{LE}/records"
    assert by[POP]["access"] == "application_required" and by[POP]["records"] is None
    assert by[HEALTH]["access"] == "not_shared" and "依法不予共享" in by[HEALTH]["reason"]
    assert r.headers["x-snapshot-id"] == str(r.json()["snapshot_id"])


def test_catalog_entry_items(server, auth_a):
    r = sf.get(f"{server.url}/v1/catalog/{LE}", headers=auth_a)
    items = {i["name"]: i for i in r.json()["items"]}
    assert items["contact_phone"]["readable"] and items["contact_phone"]["masked"]
    assert not items["legal_rep_name"]["readable"] and "application" in items["legal_rep_name"]["reason"]
    assert not items["uscc"]["masked"]
    sf.assert_problem(sf.get(f"{server.url}/v1/catalog/999999999-000001", headers=auth_a), 404)
    sf.assert_problem(sf.get(f"{server.url}/v1/catalog/..%2F..%2Fetc", headers=auth_a), 404)


def test_records_readable_columns_masked(server, auth_a, lake_home):
    r = _records(server, auth_a, limit="5")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"records", "next_cursor", "snapshot_id"} and r.headers["x-snapshot-id"] == str(body["snapshot_id"])
    rec = body["records"][0]
    assert set(rec) == {"uscc", "entity_name", "registration_status", "township_code", "registered_capital",
                        "contact_phone", "remark"}
    assert rec["contact_phone"] == mask_value("13800000001", "phone") != "13800000001"
    assert rec["remark"] == "年报联系人电话 [手机号已脱敏] 已核实" and "13911110001" not in r.text   # free text scrubbed
    assert "legal_rep_name" not in r.text and "张1" not in r.text


def test_columns_not_granted_and_unknown(server, auth_a):
    _no_rows(r := _records(server, auth_a, select="uscc,legal_rep_name"))
    assert "not granted" in sf.assert_problem(r, 403)["detail"]
    sf.assert_problem(_records(server, auth_a, select="uscc,nope"), 400)
    sf.assert_problem(_records(server, auth_a, legal_rep_name="eq.张1"), 403)
    sf.assert_problem(_records(server, auth_a, contact_phone="eq.13800000001"), 403)   # filter on a masked column
    sf.assert_problem(_records(server, auth_a, remark="prefix.年报联系人电话 13911"), 403)  # nor on scrubbed text


def _lake_rows(h, where: str, params: dict) -> set[str]:
    conn = connect(read_only=True, h=h)
    try:
        return {r[0] for r in conn.execute(f"select uscc from base.legal_entity where {where}", params).fetchall()}
    finally:
        conn.close()


@pytest.mark.parametrize("params,where,bound", [
    ({"township_code": "eq.510603002"}, "township_code = $v", {"v": "510603002"}),
    ({"uscc": "in.915106000000000007,915106000000000008,915106000000009999"}, "uscc in ($a, $b)",
     {"a": "915106000000000007", "b": "915106000000000008"}),
    ({"registered_capital": ["gte.1000000", "lt.1500000"]}, "registered_capital >= 1000000 and registered_capital < 1500000", {}),
    ({"entity_name": "prefix.德阳测试企业12", "registration_status": "eq.revoked"},
     "starts_with(entity_name, '德阳测试企业12') and registration_status = 'revoked'", {}),
])
def test_filters_match_the_lake(server, auth_a, lake_home, params, where, bound):
    r = _records(server, auth_a, limit="1000", select="uscc", **params)
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    got = {x["uscc"] for x in r.json()["records"]}
    assert got and got == _lake_rows(lake_home, where, bound)


def test_filter_value_of_wrong_type(server, auth_a):
    sf.assert_problem(_records(server, auth_a, registered_capital="gte.lots"), 400)


def test_keyset_pages_cover_the_table_once(server, auth_a):
    seen, cur, pages = [], None, 0
    while True:
        r = _records(server, auth_a, select="uscc", limit="1000", **({"cursor": cur} if cur else {}))
        assert r.status_code == 200, r.text
        seen += [x["uscc"] for x in r.json()["records"]]
        pages += 1
        cur = r.json()["next_cursor"]
        if cur is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == sf.ENTITIES


def test_pages_stay_on_their_snapshot_while_the_lake_is_written(server, auth_a, lake_home):
    first = _records(server, auth_a, select="uscc", limit="1000")
    snap = first.json()["snapshot_id"]
    conn = connect(h=lake_home)     # the nightly batch writes a new snapshot meanwhile
    try:
        conn.execute("insert into base.legal_entity (uscc, entity_name, registration_status) "
                     "values ('915106009999999999', '新企业', 'active')")
    finally:
        conn.close()
    rest, cur = [], first.json()["next_cursor"]
    while cur:
        r = _records(server, auth_a, select="uscc", limit="1000", cursor=cur)
        assert r.json()["snapshot_id"] == snap and r.headers["x-snapshot-id"] == str(snap)
        rest += [x["uscc"] for x in r.json()["records"]]
        cur = r.json()["next_cursor"]
    assert "915106009999999999" not in rest and len(first.json()["records"]) + len(rest) == sf.ENTITIES
    fresh = _records(server, auth_a, select="uscc", uscc="eq.915106009999999999")
    assert fresh.json()["snapshot_id"] > snap and len(fresh.json()["records"]) == 1


def test_cursor_tampering_refused(server, auth_a, app_b):
    cur = _records(server, auth_a, select="uscc", limit="10").json()["next_cursor"]
    body, sig = cur.split(".")
    for bad in (body[:-1] + ("A" if body[-1] != "A" else "B") + "." + sig, body + "." + sig[::-1], "garbage", body):
        _no_rows(r := _records(server, auth_a, select="uscc", limit="10", cursor=bad))
        sf.assert_problem(r, 400)
    sf.assert_problem(_records(server, auth_a, select="uscc,entity_name", limit="10", cursor=cur), 400)   # other query
    auth_b = {"Authorization": f"Bearer {sf.token(server.url, app_b)}"}
    sf.assert_problem(_records(server, auth_b, select="uscc", limit="10", cursor=cur), 400)             # other app


@pytest.mark.parametrize("limit", ["1000000000", "1001", "0", "-1", "1e3", "abc"])
def test_limit_out_of_range(server, auth_a, limit):
    _no_rows(r := _records(server, auth_a, limit=limit))
    sf.assert_problem(r, 400)


INJECTIONS = ["1' or '1'='1", "1; drop table base.legal_entity; --", "\" or 1=1 --", "') union select * from base.population --",
              "$after", "*/ select 1 /*"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_in_every_parameter(server, auth_a, payload):
    attempts = [
        _records(server, auth_a, select=payload),
        _records(server, auth_a, select=f"uscc,{payload}"),
        _records(server, auth_a, uscc=f"eq.{payload}"),
        _records(server, auth_a, uscc=f"in.a,{payload}"),
        _records(server, auth_a, uscc=f"prefix.{payload}"),
        _records(server, auth_a, registered_capital=f"gte.{payload}"),
        _records(server, auth_a, **{payload: "eq.1"}),
        _records(server, auth_a, limit=payload),
        _records(server, auth_a, cursor=payload),
        sf.get(f"{server.url}/v1/datasets/{payload}/records", headers=auth_a),
        sf.get(f"{server.url}/v1/catalog/{payload}", headers=auth_a),
    ]
    for r in attempts:
        if r.status_code == 200:   # a bound value that matches nothing
            assert r.json()["records"] == [], r.text
        else:
            assert r.status_code in (400, 403, 404), (r.status_code, r.text)
            sf.assert_problem(r, r.status_code)
        _no_rows(r)
    r = _records(server, auth_a, select="uscc", limit="1")
    assert r.status_code == 200 and len(r.json()["records"]) == 1     # the table is still there


def test_conditional_and_not_shared_datasets_refused(server, auth_a):
    _no_rows(r := _records(server, auth_a, code=POP))
    assert "application" in sf.assert_problem(r, 403)["detail"]
    _no_rows(r := _records(server, auth_a, code=HEALTH))
    assert "不予共享" in sf.assert_problem(r, 403)["detail"]
    assert "unknown resource code" in sf.assert_problem(_records(server, auth_a, code="999999999-000009"), 404)["detail"]


def _verify(server, auth, body):
    return sf.post(f"{server.url}/v1/verify", json=body, headers=auth)


def test_verify_person_and_entity(server, auth_a):
    person = {"kind": "person", "id_number": "51060319900100007X", "name": "李7"}
    assert _verify(server, auth_a, person).json()["match"] is True
    assert _verify(server, auth_a, {**person, "id_number": "51060319900100007x"}).json()["match"] is True
    r = _verify(server, auth_a, {**person, "name": "李8"})
    assert r.json()["match"] is False and r.json()["mismatch"] == ["name"]
    assert _verify(server, auth_a, {**person, "id_number": "510603199001999999"}).json()["mismatch"] == ["id_number"]
    entity = {"kind": "entity", "uscc": "915106000000000011", "name": "德阳测试企业11"}
    assert _verify(server, auth_a, entity).json() == {"match": True, "mismatch": [], "snapshot_id": r.json()["snapshot_id"]}
    r = _verify(server, auth_a, {**entity, "uscc": "915106000000000010", "name": "德阳测试企业10"})
    assert r.json()["mismatch"] == ["registration_status"]
    for body in (r, _verify(server, auth_a, person)):
        assert set(body.json()) == {"match", "mismatch", "snapshot_id"} and "李" not in body.text


def test_verify_refusals(server, auth_a):
    sf.assert_problem(_verify(server, {}, {"kind": "person", "id_number": "1", "name": "x"}), 401)
    sf.assert_problem(_verify(server, auth_a, {"kind": "vehicle", "plate": "川F"}), 400)
    sf.assert_problem(_verify(server, auth_a, {"kind": "person", "id_number": "1" * 500, "name": "x"}), 400)
    sf.assert_problem(sf.post(f"{server.url}/v1/verify", content=b"{not json", headers=auth_a), 400)
    r = _verify(server, auth_a, {"kind": "person", "id_number": "1' or '1'='1", "name": "李1"})
    assert r.json()["match"] is False


def test_unknown_route_is_a_problem(server):
    sf.assert_problem(sf.get(f"{server.url}/v1/nothing"), 404)
    for path in ("/nothing", "/static-offline-docs/nope.js", "/static-offline-docs/../../etc/passwd",
                 "/static-offline-docs/%2e%2e/%2e%2e/etc/passwd"):
        assert "root:" not in sf.assert_problem(sf.get(f"{server.url}{path}"), 404)["detail"]
    sf.assert_problem(sf.delete(f"{server.url}/v1/health"), 405)


def test_cursor_of_a_snapshot_no_longer_kept(server, auth_a, app_a, lake_home):
    from service import cursor
    from service.settings import Settings

    scope = cursor.fingerprint(app_a["client_id"], "102001001/000001", ["uscc"], [])
    gone = cursor.encode(Settings.from_home(lake_home).key("cursor"), scope, 10**6, 0)
    _no_rows(r := _records(server, auth_a, select="uscc", cursor=gone))
    assert "no longer kept" in sf.assert_problem(r, 410)["detail"]


def test_as_of_reads_an_older_snapshot_still_kept(server, auth_a, lake_home):
    before = _records(server, auth_a, select="uscc", limit="1").json()["snapshot_id"]
    conn = connect(h=lake_home)
    try:
        conn.execute("insert into base.legal_entity (uscc, entity_name, registration_status) "
                     "values ('915106008888888888', '后来的企业', 'active')")
    finally:
        conn.close()
    now = _records(server, auth_a, select="uscc", uscc="eq.915106008888888888")
    assert now.json()["snapshot_id"] > before and len(now.json()["records"]) == 1
    old = _records(server, auth_a, select="uscc", uscc="eq.915106008888888888", as_of=str(before))
    assert old.status_code == 200 and old.json() == {"records": [], "next_cursor": None, "snapshot_id": before}
    assert old.headers["x-snapshot-id"] == str(before)
    for bad in ("10000000", "abc", "-1", "1 or 1=1"):
        _no_rows(r := _records(server, auth_a, as_of=bad))
        sf.assert_problem(r, 400)
    sf.assert_problem(_records(server, auth_a, as_of="1"), 404)     # before the table was created
    conn = connect(h=lake_home)     # the operator expires that snapshot
    try:
        conn.execute("call ducklake_expire_snapshots('lake', versions => [$v])", {"v": before})
    finally:
        conn.close()
    _no_rows(r := _records(server, auth_a, select="uscc", as_of=str(before)))
    assert "no longer kept" in sf.assert_problem(r, 410)["detail"]
