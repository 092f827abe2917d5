"""The platform's conformity review (合规性审核) before the provider's: an application filed over the API starts
pending_review with its own working-day clock; the operator passes it on to the provider or returns it with a
reason; the provider cannot decide it before. Every refusal is one line and exit 2."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.metadb import applications, open_engine
from service.settings import Settings

pytestmark = pytest.mark.slow   # the real server on a loopback port


def _apply(server, auth, **over):
    body = {"resource_code": "101001001/000001", "columns": ["id_number", "county_code"],
            "purpose": "低保资格核对 (review)", "legal_basis": "社会救助暂行办法",
            "valid_until": (date.today() + timedelta(days=30)).isoformat()}
    r = sf.post(f"{server.url}/v1/applications", json={**body, **over}, headers=auth)
    assert r.status_code == 201, r.text
    return r.json()


def _mine(server, auth, sq):
    return next(a for a in sf.get(f"{server.url}/v1/applications", headers=auth).json()["applications"]
                if a["application_id"] == sq)


def _refused(h, *args, why: str, env: dict | None = None) -> None:
    r = subprocess.run([str(sf.CITYLAKE), *args], env={**sf.env(h), **(env or {})}, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2 and why in r.stderr and "Traceback" not in r.stderr, (r.returncode, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.fixture(scope="module")
def auth(server, lake_home):
    return {"Authorization": f"Bearer {sf.token(server.url, sf.add_app(lake_home, 'civil', '合规审核测试'))}"}


def test_the_provider_cannot_decide_before_the_review_passes_it(server, lake_home, auth):
    sq = _apply(server, auth)
    assert sq["status"] == "pending_review" and sq["reply_due"] is None
    assert sq["review_due"] or "calendar" in sq["clock_note"]
    for verb, extra in (("approve", ()), ("refuse", ("--reason", "不属于履职范围"))):
        _refused(lake_home, "service", "applications", verb, sq["application_id"], "--department", "psb", *extra,
                 why="is still under the platform's conformity review")
    _refused(lake_home, "service", "applications", "review", sq["application_id"], why="give --pass")
    _refused(lake_home, "service", "applications", "review", "SQ-NOPE", "--pass", why="no application 'SQ-NOPE'")
    _refused(lake_home, "service", "applications", "--status", "maybe", why="--status must be one of")
    under = json.loads(sf.cli(lake_home, "service", "applications", "--status", "pending_review", "--json").stdout)
    assert sq["application_id"] in {a["application_id"] for a in under}

    sf.cli(lake_home, "service", "applications", "review", sq["application_id"], "--pass")
    mine = _mine(server, auth, sq["application_id"])
    assert (mine["status"], mine["reviewed_on"]) == ("pending", date.today().isoformat())
    assert mine["reply_due"] or mine["clock_note"]                     # the provider's clock runs from the review
    _refused(lake_home, "service", "applications", "review", sq["application_id"], "--pass",
             why="is not under conformity review: it is pending")
    sf.cli(lake_home, "service", "applications", "approve", sq["application_id"], "--department", "psb")
    assert sf.get(f"{server.url}/v1/datasets/101001001-000001/records", headers=auth).status_code == 200


def test_a_returned_application_says_why_and_never_reaches_the_provider(server, lake_home, auth):
    sq = _apply(server, auth)["application_id"]
    for reason in ((), ("--reason", " ")):
        _refused(lake_home, "service", "applications", "review", sq, "--return", *reason, why="must say why")
    sf.cli(lake_home, "service", "applications", "review", sq, "--return", "--reason", "法律依据未覆盖明文")
    mine = _mine(server, auth, sq)
    assert (mine["status"], mine["review_note"], mine["reply_due"]) == ("returned", "法律依据未覆盖明文", None)
    _refused(lake_home, "service", "applications", "approve", sq, "--department", "psb", why="is already returned")
    _refused(lake_home, "service", "applications", "review", sq, "--pass", why="it is returned")


def test_a_request_that_does_not_conform_cannot_pass(server, lake_home, auth):
    """Only 无条件共享 columns (no application needed), no purpose or legal basis, a resource no longer in the
    catalog: `--pass` is refused naming why; returning it is the operator's answer."""
    free = _apply(server, auth, resource_code="102001001/000001", columns=["uscc", "entity_name"])["application_id"]
    _refused(lake_home, "service", "applications", "review", free, "--pass", why="no application is needed")
    blank, gone = (_apply(server, auth)["application_id"] for _ in range(2))
    with open_engine(Settings.from_home(lake_home).db_url).begin() as conn:    # e.g. filed before the rules
        conn.execute(sa.update(applications).where(applications.c.application_id == blank)
                     .values(purpose=" ", legal_basis=""))
        conn.execute(sa.update(applications).where(applications.c.application_id == gone)
                     .values(resource_code="199001001/000001"))
    _refused(lake_home, "service", "applications", "review", blank, "--pass",
             why="no purpose (用途) stated; no legal basis (依据) stated")
    _refused(lake_home, "service", "applications", "review", gone, "--pass", why="is not in the published catalog")
    sf.cli(lake_home, "service", "applications", "review", free, "--return", "--reason", "无条件共享, 无需申请")
    assert _mine(server, auth, free)["status"] == "returned"


def test_the_review_limit_is_a_setting(server, lake_home, auth):
    from service.workdays import NoCalendar, working_days_after

    sq = _apply(server, auth)
    for bad in ("0", "two"):
        _refused(lake_home, "service", "applications", why="CITYLAKE_SERVICE_REVIEW_DAYS",
                 env={"CITYLAKE_SERVICE_REVIEW_DAYS": bad})
    out = subprocess.run([str(sf.CITYLAKE), "service", "applications", "--json"], check=True, capture_output=True,
                         text=True, env={**sf.env(lake_home), "CITYLAKE_SERVICE_REVIEW_DAYS": "4"}).stdout
    listed = next(a for a in json.loads(out) if a["application_id"] == sq["application_id"])
    try:
        due = working_days_after(date.fromisoformat(sq["applied_on"]), 4).isoformat()
    except NoCalendar:
        due = None
    assert listed["review_due"] == due and listed["review_working_days"] in (0, None)


def test_the_clocks_count_working_days_the_provider_from_the_review():
    """国庆节 2026: filed Tuesday 09-29, the 2-day review is due Thursday 10-08 (10-01…07 off); passed on 10-08,
    the provider's 5 days run to 10-14 (Saturday 10-10 is a make-up working day)."""
    from service.applications import clocks

    row = {"applied_on": "2026-09-29", "status": "pending_review", "reviewed_on": None, "decided_on": None}
    c = clocks(row, date(2026, 10, 9), 5, 2)
    assert (c["review_due"], c["review_working_days"], c["review_overdue"], c["reply_due"]) == (
        "2026-10-08", 3, True, None)                                     # 09-30, 10-08, 10-09: overdue
    c = clocks({**row, "status": "pending", "reviewed_on": "2026-10-08"}, date(2026, 10, 9), 5, 2)
    assert (c["review_working_days"], c["review_overdue"], c["reply_due"], c["working_days"]) == (2, False, "2026-10-14", 1)
    old = clocks({**row, "status": "pending"}, date(2026, 10, 9), 5, 2)      # with the provider before the review existed
    assert (old["review_due"], old["reply_due"]) == (None, "2026-10-12")
