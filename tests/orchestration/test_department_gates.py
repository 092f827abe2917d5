"""One gate task per department (citylake.orchestration.pipeline.gate_feeds): every feed of the
department that landed tonight is gated, each decided on its own, as if it were gated alone; a
blocked feed is named and makes only itself unusable; a feed that did not land is not gated."""

from __future__ import annotations

import polars as pl
import pytest

from citylake.core import state
from citylake.core.paths import Home
from citylake.orchestration import night_plan, pipeline
from ingest import registry
from ingest.errors import DeliveryMissing
from tests.e2e.conftest import NIGHT_1, generate

PSB = ["psb_household", "psb_house_numbers"]


@pytest.fixture
def delivered(tmp_path) -> Home:
    h = Home(tmp_path / "home").ensure()
    generate(h, NIGHT_1)
    return h


def _break_half_the_ids(h: Home) -> None:
    """Half of the household register's ID numbers get a wrong check digit: landing refuses those
    rows to quarantine, and the gate blocks on the refused share (above 5 %)."""
    path = registry.feed("psb_household").inbox_path(h.inbox, NIGHT_1)
    df = pl.read_csv(path, infer_schema=False, encoding="gbk")
    ids = df["公民身份号码"].to_list()
    bad = [i[:-1] + ("0" if i[-1] != "0" else "1") if n % 2 == 0 else i for n, i in enumerate(ids)]
    df = df.with_columns(pl.Series("公民身份号码", bad))
    path.write_bytes(df.write_csv().encode("gbk"))


def _gate_runs(h: Home) -> int:
    from citylake.core import db

    conn = db.connect(read_only=True, h=h)
    try:
        return conn.execute("select count(*) from quality.gate_runs").fetchone()[0]
    finally:
        conn.close()


def test_a_department_gate_decides_each_feed_on_its_own(delivered):
    h = delivered
    _break_half_the_ids(h)
    for feed_id in PSB:
        pipeline.land(feed_id, NIGHT_1, h=h)
    with pytest.raises(pipeline.DataContractError) as refused:
        pipeline.gate_feeds(PSB, NIGHT_1, h=h)
    assert "psb_household" in str(refused.value) and "psb_house_numbers" not in str(refused.value)
    gates = state.read_all(NIGHT_1, "gate", h=h)
    assert {f: gates[f]["passed"] for f in PSB} == {"psb_household": False, "psb_house_numbers": True}
    assert set(night_plan.unusable_feeds(NIGHT_1, h)) == {"psb_household"}, "only the blocked feed is unusable"
    assert _gate_runs(h) == 2, "both outcomes are recorded"

    # the same verdicts as gating each feed alone
    from quality.gates import gate_feed
    assert [gate_feed(f, NIGHT_1, h=h).passed for f in PSB] == [False, True]


def test_a_feed_that_did_not_land_is_not_gated(delivered):
    h = delivered
    registry.feed("psb_house_numbers").inbox_path(h.inbox, NIGHT_1).unlink()
    pipeline.land("psb_household", NIGHT_1, h=h)
    with pytest.raises(DeliveryMissing):
        pipeline.land("psb_house_numbers", NIGHT_1, h=h)
    out = pipeline.gate_feeds(PSB, NIGHT_1, h=h)
    assert list(out) == ["psb_household"] and out["psb_household"]["passed"]
    assert "psb_house_numbers" not in state.read_all(NIGHT_1, "gate", h=h)

    with pytest.raises(DeliveryMissing, match="nothing landed tonight"):
        pipeline.gate_feeds(["psb_house_numbers"], NIGHT_1, h=h)
