"""Apps, tokens and refusals against the real `citylake serve` on a loopback port."""

from __future__ import annotations

import subprocess
import time

import jwt
import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.metadb import app_secrets, exchange_log, open_engine
from service.settings import Settings

pytestmark = pytest.mark.slow   # the real server on a loopback port


def _engine(h):
    return open_engine(Settings.from_home(h).db_url)


def test_health_needs_no_token(server):
    r = sf.get(f"{server.url}/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["snapshot_id"] > 0


def test_token_by_client_credentials(server, app_a, lake_home):
    r = sf.post(f"{server.url}/v1/token", data={"grant_type": "client_credentials", **app_a})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and 900 <= body["expires_in"] <= 3600
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == app_a["client_id"] and claims["dept"] == "civil" and claims["jti"]
    assert claims["exp"] - claims["iat"] == body["expires_in"]


def test_secrets_are_stored_hashed(lake_home, app_a):
    with _engine(lake_home).connect() as conn:
        hashes = conn.execute(sa.select(app_secrets.c.secret_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert app_a["client_secret"] not in "".join(hashes)


def test_token_refusals(server, app_a):
    url = f"{server.url}/v1/token"
    body = sf.assert_problem(sf.post(url, data={"grant_type": "client_credentials", "client_id": app_a["client_id"],
                                                   "client_secret": "wrong"}), 401)
    assert body["error"] == "invalid_client"
    body = sf.assert_problem(sf.post(url, data={"grant_type": "password", **app_a}), 400)
    assert body["error"] == "unsupported_grant_type"
    sf.assert_problem(sf.post(url, data={"grant_type": "client_credentials"}), 400)
    sf.assert_problem(sf.post(url, json={"grant_type": "client_credentials", **app_a}), 400)


def test_no_token_forged_and_expired_tokens_refused(server, app_a, lake_home):
    cat = f"{server.url}/v1/catalog"
    assert "Bearer" in sf.assert_problem(sf.get(cat), 401)["detail"]
    assert sf.get(cat).headers["www-authenticate"].startswith("Bearer")
    sf.assert_problem(sf.get(cat, headers={"Authorization": "Basic abc"}), 401)
    sf.assert_problem(sf.get(cat, headers={"Authorization": "Bearer not.a.jwt"}), 401)
    real = jwt.decode(sf.token(server.url, app_a), options={"verify_signature": False})
    forged = jwt.encode(real, b"x" * 32, algorithm="HS256")
    sf.assert_problem(sf.get(cat, headers={"Authorization": f"Bearer {forged}"}), 401)
    unsigned = jwt.encode(real, None, algorithm="none")
    sf.assert_problem(sf.get(cat, headers={"Authorization": f"Bearer {unsigned}"}), 401)
    key = Settings.from_home(lake_home).key("jwt")
    old = {**real, "iat": int(time.time()) - 7200, "nbf": int(time.time()) - 7200, "exp": int(time.time()) - 3600}
    body = sf.assert_problem(sf.get(cat, headers={"Authorization": f"Bearer {jwt.encode(old, key, 'HS256')}"}), 401)
    assert "expired" in body["detail"]
    ok = {"Authorization": f"Bearer {jwt.encode(real, key, 'HS256')}"}
    assert sf.get(cat, headers=ok).status_code == 200   # the same claims, rightly signed, pass


def test_revoked_app_and_token_refused_on_next_call(server, lake_home):
    app = sf.add_app(lake_home, "edu", "学籍核验")
    tok = sf.token(server.url, app)
    h = {"Authorization": f"Bearer {tok}"}
    assert sf.get(f"{server.url}/v1/catalog", headers=h).status_code == 200
    jti = jwt.decode(tok, options={"verify_signature": False})["jti"]
    sf.cli(lake_home, "service", "tokens", "revoke", jti)
    sf.assert_problem(sf.get(f"{server.url}/v1/catalog", headers=h), 401)
    h2 = {"Authorization": f"Bearer {sf.token(server.url, app)}"}
    assert sf.get(f"{server.url}/v1/catalog", headers=h2).status_code == 200
    sf.cli(lake_home, "service", "apps", "revoke", app["client_id"])
    sf.assert_problem(sf.get(f"{server.url}/v1/catalog", headers=h2), 401)
    r = sf.post(f"{server.url}/v1/token", data={"grant_type": "client_credentials", **app})
    sf.assert_problem(r, 401)
    listed = sf.cli(lake_home, "service", "apps", "list", "--json").stdout
    assert f'"client_id": "{app["client_id"]}"' in listed and '"status": "revoked"' in listed
    assert app["client_secret"] not in listed


def test_rotation_keeps_two_secrets_live(server, lake_home):
    import json

    app = sf.add_app(lake_home, "tax", "税务核验")
    s1 = app["client_secret"]
    s2 = json.loads(sf.cli(lake_home, "service", "apps", "rotate", app["client_id"], "--json").stdout)["client_secret"]
    tok1 = sf.token(server.url, {"client_id": app["client_id"], "client_secret": s1})
    sf.token(server.url, {"client_id": app["client_id"], "client_secret": s2})
    s3 = json.loads(sf.cli(lake_home, "service", "apps", "rotate", app["client_id"], "--json").stdout)["client_secret"]
    sf.token(server.url, {"client_id": app["client_id"], "client_secret": s3})
    sf.token(server.url, {"client_id": app["client_id"], "client_secret": s2})
    r = sf.post(f"{server.url}/v1/token",
                   data={"grant_type": "client_credentials", "client_id": app["client_id"], "client_secret": s1})
    sf.assert_problem(r, 401)
    # a token issued from the retired secret stops working too
    sf.assert_problem(sf.get(f"{server.url}/v1/catalog", headers={"Authorization": f"Bearer {tok1}"}), 401)


def test_apps_add_refuses_unknown_department(lake_home):
    out = sf.cli(lake_home, "service", "apps", "add", "--department", "nope", "--name", "x", check=False)
    assert out.returncode == 2 and "unknown department 'nope'" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_refused_calls_are_logged(server, lake_home):
    from urllib.parse import quote

    sf.get(f"{server.url}/v1/catalog", headers={"X-Operator": quote("王五"), "X-Purpose": "probe"})
    with _engine(lake_home).connect() as conn:
        row = conn.execute(sa.select(exchange_log).where(exchange_log.c.operator == "王五")).one()._mapping
    assert row["status"] == 401 and row["path"] == "/v1/catalog" and "access token" in row["detail"]
    assert row["purpose"] == "probe" and row["client_id"] is None


def test_a_setting_out_of_range_is_one_line_and_exit_2(lake_home):
    for var, value in (("CITYLAKE_SERVICE_DUCKDB_THREADS", "x"), ("CITYLAKE_SERVICE_TOKEN_TTL", "5")):
        out = subprocess.run([str(sf.CITYLAKE), "serve", "--port", "9"],
                             env={**sf.env(lake_home), var: value}, capture_output=True, text=True, timeout=120)
        assert out.returncode == 2 and var in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
