"""Failure isolation: one department's delivery is broken and another's is blocked by a gate;
their tasks fail, the rest of the night succeeds, and the libraries that need them keep their
last good snapshot (issue 2's gate test and issue 7's isolation test, on the real DAGs)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from citylake.core import db
from ingest import registry
from tests.e2e.conftest import NIGHT_2, citylake, generate, lake_counts

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]


def table_digest(h, table: str) -> str:
    conn = db.connect(read_only=True, h=h)
    try:
        return conn.execute(f"select md5(string_agg(t::varchar, '|' order by t::varchar)) from {table} t").fetchone()[0]
    finally:
        conn.close()


def test_a_broken_feed_only_stops_its_consumers(night_copy):
    h = night_copy
    before = lake_counts(h)
    population = table_digest(h, "base.population")
    legal_entity = table_digest(h, "base.legal_entity")
    generate(h, NIGHT_2)

    # 1. psb_household arrives in an encoding nobody declared: the delivery is unreadable
    household = registry.feed("psb_household").inbox_path(h.inbox, NIGHT_2)
    text = household.read_bytes().decode("gbk")
    household.write_bytes(text.encode("utf-16"))
    # 2. samr_entities arrives readable but with almost every row gone: the row-count gate blocks it
    entities = registry.feed("samr_entities").inbox_path(h.inbox, NIGHT_2)
    df = pl.read_csv(entities, infer_schema=False, encoding="utf8")
    df.head(3).write_csv(entities, include_bom=True)

    proc = citylake(h, "nightly", "--date", NIGHT_2, check=False)
    assert proc.returncode != 0, "a failed delivery makes the night's run red"
    summary = " ".join(proc.stdout.split())  # the table may wrap lines
    assert "failed tasks" in summary and "ingest_psb.land[" in summary and "ingest_samr.gate" in summary, \
        "the summary names the red tasks (a landing by its feed's map index, the department's gate)"

    states = {p.stem.split("__", 1)[1]: json.loads(p.read_text()) for p in (h.state / NIGHT_2).glob("landing__*.json")}
    assert states["psb_household"]["status"] == "failed"
    assert "household" in states["psb_household"]["message"], "the message names the file"
    gate = json.loads((h.state / NIGHT_2 / "gate__samr_entities.json").read_text())
    assert gate["passed"] is False
    landed_ok = [f for f, s in states.items() if s["status"] in ("landed", "replaced", "unchanged")]
    assert len(landed_ok) >= len(registry.load()) - 5, "the other departments' feeds landed"

    # the consumers of the broken feeds keep the last good snapshot ...
    assert table_digest(h, "base.population") == population
    assert table_digest(h, "base.legal_entity") == legal_entity
    # ... while libraries fed by other departments moved on to the new night
    after = lake_counts(h)
    assert after["theme.city_events"] > before["theme.city_events"]
    plan = json.loads((h.state / NIGHT_2 / "plan__base.json").read_text())
    assert "source:raw.psb_household+" in plan["exclude"] and "source:raw.samr_entities+" in plan["exclude"]
