"""数据纠错 against the real server: an objection flags its record 存疑 in records until the provider resolves it."""

from __future__ import annotations

import json

import pytest
import svcfixtures as sf

pytestmark = pytest.mark.slow   # the real server on a loopback port

LE, HEALTH = "102001001-000001", "105001001-000001"
USCC = "915106000000000007"


def _object(server, auth, code=LE, **over):
    body = {"record_key": {"uscc": USCC}, "field": "entity_name", "claimed_value": "德阳真实企业七号",
            "evidence": "营业执照 (business licence) 2026-11-30"}
    return sf.post(f"{server.url}/v1/datasets/{code}/objections", json={**body, **over}, headers=auth)


def _flags(server, auth, **params) -> dict:
    r = sf.get(f"{server.url}/v1/datasets/{LE}/records", params=params, headers=auth)
    assert r.status_code == 200, r.text
    return {i: rec.get("_flags") for i, rec in enumerate(r.json()["records"])}


def _listed(lake_home, *args) -> dict:
    out = sf.cli(lake_home, "service", "objections", *args, "--json").stdout
    return {o["objection_id"]: o for o in json.loads(out)}


def test_an_objection_flags_its_record_until_resolved(server, auth_a, lake_home):
    r = _object(server, auth_a)
    assert r.status_code == 201, r.text
    ob = r.json()
    assert ob["status"] == "open" and ob["provider"] == "samr" and ob["record_key"] == {"uscc": USCC}
    [flags] = _flags(server, auth_a, uscc=f"eq.{USCC}").values()
    assert flags == [{"flag": "存疑", "field": "entity_name", "objection_id": ob["objection_id"]}]
    [flags] = _flags(server, auth_a, uscc=f"eq.{USCC}", select="entity_name").values()   # key not selected
    assert flags and flags[0]["flag"] == "存疑"
    assert not any(_flags(server, auth_a, uscc="eq.915106000000000008").values())      # other records: none
    assert ob["objection_id"] in _listed(lake_home, "--department", "samr")
    assert ob["objection_id"] not in _listed(lake_home, "--department", "civil")
    sf.cli(lake_home, "service", "objections", "resolve", ob["objection_id"], "--note", "核实无误, 已更正")
    assert not any(_flags(server, auth_a, uscc=f"eq.{USCC}").values())
    done = _listed(lake_home, "--status", "resolved")[ob["objection_id"]]
    assert done["status"] == "resolved" and done["note"] == "核实无误, 已更正"
    again = sf.cli(lake_home, "service", "objections", "resolve", ob["objection_id"], "--note", "再次", check=False)
    assert again.returncode == 2 and "already resolved" in again.stderr


def test_objection_refusals(server, auth_a, lake_home):
    sf.assert_problem(_object(server, auth_a, field="legal_rep_name"), 403)                 # not granted
    sf.assert_problem(_object(server, auth_a, field="nope"), 400)
    sf.assert_problem(_object(server, auth_a, record_key={"contact_phone": "13800000007"}), 403)   # masked: probing
    sf.assert_problem(_object(server, auth_a, record_key={"uscc": "915106009999999990"}), 404)
    sf.assert_problem(_object(server, auth_a, record_key={"township_code": "510603001"}), 400)     # several records
    sf.assert_problem(_object(server, auth_a, record_key={"uscc": "x' or '1'='1"}), 404)
    sf.assert_problem(_object(server, auth_a, evidence=""), 400)
    sf.assert_problem(_object(server, auth_a, code=HEALTH, record_key={"id_number": "1"}, field="diagnosis_code"), 403)
    sf.assert_problem(_object(server, {}), 401)
    bad = sf.cli(lake_home, "service", "objections", "resolve", "JC-nope", "--note", "x y", check=False)
    assert bad.returncode == 2 and "no objection" in bad.stderr
    assert not any(_flags(server, auth_a, uscc=f"eq.{USCC}").values())     # nothing refused was recorded
