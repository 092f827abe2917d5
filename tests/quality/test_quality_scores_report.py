"""Scores with history, library-level gates and the department report (headless Chromium).

Masking is the exit's (tests/egress); what a report lets out is tested in test_report_egress.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from qfixtures import NIGHT

CHROMIUM = Path("/usr/bin/chromium")


def _scores(h, dataset=None, level="feed"):  # noqa: ANN001, ANN202
    from citylake.core import db

    conn = db.connect(h=h, read_only=True)
    try:
        return conn.execute(
            "select cast(run_date as varchar), dimension, score from quality.scores "
            "where level = ? and (dataset = ? or ? is null) order by 1, 2", [level, dataset, dataset]).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def scored(good_night, bad_night):
    from quality.scores import compute_scores

    for h in (good_night[0], bad_night[0]):
        compute_scores("2026-11-23", h=h)   # a night without deliveries: history + accessibility 0
        compute_scores(NIGHT, h=h)
        compute_scores(NIGHT, h=h)          # re-scoring replaces the night, never duplicates
    return good_night[0], bad_night[0]


def test_scores_have_six_dimensions_and_history(scored):
    good, bad = scored
    rows = _scores(good, "psb_household")
    nights = {r[0] for r in rows}
    assert nights == {"2026-11-23", NIGHT}
    tonight = {dim: s for d, dim, s in rows if d == NIGHT}
    assert set(tonight) == {"conformity", "completeness", "accuracy", "consistency", "timeliness",
                            "accessibility", "overall"}
    assert len(rows) == 14  # 7 per night, no duplicates after re-scoring
    earlier = {dim: s for d, dim, s in rows if d == "2026-11-23"}
    assert earlier["accessibility"] == 0 and earlier["timeliness"] == 0  # nothing delivered that night
    bad_tonight = {dim: s for d, dim, s in _scores(bad, "psb_household") if d == NIGHT}
    for dim in ("completeness", "accuracy", "timeliness", "overall"):
        assert bad_tonight[dim] < tonight[dim], dim
    assert tonight["accessibility"] == 100.0
    dept = {dim: s for d, dim, s in _scores(bad, None, "department") if d == NIGHT and dim == "overall"}
    assert dept  # department roll-ups exist


def test_library_gates_from_dbt_manifest(good_night, bad_night):
    """unique / not_null tests in dbt's manifest become blocking expectations on lake tables."""
    from citylake.core import db
    from quality import gates, suites
    from standards.libraries import handover_of

    manifest = {"nodes": {
        "model.citylake.people": {"resource_type": "model", "schema": "base", "name": "people", "alias": "people",
                                  "config": {"meta": {"quality": {"reconcile_with": "base.people_src",
                                                                  "tolerance": 0.0}}}},
        "test.citylake.unique_people_person_id": {
            "resource_type": "test", "unique_id": "test.citylake.unique_people_person_id",
            "test_metadata": {"name": "unique", "kwargs": {"column_name": "person_id"}},
            "depends_on": {"nodes": ["model.citylake.people"]}},
        "test.citylake.not_null_people_person_id": {
            "resource_type": "test", "unique_id": "test.citylake.not_null_people_person_id",
            "test_metadata": {"name": "not_null", "kwargs": {"column_name": "person_id"}},
            "depends_on": {"nodes": ["model.citylake.people"]}}}}
    specs = suites.library_suites(manifest)["base.people"]
    assert {s.key for s in specs} == {"unique:person_id", "not_null:person_id", "reconcile:base.people_src"}
    outcome = {}
    for name, (h, _, _) in {"good": good_night, "bad": bad_night}.items():
        conn = db.connect(h=h)
        people = "(values (1), (2), (3))" if name == "good" else "(values (1), (1), (null))"
        conn.execute("create schema if not exists base")
        conn.execute(f"create or replace table base.people as select * from {people} v(person_id)")
        conn.execute("create or replace table base.people_src as select * from (values (1), (2), (3)) v(x)"
                     if name == "good" else "create or replace table base.people_src as select 1 as x")
        conn.close()
        [gate] = [gates.run_gate(rel, rel, specs, handover_of(rel.split('.')[0]), NIGHT, h=h)
                  for rel, specs in suites.library_suites(manifest).items()]
        assert gate.handover == "staging_to_base"
        outcome[name] = gate
    assert outcome["good"].passed and all(r.success for r in outcome["good"].results)
    bad = {r.spec.key: r for r in outcome["bad"].results}
    assert not outcome["bad"].passed
    assert not bad["unique:person_id"].success and not bad["not_null:person_id"].success
    assert not bad["reconcile:base.people_src"].success  # 3 rows vs 1 upstream (warning)


@pytest.fixture(scope="module")
def report(scored):
    from quality import report

    _, bad = scored
    path = report.write_department_report("psb", NIGHT, h=bad)
    report.write_department_report("health", NIGHT, h=bad)
    index = report.write_index(NIGHT, h=bad)
    return bad, path, index


def test_report_is_self_contained_and_masked(report, bad_night):
    _, path, index = report
    html = path.read_text(encoding="utf-8")
    assert path == bad_night[0].reports / NIGHT / "psb.html"
    # offline: no script, no stylesheet or image from a URL (the SVG namespace is not a fetch)
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    # personal data masked
    for row in bad_night[1][:20]:
        for col in ("id_number", "phone", "person_name"):
            assert not row[col].strip() or row[col] not in html, (col, row[col])
    assert re.search(r"510603\*{8}\d{3}[0-9X]", html)
    assert "<svg" in html and "polyline" in html
    assert 'href="psb.html"' in index.read_text(encoding="utf-8")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                    "the project's setup installs it: apt-get install -y chromium")
def test_report_renders_offline_in_headless_chromium(report, tmp_path):
    _, path, _ = report
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    for visible in ("德阳市公安局 数据质量报告", "Data quality report", "六维质量评分", "Failing checks",
                    "阻断", "主键 id_number 唯一", "Rows quarantined at landing", "出生日期无法识别",
                    "整改建议", "What to fix", "blocked"):
        assert visible in dom, visible
    shot = tmp_path / "report.png"
    subprocess.run([str(CHROMIUM), *flags, "--hide-scrollbars", "--window-size=1200,1900",
                    f"--screenshot={shot}", path.as_uri()], capture_output=True, timeout=60, check=True)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_cli_report(report, monkeypatch):
    from typer.testing import CliRunner

    from citylake.cli.main import app

    h, _, _ = report
    monkeypatch.setenv("CITYLAKE_HOME", str(h.root))
    out = CliRunner().invoke(app, ["quality", "report", "--department", "psb", "--date", NIGHT])
    assert out.exit_code == 0, out.output
    assert "psb.html" in out.output
    out = CliRunner().invoke(app, ["quality", "report", "--department", "nope", "--date", NIGHT])
    assert out.exit_code != 0


def test_data_docs_are_offline(bad_night):
    from quality import datadocs

    h, _, gate = bad_night
    assert datadocs.build(h) == Path(gate.data_docs)  # built once per night, where the gate points
    assert f"{gate.dataset}" in Path(gate.data_docs).read_text(encoding="utf-8")
    site = Path(gate.data_docs).parent
    pages = list(site.rglob("*.html"))
    assert pages
    for p in pages:
        assert not re.search(r"""<(script|link)\b[^>]*(src|href)=["']https?://""", p.read_text(encoding="utf-8"))


