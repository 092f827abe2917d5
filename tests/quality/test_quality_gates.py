"""Quality gates: every blocking rule kind fails on bad data and passes on good data."""

from __future__ import annotations

import re

import pytest
from qfixtures import NIGHT, _history, _home

BLOCKING_KINDS = {"pk_unique:id_number", "required:person_name", "valid:id_number", "row_count:min"}


def _by_key(gate):  # noqa: ANN001, ANN202
    return {r.spec.key: r for r in gate.results}


def test_good_night_passes_every_blocking_rule(good_night):
    _, _, gate = good_night
    res = _by_key(gate)
    assert gate.passed, gate.summary()
    assert BLOCKING_KINDS <= res.keys()
    assert all(r.success for r in res.values() if r.spec.severity == "blocking")
    # the ID check digit rule tolerates 1 %: one invalid of 120 is counted but does not block
    assert res["valid:id_number"].unexpected_count == 1 and res["valid:id_number"].success
    assert all(r.error is None for r in gate.results), [r.error for r in gate.results if r.error]


def test_bad_night_fails_every_blocking_rule_kind(bad_night):
    _, _, gate = bad_night
    res = _by_key(gate)
    assert not gate.passed
    assert BLOCKING_KINDS <= {r.spec.key for r in gate.blocking_failures}
    assert res["pk_unique:id_number"].unexpected_count == 2
    assert res["required:person_name"].unexpected_count == 1
    assert res["valid:id_number"].unexpected_count == 2
    assert res["row_count:min"].observed_value == 30
    # warnings report but do not block
    warned = {r.spec.key for r in gate.warnings}
    assert {"codeset:sex_code", "delivery:on_time", "crosscheck:id_number"} <= warned
    assert all(r.error is None for r in gate.results), [r.error for r in gate.results if r.error]


def test_samples_are_masked(bad_night):
    _, rows, gate = bad_night
    res = _by_key(gate)
    sample = res["pk_unique:id_number"].sample
    assert sample and all(re.fullmatch(r"\d{6}\*{8}[0-9X]{4}", s) for s in sample), sample
    assert rows[4]["id_number"] not in str([r.sample for r in gate.results])
    assert res["codeset:sex_code"].sample == ["7"]  # not personal: shown as is


def test_results_land_in_the_lake(bad_night):
    from citylake.core import db

    h, _, gate = bad_night
    conn = db.connect(h=h, read_only=True)
    try:
        runs = conn.execute("select passed, expectations, blocking_failed, row_count from quality.gate_runs "
                            "where run_id = ?", [gate.run_id]).fetchall()
        sev = dict(conn.execute("select severity, count(*) from quality.gate_results where run_id = ? "
                                "and not success group by all", [gate.run_id]).fetchall())
    finally:
        conn.close()
    assert runs == [(False, len(gate.results), len(gate.blocking_failures), 30)]
    assert sev["blocking"] == len(gate.blocking_failures) and sev["warning"] == len(gate.warnings)


def test_blocked_feed_is_excluded_downstream(good_night, bad_night):
    """The night's plan (citylake.orchestration.night_plan) reads the gate state the real gate wrote."""
    import json

    from citylake.orchestration.night_plan import Reason, plan_night

    bad = plan_night(NIGHT, "base", bad_night[0], snapshot_before=None)
    assert {f: v.reason for f, v in bad.unusable_feeds.items()} == {"psb_household": Reason.GATE_BLOCKED}
    assert bad.dbt_exclude() == ["source:raw.psb_household+"]
    assert plan_night(NIGHT, "base", good_night[0], snapshot_before=None).dbt_exclude() == []
    written = json.loads((bad_night[0].state / NIGHT / "plan__base.json").read_text(encoding="utf-8"))
    assert written["exclude"] == ["source:raw.psb_household+"]
    assert written["reasons"] == {"psb_household": "gate_blocked"}


def test_missing_delivery_fails_the_gate(tmp_path, feed):
    """No landed file: the expectations cannot read it, so the gate does not pass."""
    from citylake.core.paths import Home
    from quality import gates, suites

    h = Home(tmp_path).ensure()
    spec = [s for s in suites.feed_suite(feed, NIGHT, h=h) if s.key == "row_count:min"]
    gate = gates.run_gate(feed.id, gates.raw_relation_sql(feed, NIGHT, h.raw), spec, "department_to_raw",
                          NIGHT, h=h, lake=False, record=False)
    assert not gate.passed and gate.results[0].error


def test_spec_validation():
    from quality.gates import ExpectationSpec

    with pytest.raises(ValueError):
        ExpectationSpec("ExpectColumnValuesToNotBeNull", {"column": "x"}, "fatal", "accuracy", "", "", "")
    with pytest.raises(ValueError):
        ExpectationSpec("ExpectColumnValuesToNotBeNull", {"column": "x"}, "warning", "beauty", "", "", "")


