"""Sharing applications: the dates a reviewer sets, and where the register lives.

approved_on is the day of the decision; the department may receive data on the days
valid_from..valid_until; the data of a night after valid_until is not covered. Approving today
therefore lets the department receive the night the lake holds now (yesterday's, or the demo's).
The CLI writes the home's register, never the template in the source tree.
"""

from __future__ import annotations

from datetime import date

import catalog_fixture as fx
import pytest
from typer.testing import CliRunner

from catalogs import publish
from catalogs.cli import catalog_app
from catalogs.generate import generate
from catalogs.publish import Application, SharingRefused

DEMO_NIGHT, TODAY = date(2026, 11, 25), date(2026, 12, 1)


def _approved(**kw) -> Application:
    base = dict(id="SQ-T-1", department="civil", resource="base.population", items=["id_number"], purpose="核查",
                status="approved", approver="数据共享科", approved_on=TODAY, valid_from=TODAY,
                valid_until=date(2027, 10, 31))
    return Application(**{**base, **kw})


@pytest.mark.parametrize(("app", "night", "today", "why"), [
    (_approved(), DEMO_NIGHT, TODAY, None),                           # approved today, last week's night
    (_approved(), date(2027, 10, 31), date(2027, 10, 31), None),     # the last day
    (_approved(), DEMO_NIGHT, date(2027, 11, 1), "SQ-T-1 expired on 2027-10-31"),   # re-delivered too late
    (_approved(), date(2027, 11, 2), date(2027, 10, 31), "SQ-T-1 expired on 2027-10-31"),  # night not covered
    (_approved(valid_from=date(2027, 1, 1)), DEMO_NIGHT, TODAY, "SQ-T-1 is valid only from 2027-01-01"),
    (_approved(status="pending"), DEMO_NIGHT, TODAY, "SQ-T-1 is pending"),
    (_approved(status="rejected"), DEMO_NIGHT, TODAY, "SQ-T-1 is rejected"),
])
def test_validity_is_judged_on_the_exchange_day_and_the_night(app, night, today, why):
    assert app.refusal(night, today) == why


def test_a_just_approved_application_shares_the_demo_night(home, conn, codes_file, tmp_path):
    cat = generate(str(DEMO_NIGHT), home, conn=conn, manifest=fx.manifest(), elements=fx.ELEMENTS, feeds=fx.FEEDS,
                   codes_file=codes_file)
    app = Application(id="SQ-T-2", department="civil", resource="base.population",
                      items=["id_number", "person_name"], purpose="核查", status="pending")
    with pytest.raises(SharingRefused, match="SQ-T-2 is pending"):
        publish.share_package(conn, cat, "civil", "base.population", app.items, [app], tmp_path, tmp_path, TODAY)
    publish.decide_application(app, "数据共享科", date(2027, 10, 31), TODAY)
    assert (app.approved_on, app.valid_from, app.valid_until) == (TODAY, TODAY, date(2027, 10, 31))
    pkg = publish.share_package(conn, cat, "civil", "base.population", app.items, [app], tmp_path / "s",
                                tmp_path / "f", TODAY)
    assert pkg.application == "SQ-T-2" and pkg.rows == 40


def test_a_decision_is_refused_on_bad_input():
    with pytest.raises(ValueError, match="before today"):
        publish.decide_application(_approved(status="pending"), "科", date(2026, 11, 30), TODAY)
    with pytest.raises(ValueError, match="already approved"):
        publish.decide_application(_approved(), "科", date(2027, 1, 1), TODAY)


def test_the_register_refuses_inconsistent_dates(home):
    path = publish.applications_file(home)
    path.parent.mkdir(parents=True)
    row = ("applications:\n- {id: A, department: civil, resource: base.population, status: approved, "
           "approver: X, approved_on: 2026-12-01, valid_from: %s, valid_until: %s}\n")
    path.write_text(row % ("2026-12-01", "null"))
    with pytest.raises(ValueError, match="without approver, approved_on, valid_from and valid_until"):
        publish.load_applications(home)
    path.write_text(row % ("2026-12-05", "2026-12-02"))
    with pytest.raises(ValueError, match="approved_on <= valid_from <= valid_until"):
        publish.load_applications(home)


def test_the_cli_writes_the_homes_register_never_the_template(home):
    template = publish.APPLICATIONS_TEMPLATE.read_bytes()
    assert [a.id for a in publish.load_applications(home)][:1] == ["SQ-2026-0001"]   # seeded from the template
    runner = CliRunner()
    filed = runner.invoke(catalog_app, ["apply", "--department", "hrss", "--resource", "base.population",
                                        "--items", "id_number,person_name", "--purpose", "养老资格认证"])
    assert filed.exit_code == 0, filed.output
    new = publish.load_applications(home)[-1]
    assert new.status == "pending" and new.department == "hrss"
    bad = runner.invoke(catalog_app, ["approve", new.id, "--approver", "数据共享科", "--expires", "2020-01-01"])
    assert bad.exit_code == 2 and "before today" in bad.output
    ok = runner.invoke(catalog_app, ["approve", new.id, "--approver", "数据共享科", "--expires", "2099-12-31"])
    assert ok.exit_code == 0, ok.output
    app = {a.id: a for a in publish.load_applications(home)}[new.id]
    assert app.status == "approved" and app.approved_on == app.valid_from == date.today()
    assert publish.applications_file(home).exists()
    assert publish.APPLICATIONS_TEMPLATE.read_bytes() == template        # the source tree is never written
