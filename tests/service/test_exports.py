"""POST /v1/exports against the real server: a granted dataset, pinned to a snapshot, masked like records,
leak-checked before download; CSV cells through the formula guard; ids random and refused when not the app's."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.egress import mask_value
from service.metadb import exports, open_engine
from service.settings import Settings

pytestmark = pytest.mark.slow   # the real server on a loopback port

LE, POP = "102001001/000001", "101001001/000001"
FORMULA = sf.FORMULA


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return sf.build_lake_with_formula(tmp_path_factory.mktemp("exports-home"))


@pytest.fixture(scope="module")
def srv(home):
    s = sf.Server(home)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def auth(srv, home):
    return {"Authorization": f"Bearer {sf.token(srv.url, sf.add_app(home, 'civil', '导出'))}"}


def _export(srv, auth, **body):
    return sf.post(f"{srv.url}/v1/exports", json={"resource_code": LE, **body}, headers=auth)


def test_parquet_export_is_masked_pinned_and_leak_checked(srv, auth, home):
    r = _export(srv, auth, format="parquet", filters={"township_code": "eq.510603999"})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "running" and job["export_id"].startswith("ex_") and job["file"] is None
    done = sf.finished_export(srv.url, auth, job["export_id"])
    assert done["status"] == "ready" and done["rows"] == 1 and done["snapshot_id"] == job["snapshot_id"]
    f = sf.get(f"{srv.url}{done['file']}", headers=auth)
    assert f.status_code == 200 and f.headers["content-type"] == "application/vnd.apache.parquet"
    assert f.headers["x-snapshot-id"] == str(job["snapshot_id"])
    t = pq.read_table(io.BytesIO(f.content)).to_pylist()
    assert len(t) == 1 and t[0]["contact_phone"] == mask_value("13912345678", "phone") != "13912345678"
    assert "legal_rep_name" not in t[0] and t[0]["entity_name"] == FORMULA       # Parquet: the value as it is
    assert not (home.service_exports / job["export_id"] / "staging" / "data.parquet").exists()


def test_csv_export_through_the_formula_guard(srv, auth):
    r = _export(srv, auth, format="csv", select=["uscc", "entity_name", "contact_phone"])
    done = sf.finished_export(srv.url, auth, r.json()["export_id"])
    f = sf.get(f"{srv.url}{done['file']}", headers=auth)
    assert f.status_code == 200 and f.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(f.text)))
    assert len(rows) == done["rows"] == sf.ENTITIES + 1
    by = {x["uscc"]: x for x in rows}
    assert by["915106009999999998"]["entity_name"] == "'" + FORMULA          # cat_csv_safe, the project's guard
    assert "13800000001" not in f.text and "13912345678" not in f.text


def test_export_refusals(srv, auth, home):
    sf.assert_problem(_export(srv, auth, resource_code=POP), 403)                         # 有条件共享, no grant
    sf.assert_problem(_export(srv, auth, select=["legal_rep_name"]), 403)                # column not granted
    sf.assert_problem(_export(srv, auth, filters={"contact_phone": "eq.13800000001"}), 403)   # probing PII
    sf.assert_problem(_export(srv, auth, format="xlsx"), 400)
    sf.assert_problem(_export(srv, auth, filters={"township_code": "or.1=1"}), 400)
    sf.assert_problem(_export(srv, auth, resource_code="../../etc/passwd"), 404)
    sf.assert_problem(_export(srv, {}), 401)
    for bad in ("..%2F..%2Fetc%2Fpasswd", "ex_..%2F..%2F..%2F..%2Fetc%2Fpasswd", "ex_" + "A" * 22, "x" * 40):
        sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{bad}", headers=auth), 404)
        sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{bad}/file", headers=auth), 404)


def test_another_apps_export_is_404_and_a_running_one_409(srv, auth, home):
    mine = _export(srv, auth, select=["uscc"]).json()["export_id"]
    sf.finished_export(srv.url, auth, mine)
    other = {"Authorization": f"Bearer {sf.token(srv.url, sf.add_app(home, 'hrss', '另一个'))}"}
    sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{mine}", headers=other), 404)
    sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{mine}/file", headers=other), 404)
    engine = open_engine(Settings.from_home(home).db_url)
    with engine.begin() as c:
        c.execute(exports.update().where(exports.c.export_id == mine).values(status="running"))
    sf.assert_problem(sf.get(f"{srv.url}/v1/exports/{mine}/file", headers=auth), 409)
    with engine.connect() as c:
        logged = c.execute(sa.text("select status from exchange_log where path like :p"), {"p": f"%{mine}%"}).all()
    assert {404, 409} <= {s for (s,) in logged}
