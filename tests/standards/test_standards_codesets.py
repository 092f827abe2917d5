"""Code sets: data files with their source standard, generated sets reproducible, loadable into DuckDB."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from citylake.core.paths import SHARED_REFERENCE
from ingest import registry as feeds
from standards import build_codesets, codesets


def test_index_matches_files():
    files = {p.stem for p in codesets.CODESETS_DIR.glob("*.csv")}
    assert files == set(codesets.index())
    for name, meta in codesets.index().items():
        assert meta["standard"] and meta["version"], name
        rows = codesets.codeset(name)
        assert rows, name
        assert {"code", "name_zh"} <= set(rows[0]), name
        assert len({r["code"] for r in rows}) == len(rows), f"duplicate codes in {name}"


def test_national_code_sets():
    assert [r["code"] for r in codesets.codeset("sex")] == ["0", "1", "2", "9"]
    assert [r["code"] for r in codesets.codeset("ethnic")] == [f"{i:02d}" for i in range(1, 57)]
    sections = codesets.codes("industry_section")
    assert sorted(sections) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    divisions = codesets.codeset("industry")
    assert [r["code"] for r in divisions] == [f"{i:02d}" for i in range(1, 98)]
    assert all(r["section"] in sections and r["name_en"] for r in divisions)
    assert {r["section"] for r in divisions} == sections
    assert codesets.codes("marital_status") == {"10", "20", "21", "22", "23", "30", "40", "90"}
    assert {"10", "20", "30", "60", "70", "80", "90"} <= codesets.codes("education")
    assert codesets.label("sharing_type", "conditional") == "有条件共享"
    assert codesets.label("open_type", "not_open") == "不予开放"


def test_feed_update_cycles_are_codes():
    cycles = codesets.codes("update_cycle")
    assert {"realtime", "hourly", "daily", "weekly", "monthly", "termly", "quarterly", "yearly"} == cycles
    for f in feeds.load().values():
        assert f.update_cycle in cycles, f.id


def test_admin_divisions():
    rows = codesets.codeset("admin_divisions")
    by_level: dict[str, list] = {}
    for r in rows:
        by_level.setdefault(r["level"], []).append(r)
    assert len(by_level["county"]) == 2978
    assert len(by_level["province"]) == 31
    assert len(by_level["township"]) == 84
    assert all(r["code"].startswith("5106") and len(r["code"]) == 9 for r in by_level["township"])
    deyang = {r["code"] for r in by_level["county"] if r["code"].startswith("5106")}
    assert deyang == {"510603", "510604", "510623", "510681", "510682", "510683"}


def test_ric_divisions_keep_historical_codes():
    ric = codesets.codes("ric_divisions")
    assert "412723" in ric           # Zhoukou county code, abolished in 2000
    assert "510624" in ric           # 广汉县 before it became a city (1988)
    counties = {r["code"] for r in codesets.codeset("admin_divisions") if r["level"] == "county"}
    assert counties <= ric


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not (SHARED_REFERENCE / "admin_divisions").is_dir(),
                    reason="the NBS reference (../shared/reference) is only needed to rebuild the committed code sets")
def test_generated_code_sets_are_reproducible():
    admin = build_codesets.admin_division_rows()
    assert admin == _read(codesets.path("admin_divisions"))
    assert build_codesets.ric_division_rows(admin) == _read(codesets.path("ric_divisions"))


def test_load_into_duckdb():
    c = duckdb.connect()
    tables = codesets.load_into(c, schema="ref")
    assert "ref.codeset_ethnic" in tables
    assert c.execute("SELECT name_zh FROM ref.codeset_ethnic WHERE code = '01'").fetchone() == ("汉族",)
    assert c.execute("SELECT count(*) FROM ref.codeset_admin_divisions WHERE level = 'county'").fetchone() == (2978,)
    n = c.execute("SELECT count(*) FROM ref.codeset_index").fetchone()[0]
    assert n == len(codesets.names())
    codesets.load_into(c, schema="ref", only=["sex"])  # idempotent (CREATE OR REPLACE)
