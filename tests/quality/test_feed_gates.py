"""The department → raw gate reports from landing what landing already checked on every row,
runs the rest with GX, and still blocks a bad delivery (through the quarantine rule)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import qfixtures as qf  # noqa: E402
from qfixtures import NIGHT, _history, _home, break_check_digit  # noqa: E402


def _landing_manifest(feed, rows: int) -> dict:  # noqa: ANN001
    from ingest.checks import row_checks

    return {"status": "landed", "rows_landed": rows, "row_checks": row_checks(feed)}


def test_rules_landing_ran_are_answered_from_landing(tmp_path, feed):
    from citylake.core.paths import Home
    from quality import suites
    from quality.feed_gates import split_by_landing

    specs = suites.feed_suite(feed, NIGHT, h=Home(tmp_path).ensure())
    run, answered = split_by_landing(feed, specs, _landing_manifest(feed, 120))
    done = {r.spec.key for r in answered}
    required = {f"required:{f.name}" for f in feed.fields if f.required}
    assert done == required | {"pk_unique:id_number", "valid:id_number"}
    assert all(r.success and r.unexpected_count == 0 and r.element_count == 120 for r in answered)
    assert all("landing" in r.spec.source and r.spec.severity == "blocking" for r in answered)
    assert not done & {s.key for s in run}                    # not scanned again
    assert {s.key for s in run} | done == {s.key for s in specs}
    assert "row_count:min" in {s.key for s in run}


@pytest.mark.parametrize("manifest", [None, {"feed_id": "psb_household", "rows_landed": 120},
                                      {"status": "unchanged", "row_checks": {"required": ["id_number"]}}])
def test_a_raw_file_landing_did_not_check_gets_every_rule(tmp_path, feed, manifest):
    from citylake.core.paths import Home
    from quality import suites
    from quality.feed_gates import split_by_landing

    specs = suites.feed_suite(feed, NIGHT, h=Home(tmp_path).ensure())
    assert split_by_landing(feed, specs, manifest) == (specs, [])


def _deliver(h, feed, rows: list[dict]) -> None:  # noqa: ANN001
    path = feed.inbox_path(h.inbox, NIGHT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([f.source for f in feed.fields])
        w.writerows([[r.get(f.name, "") for f in feed.fields] for r in rows])


def test_a_landed_delivery_with_many_bad_ids_is_still_blocked(tmp_path_factory, feed):
    """Real landing refuses 25 of 120 rows (bad check digits); the gate answers the check-digit
    rule from landing (the landed rows pass it) and blocks on the refused share."""
    from ingest.land import land_feed
    from quality import gates

    h = _home(tmp_path_factory, "landed-bad")
    _history(h, feed, 120)
    rows = qf.household_rows(120)
    for r in rows[:25]:
        r["id_number"] = break_check_digit(r["id_number"])
    _deliver(h, feed, rows)
    res = land_feed(feed, NIGHT, inbox=h.inbox, raw_root=h.raw, quarantine_root=h.quarantine)
    assert (res.rows_landed, res.rows_quarantined) == (95, 25)
    gate = gates.gate_feed(feed.id, NIGHT, h=h)
    by_key = {r.spec.key: r for r in gate.results}
    assert not gate.passed
    assert {r.spec.key for r in gate.blocking_failures} == {"quarantine:share"}
    assert by_key["valid:id_number"].success and "landing" in by_key["valid:id_number"].spec.source
    assert by_key["valid:id_number"].element_count == 95