@pytest.mark.parametrize(("refused", "blocks"), [(25, True), (4, False)])
def test_a_delivery_mostly_refused_at_landing_is_blocked(tmp_path_factory, feed, refused, blocks):
    """The landed rows are clean by construction; the rows landing refused count against the
    delivery: 25 of 125 (20 %) block, 4 of 104 (below 5 % and 20 rows) only show in the report."""
    import qfixtures as qf

    from quality import gates

    h = _home(tmp_path_factory, f"refused{refused}")
    _history(h, feed, 100)
    qf.land(h, feed, NIGHT, qf.household_rows(100))
    qf.quarantine(h, feed, NIGHT, [(200 + i, "id_number", "invalid_check_digit", "校验位错误 bad check digit")
                                   for i in range(refused)])
    gate = gates.gate_feed(feed.id, NIGHT, h=h)
    res = _by_key(gate)["quarantine:share"]
    assert res.spec.severity == "blocking" and res.error is None
    assert res.success is not blocks
    assert gate.passed is not blocks
    if blocks:
        assert {r.spec.key for r in gate.blocking_failures} == {"quarantine:share"}


def test_a_watermark_feed_s_rows_re_read_every_night_count_once(tmp_path_factory):
    """A watermark feed reads its rows without a watermark again each night and quarantines them again: on the
    next night, those refused before with the same content do not count against the small increment; new ones
    do. A snapshot feed's refused rows always count (its rows are delivered anew)."""
    import json

    import qfixtures as qf

    from ingest import registry
    from quality import gates

    wm = registry.feed("hrss_insurance")
    assert wm.delivery == "watermark"
    h = _home(tmp_path_factory, "carried")
    before = "2026-11-23"                                                 # the night before NIGHT
    unplaced = [json.dumps({"insurance_id": f"I{i}", "updated_at": None}) for i in range(30)]
    item = (0, "updated_at", "missing_required", "watermark updated_at is empty")
    qf.quarantine(h, wm, before, [item] * 30, unplaced)
    qf.land(h, wm, NIGHT, [{"insurance_id": f"N{i}"} for i in range(500)])
    qf.quarantine(h, wm, NIGHT, [item] * 30, unplaced)                     # the same 30 rows, read again
    assert _by_key(gates.gate_feed(wm.id, NIGHT, h=h))["quarantine:share"].success
    fresh = [json.dumps({"insurance_id": f"B{i}", "updated_at": None}) for i in range(30)]
    qf.quarantine(h, wm, NIGHT, [item] * 60, unplaced + fresh)             # 30 more, new tonight: 30 of 530
    res = _by_key(gates.gate_feed(wm.id, NIGHT, h=h))["quarantine:share"]
    assert not res.success and res.spec.severity == "blocking"


def test_gates_run_together_are_judged_one_by_one_and_recorded_in_one_commit(tmp_path_factory):
    """`run_gates` validates several lake tables through one connection: each table keeps its own
    outcome (equal to running it alone) and all outcomes land in one DuckLake snapshot."""
    from citylake.core import db
    from quality.checkpoint import GateRequest, run_gate, run_gates
    from quality.specs import ExpectationSpec

    h = _home(tmp_path_factory, "together")
    conn = db.connect(h=h)
    conn.execute("create schema base; create table base.good as select range id from range(10); "
                 "create table base.bad as select range % 5 id from range(10)")
    conn.close()
    spec = ExpectationSpec("ExpectColumnValuesToBeUnique", {"column": "id"}, "blocking", "accuracy",
                           "id is unique", "id 唯一", "test")

    def snapshots() -> int:
        c = db.connect(h=h, read_only=True)
        try:
            return c.execute("select count(*) from ducklake_snapshots('lake')").fetchone()[0]
        finally:
            c.close()

    alone = [run_gate(rel, rel, [spec], "base_to_theme", NIGHT, h=h) for rel in ("base.good", "base.bad")]
    before = snapshots()
    together = run_gates([GateRequest(rel, rel, [spec]) for rel in ("base.good", "base.bad")], "base_to_theme",
                         NIGHT, h=h)
    assert snapshots() == before + 1
    assert [g.passed for g in together] == [g.passed for g in alone] == [True, False]
    assert [g.results[0].unexpected_count for g in together] == [g.results[0].unexpected_count for g in alone] == [0, 10]
    # an asset lives only for its checkpoint: GX's project file does not grow with every gate of every night
    assert "type: query" not in (h.gx / "gx" / "great_expectations.yml").read_text()
