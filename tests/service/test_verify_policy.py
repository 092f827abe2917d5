"""The verification policy (service.verify_policy): every app may verify unless the operator withdrew it for
that app, that element or both — refused on the next call with the reason, logged, and served again after
a restore. The rule alone, the operator's refusals, and the real server."""

from __future__ import annotations

import svcfixtures as sf

from service.verify_policy import Withdrawal, refusal

PERSON = {"kind": "person", "id_number": "51060319900100007X", "name": "李7"}
ENTITY = {"kind": "entity", "uscc": "915106000000000011", "name": "德阳测试企业11"}


def test_a_withdrawal_covers_its_app_and_its_element_only():
    app_only = Withdrawal(1, "app_a", None, "合同终止")
    element_only = Withdrawal(2, None, "uscc", "登记系统迁移")
    both = Withdrawal(3, "app_b", "id_number", "超出履职范围")
    assert refusal((), "app_a", "id_number") is None
    assert "合同终止" in refusal((app_only,), "app_a", "uscc")
    assert refusal((app_only,), "app_b", "uscc") is None
    assert "every app" in refusal((element_only,), "app_c", "uscc")
    assert refusal((element_only,), "app_c", "id_number") is None
    assert refusal((both,), "app_b", "uscc") is None and refusal((both,), "app_a", "id_number") is None
    assert "withdrawal 3" in refusal((element_only, both), "app_b", "id_number")


def test_the_operator_is_refused_in_one_line(lake_home, server, app_a):
    for args, why in ((["--reason", "x y"], "name the app"),
                      (["--element", "plate", "--reason", "测试原因"], "id_number, uscc"),
                      (["--app", "app_nobody", "--reason", "测试原因"], "no app"),
                      (["--app", app_a["client_id"], "--reason", " "], "reason")):
        r = sf.cli(lake_home, "service", "verification", "withdraw", *args, check=False)
        assert r.returncode == 2 and why in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = sf.cli(lake_home, "service", "verification", "restore", "999999", check=False)
    assert r.returncode == 2 and "no withdrawal 999999" in r.stderr


def _withdraw(h, *args: str) -> int:
    out = sf.cli(h, "service", "verification", "withdraw", *args).stdout
    return int(out.split()[1].rstrip(":"))


def _codes(server, auth) -> tuple[int, int]:
    return tuple(sf.post(f"{server.url}/v1/verify", json=b, headers=auth).status_code for b in (PERSON, ENTITY))


def test_withdrawn_and_restored_on_the_next_call(lake_home, server):
    a, b = sf.add_app(lake_home, "civil", "核验策略测试A"), sf.add_app(lake_home, "hrss", "核验策略测试B")
    auth_a, auth_b = ({"Authorization": f"Bearer {sf.token(server.url, c)}"} for c in (a, b))
    assert _codes(server, auth_a) == _codes(server, auth_b) == (200, 200)

    per_app = _withdraw(lake_home, "--app", a["client_id"], "--element", "id_number", "--reason", "超出履职范围")
    body = sf.assert_problem(sf.post(f"{server.url}/v1/verify", json=PERSON, headers=auth_a), 403)
    assert "超出履职范围" in body["detail"] and "match" not in body
    assert _codes(server, auth_a) == (403, 200) and _codes(server, auth_b) == (200, 200)

    every_app = _withdraw(lake_home, "--element", "uscc", "--reason", "登记系统迁移")
    try:
        assert _codes(server, auth_a) == (403, 403) and _codes(server, auth_b) == (200, 403)
        listed = sf.cli(lake_home, "service", "verification", "--json").stdout
        assert "登记系统迁移" in listed and "超出履职范围" in listed
    finally:
        sf.cli(lake_home, "service", "verification", "restore", str(every_app))
    sf.cli(lake_home, "service", "verification", "restore", str(per_app))
    assert _codes(server, auth_a) == _codes(server, auth_b) == (200, 200)
    assert "登记系统迁移" in sf.cli(lake_home, "service", "verification", "--all", "--json").stdout

    refused = [r for r in sf.log_rows(lake_home, a["client_id"]) if r.status == 403]
    assert ("verify:base.population" in {r.dataset for r in refused}) and all("withdrawn" in r.detail for r in refused)
