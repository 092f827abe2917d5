"""The exchange log: every call, refused ones too, hash-chained; `citylake service log verify` finds tampering."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
import sqlalchemy as sa
import svcfixtures as sf

from service.metadb import exchange_log, open_engine
from service.settings import Settings

LE = "102001001-000001"

pytestmark = pytest.mark.slow   # the real server on a loopback port


def _rows(h):
    with open_engine(Settings.from_home(h).db_url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(exchange_log).order_by(exchange_log.c.seq))]


def test_calls_and_refusals_are_logged_with_what_was_read(server, auth_a, app_a, lake_home):
    ok = sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"select": "uscc", "limit": "7"}, headers=auth_a)
    refused = sf.get(f"{server.url}/v1/datasets/{LE}/records", params={"select": "legal_rep_name"}, headers=auth_a)
    assert (ok.status_code, refused.status_code) == (200, 403)
    rows = _rows(lake_home)
    read, denied = rows[-2], rows[-1]
    assert read["client_id"] == app_a["client_id"] and read["department"] == "civil" and read["jti"]
    assert (read["dataset"], read["columns"], read["rows"], read["status"]) == ("102001001/000001", "uscc", 7, 200)
    assert read["snapshot_id"] == ok.json()["snapshot_id"] and read["bytes"] == len(ok.content)
    assert read["latency_ms"] > 0
    assert denied["status"] == 403 and denied["dataset"] == "102001001/000001" and "not granted" in denied["detail"]
    assert denied["rows"] is None


def _copy_db(lake_home, tmp_path):
    src = Settings.from_home(lake_home).db_url.removeprefix("sqlite:///")
    dst = tmp_path / "service.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:   # a consistent copy while the server writes
        a.backup(b)
    return dst


def _verify(lake_home, db):
    """`citylake service log verify` on the log copy `db`."""
    return subprocess.run([str(sf.CITYLAKE), "service", "log", "verify"], capture_output=True, text=True,
                          env={**sf.env(lake_home), "CITYLAKE_SERVICE_DB": f"sqlite:///{db}"}, timeout=120)


def test_log_verify_detects_an_edited_row(server, auth_a, lake_home, tmp_path):
    sf.get(f"{server.url}/v1/catalog", headers=auth_a)
    db = _copy_db(lake_home, tmp_path)
    good = _verify(lake_home, db)
    assert good.returncode == 0 and "intact" in good.stdout, good.stdout + good.stderr
    with sqlite3.connect(db) as conn:    # someone hides that an app read 7 rows
        seq = conn.execute("select min(seq) from exchange_log where rows = 7").fetchone()[0]
        conn.execute("update exchange_log set rows = 0 where seq = ?", (seq,))
    bad = _verify(lake_home, db)
    assert bad.returncode == 1 and f"row {seq}: content does not match" in bad.stdout, bad.stdout


def test_log_verify_detects_a_deleted_row(server, auth_a, lake_home, tmp_path):
    sf.get(f"{server.url}/v1/catalog", headers=auth_a)
    db = _copy_db(lake_home, tmp_path)
    with sqlite3.connect(db) as conn:
        seq = conn.execute("select min(seq) + 1 from exchange_log").fetchone()[0]
        conn.execute("delete from exchange_log where seq = ?", (seq,))
    bad = _verify(lake_home, db)
    assert bad.returncode == 1 and f"row {seq + 1}: link to the previous row broken" in bad.stdout, bad.stdout


def test_log_verify_detects_a_cut_off_tail_past_an_anchor(server, auth_a, lake_home, tmp_path):
    """The chain cannot see its newest rows removed; the anchor written outside the database can."""
    import json

    from service import log
    from service.metadb import open_engine

    for _ in range(2):
        sf.get(f"{server.url}/v1/catalog", headers=auth_a)
    line = json.loads(sf.cli(lake_home, "service", "log", "anchor", "--json").stdout)
    assert line == log.anchors(log.anchors_file(lake_home))[-1] and len(line["row_hash"]) == 64
    db = _copy_db(lake_home, tmp_path)
    good = _verify(lake_home, db)
    assert good.returncode == 0 and "anchor(s) found in it" in good.stdout, good.stdout + good.stderr
    with sqlite3.connect(db) as conn:    # someone removes the newest calls, anchored one included
        conn.execute("delete from exchange_log where seq >= ?", (line["seq"] - 1,))
    engine = open_engine(f"sqlite:///{db}")
    assert log.verify(engine)[1] == []                                   # the chain alone is still intact
    engine.dispose()
    bad = _verify(lake_home, db)
    assert bad.returncode == 1 and f"row {line['seq']}, anchored at" in bad.stdout, bad.stdout


def test_log_verify_and_show_on_the_live_log(server, lake_home):
    out = sf.cli(lake_home, "service", "log", "verify", check=False)
    assert out.returncode == 0 and "hash chain verified" in out.stdout, out.stdout
    shown = sf.cli(lake_home, "service", "log", "show", "--limit", "3").stdout
    assert "/v1/" in shown


def test_concurrent_calls_keep_one_chain(server, auth_a, lake_home):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: sf.get(f"{server.url}/v1/health").status_code, range(40)))
    assert codes == [200] * 40
    rows = _rows(lake_home)
    assert all(b["prev_hash"] == a["row_hash"] for a, b in zip(rows, rows[1:], strict=False))



def test_two_workers_keep_one_chain(lake_home, auth_a):
    from concurrent.futures import ThreadPoolExecutor

    srv = sf.Server(lake_home, "--workers", "2")
    try:
        url = f"{srv.url}/v1/datasets/102001001-000001/records"
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: sf.get(url, params={"limit": "3"}, headers=auth_a).status_code,
                                  range(40)))
    finally:
        srv.stop()
    assert codes == [200] * 40
    out = sf.cli(lake_home, "service", "log", "verify", check=False)
    assert out.returncode == 0 and "hash chain verified" in out.stdout, out.stdout
