"""Records by Accept against the real server: JSON (default), CSV through the formula guard, Arrow, Parquet."""

from __future__ import annotations

import csv
import io

import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
import svcfixtures as sf

from service.egress import mask_value

pytestmark = pytest.mark.slow   # the real server on a loopback port

LE = "102001001-000001"
SELECT = {"select": "uscc,entity_name,contact_phone,registered_capital", "township_code": "eq.510603999"}


@pytest.fixture(scope="module")
def srv_auth(tmp_path_factory):
    h = sf.build_lake_with_formula(tmp_path_factory.mktemp("formats-home"))
    s = sf.Server(h)
    yield s, {"Authorization": f"Bearer {sf.token(s.url, sf.add_app(h, 'civil', '格式'))}"}
    s.stop()


def _get(srv_auth, accept: str | None, **params):
    srv, auth = srv_auth
    headers = auth | ({"Accept": accept} if accept else {})
    return sf.get(f"{srv.url}/v1/datasets/{LE}/records", params=params or SELECT, headers=headers)


def test_json_is_the_default(srv_auth):
    for accept in (None, "application/json", "*/*", "text/html;q=0.9, application/json"):
        r = _get(srv_auth, accept)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), (accept, r.text)
        assert r.json()["records"][0]["entity_name"] == sf.FORMULA


def test_csv_goes_through_the_formula_guard(srv_auth):
    r = _get(srv_auth, "text/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(r.text)))
    assert row["entity_name"] == "'" + sf.FORMULA and row["uscc"] == sf.FORMULA_USCC
    assert row["contact_phone"] == mask_value("13912345678", "phone") and "13912345678" not in r.text
    assert r.headers["x-snapshot-id"]


@pytest.mark.parametrize("accept", ["application/vnd.apache.arrow.stream", "application/vnd.apache.parquet"])
def test_arrow_and_parquet_carry_the_same_page(srv_auth, accept):
    r = _get(srv_auth, accept)
    assert r.status_code == 200 and r.headers["content-type"] == accept
    data = io.BytesIO(r.content)
    t = ipc.open_stream(data).read_all() if "arrow" in accept else pq.read_table(data)
    [rec] = t.to_pylist()
    assert rec["entity_name"] == sf.FORMULA and rec["contact_phone"] == mask_value("13912345678", "phone")
    assert t.column_names == ["uscc", "entity_name", "contact_phone", "registered_capital"]


def test_pages_by_header_cursor(srv_auth):
    r = _get(srv_auth, "text/csv", select="uscc", limit="1000")
    nxt = r.headers["x-next-cursor"]
    more = _get(srv_auth, "text/csv", select="uscc", limit="1000", cursor=nxt)
    assert more.status_code == 200 and set(r.text.splitlines()[1:]).isdisjoint(more.text.splitlines()[1:])


def test_unsupported_accept_is_406(srv_auth):
    for accept in ("text/html", "application/xml", "application/json;q=0"):
        sf.assert_problem(_get(srv_auth, accept), 406)
