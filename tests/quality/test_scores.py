"""How one check counts in a dimension's score (docs/quality.md, "Scores").

A row-level check contributes the share of rows that pass it; a table-level check (the
delivery deadline, freshness, the quarantine share, row counts, reconciliation) judges the
table as a whole and counts 1 or 0, whatever the number of rows.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import qfixtures as qf
from qfixtures import NIGHT, _history, _home


def test_a_late_delivery_scores_zero_timeliness_however_many_rows(tmp_path_factory, feed):
    """120 clean rows delivered two days late: delivery:on_time failed, so timeliness is 0 (not 99.17)."""
    from citylake.core import db
    from quality import gates
    from quality.scores import compute_scores

    h = _home(tmp_path_factory, "late")
    _history(h, feed, 120)
    qf.land(h, feed, NIGHT, qf.household_rows(120), landed_at=datetime(2026, 11, 27, 9, 0))
    gate = gates.gate_feed(feed.id, NIGHT, h=h)
    assert [r.spec.key for r in gate.warnings] == ["delivery:on_time"]
    scores = {s.dimension: s for s in compute_scores(NIGHT, h=h) if s.level == "feed" and s.dataset == feed.id}
    assert scores["timeliness"].score == 0.0 and scores["timeliness"].failed_checks == 1
    assert scores["completeness"].score == 100.0
    conn = db.connect(h=h, read_only=True)
    try:
        stored = conn.execute("select score from quality.scores where dataset = ? and dimension = 'timeliness'",
                              [feed.id]).fetchone()[0]
    finally:
        conn.close()
    assert stored == 0.0


@pytest.mark.parametrize(("key", "success", "unexpected", "rows", "want"), [
    ("delivery:on_time", False, 1, 120, 0.0),        # table-level: 1 or 0, not 1 - 1/120
    ("fresh:reported_at", False, 1, 5000, 0.0),
    ("quarantine:share", False, 3, 200, 0.0),
    ("reconcile:base.people_src", False, 1, 10, 0.0),
    ("row_count:min", False, None, 12, 0.0),
    ("delivery:on_time", True, 0, 120, 1.0),
    ("valid:id_number", False, 2, 120, 1 - 2 / 120),  # row-level: the share of rows that pass
    ("required:person_name", False, 30, 20, 0.0),     # never below 0
    ("format:phone", True, 0, 120, 1.0),
])
def test_check_score_row_level_by_rows_table_level_one_or_zero(key, success, unexpected, rows, want):
    from quality.scores import check_score

    assert check_score(key, success, unexpected, rows, error=None) == pytest.approx(want)


def test_an_errored_check_scores_zero():
    from quality.scores import check_score

    assert check_score("valid:id_number", False, None, 120, error="Binder Error: no such column") == 0.0


def test_every_rule_family_the_suites_generate_is_classified(good_night, feed):
    """A new rule family must be placed on purpose: table-level (1 or 0) or row-level (by rows)."""
    from ingest import registry
    from quality import suites
    from quality.scores import TABLE_LEVEL

    row_level = {"format", "codeset", "valid", "required", "pk_unique", "crosscheck", "unique", "not_null"}
    h = good_night[0]
    keys = {s.key for f in registry.load().values() for s in suites.feed_suite(f, NIGHT, h=h)}
    keys |= {s.key for specs in suites.library_suites(_MANIFEST).values() for s in specs}
    families = {k.split(":", 1)[0] for k in keys}
    assert families <= TABLE_LEVEL | row_level, families - TABLE_LEVEL - row_level
    assert {"delivery", "fresh", "row_count", "reconcile", "valid", "required"} <= families   # enumeration is real


_MANIFEST = {"nodes": {
    "model.citylake.people": {"resource_type": "model", "schema": "base", "name": "people", "alias": "people",
                              "config": {"meta": {"quality": {"reconcile_with": "base.people_src"}}}},
    "test.citylake.unique_people_id": {
        "resource_type": "test", "unique_id": "test.citylake.unique_people_id",
        "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
        "depends_on": {"nodes": ["model.citylake.people"]}},
    "test.citylake.not_null_people_id": {
        "resource_type": "test", "unique_id": "test.citylake.not_null_people_id",
        "test_metadata": {"name": "not_null", "kwargs": {"column_name": "id"}},
        "depends_on": {"nodes": ["model.citylake.people"]}}}}
