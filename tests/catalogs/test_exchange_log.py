from __future__ import annotations

import json

import pytest

from catalogs import exchange_log
from citylake.core.paths import Home


def test_make_row_reads_landing_and_gate_details():
    land = exchange_log.make_row("landing", "psb_household", "2026-11-24",
                                 {"status": "landed", "rows_landed": 120, "delivery_sha256": "ab" * 32})
    assert (land["who"], land["rows"], land["content_hash"], land["gate_result"]) == ("psb", 120, "ab" * 32, "n/a")
    gate = exchange_log.make_row("gate", "psb_household", "2026-11-24", {"passed": False, "failed": ["x"]})
    assert gate["gate_result"] == "blocked" and len(gate["content_hash"]) == 64
    assert exchange_log.make_row("gate", "x", "2026-11-24", {"passed": True, "warnings": 2})["gate_result"] == "warn"
    assert json.loads(gate["detail"]) == {"passed": False, "failed": ["x"]}


def test_record_writes_to_the_lake_and_spools_when_the_lake_is_busy(tmp_path, monkeypatch):
    h = Home(tmp_path / "home").ensure()
    import citylake.core.db

    real = citylake.core.db.connect

    def busy(**kw):
        raise RuntimeError("lake busy")

    monkeypatch.setattr(exchange_log, "RETRIES", 1)
    monkeypatch.setattr(citylake.core.db, "connect", busy)
    spooled = exchange_log.record("landing", "psb_household", "2026-11-24", {"rows_landed": 5}, h=h)
    assert "spooled" in spooled and (h.state / "2026-11-24" / "exchange_log.pending.jsonl").exists()
    monkeypatch.setattr(citylake.core.db, "connect", real)
    exchange_log.record("gate", "psb_household", "2026-11-24", {"passed": True}, h=h)
    assert not (h.state / "2026-11-24" / "exchange_log.pending.jsonl").exists()
    conn = real(h=h, read_only=True)
    try:
        rows = conn.execute("select kind, dataset, who, rows, gate_result from catalog.exchange_log "
                            "order by kind").fetchall()
        assert rows == [("gate", "psb_household", "psb", None, "pass"), ("landing", "psb_household", "psb", 5, "n/a")]
        assert exchange_log.summary("2026-11-24", h=h, conn=conn) == {
            "gate": {"exchanges": 1, "rows": 0, "refused_or_failed": 0},
            "landing": {"exchanges": 1, "rows": 5, "refused_or_failed": 0}}
        assert exchange_log.summary("2026-11-25", h=h, conn=conn) == {}
    finally:
        conn.close()


@pytest.mark.parametrize("detail", [{"status": "failed"}, {"status": "missing"}])
def test_failed_landings_are_logged_as_failed(detail):
    assert exchange_log.make_row("landing", "psb_household", "2026-11-24", detail)["gate_result"] == "failed"
