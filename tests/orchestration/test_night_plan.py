"""The one blocking rule of the night (citylake.orchestration.night_plan.decide), case by case."""

from __future__ import annotations

import pytest

from citylake.orchestration.night_plan import NightPlan, Reason, Verdict, decide

LANDED = {"status": "landed", "message": ""}
MISSING = {"status": "missing", "message": "no delivery in the inbox"}
FAILED = {"status": "failed", "message": "wrong encoding"}


def _decide(landings=None, gates=None, libraries=None, landed_before=()):  # noqa: ANN001, ANN202
    return decide(landings or {}, gates or {}, libraries or {}, lambda f: f in landed_before)


def test_a_good_night_excludes_nothing():
    feeds, libs = _decide({"a": LANDED, "b": LANDED}, {"a": {"passed": True}})
    assert feeds == {} and libs == {}


def test_a_late_feed_with_earlier_landings_is_rebuilt_from_its_last_landing():
    feeds, _ = _decide({"late": MISSING}, landed_before={"late"})
    assert feeds == {}


def test_a_late_feed_that_never_landed_is_excluded():
    feeds, _ = _decide({"late": MISSING})
    assert feeds == {"late": Verdict(Reason.NEVER_LANDED, MISSING["message"])}


@pytest.mark.parametrize("landed_before", [(), ("bad",)])
def test_a_refused_delivery_is_excluded_even_with_earlier_landings(landed_before):
    feeds, _ = _decide({"bad": FAILED}, landed_before=landed_before)
    assert feeds["bad"].reason is Reason.LANDING_FAILED and "wrong encoding" in str(feeds["bad"])


def test_a_blocking_gate_excludes_the_feed_and_landing_reason_wins():
    feeds, _ = _decide({"g": LANDED, "f": FAILED},
                       {"g": {"passed": False, "failed": ["pk_unique:id"]}, "f": {"passed": False}})
    assert feeds["g"] == Verdict(Reason.GATE_BLOCKED, "['pk_unique:id']")
    assert feeds["f"].reason is Reason.LANDING_FAILED


def test_a_blocked_library_is_excluded_with_its_downstream():
    feeds, libs = _decide(libraries={"population": {"passed": False, "layer": "base"},
                                     "transport": {"passed": True, "layer": "theme"}})
    plan = NightPlan("2026-11-25", "theme", feeds, libs)
    assert plan.dbt_exclude() == ["marts.base.population+", "marts.base.population__*+",
                                  "marts.base.population_history+"]
    assert plan.as_state()["blocked_libraries"] == ["population"]


def test_the_plan_excludes_every_consumer_of_an_unusable_feed():
    feeds, _ = _decide({"a": FAILED, "b": MISSING, "c": MISSING}, landed_before={"c"})
    plan = NightPlan("2026-11-25", "base", feeds, {})
    assert plan.dbt_exclude() == ["source:raw.a+", "source:raw.b+"]
    assert plan.as_state()["reasons"] == {"a": "landing_failed", "b": "never_landed"}
