"""一数一源 lineage: a really compiled fixture dbt project with one good and one violating base model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from standards import lineage
from standards.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "lineage_project"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("lineage")
    project = work / "project"
    shutil.copytree(FIXTURE, project)
    env = os.environ | {"LINEAGE_FIXTURE_DB": str(work / "fixture.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "compile", "--project-dir", str(project), "--profiles-dir", str(project),
                    "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
                   check=True, env=env, capture_output=True, timeout=300)
    return work / "target" / "manifest.json"


def _rows(manifest: Path) -> dict[tuple[str, str], lineage.LineageRow]:
    return {(r.model, r.column): r for r in lineage.check_manifest(manifest)}


def test_good_model_traces_to_authoritative_sources(manifest):
    rows = _rows(manifest)
    assert rows[("population_good", "person_name")].ok
    assert rows[("population_good", "person_name")].sources == ["psb_household.person_name"]
    assert rows[("population_good", "death_date")].sources == ["health_deaths.death_date"]
    assert rows[("population_good", "death_date")].ok
    assert rows[("population_good", "deceased")].element is None   # not an element: reported, not judged
    assert all(r.ok for (m, _), r in rows.items() if m == "population_good")


def test_wrong_model_is_a_violation_naming_column_and_sources(manifest):
    rows = _rows(manifest)
    bad = rows[("population_wrong", "person_name")]
    assert not bad.ok
    assert "health_hospital_visits.person_name" in bad.message
    assert "psb/psb_household.person_name" in bad.message
    assert "population_wrong.person_name" in bad.message
    renamed = rows[("population_wrong", "date_of_birth")]       # element from `meta: {element: birth_date}`
    assert renamed.element == "birth_date" and not renamed.ok
    assert rows[("population_wrong", "id_number")].ok


def test_missing_authoritative_source_is_a_violation(manifest):
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for node in data["nodes"].values():
        if node.get("name") == "population_good":
            node["compiled_code"] = "select 'x' as person_name"
    rows = {(r.model, r.column): r for r in lineage.check_project(data)}
    assert "does not trace to its authoritative source" in rows[("population_good", "person_name")].message


def test_cli_exit_codes(manifest, tmp_path):
    result = CliRunner().invoke(app, ["lineage", "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "VIOLATION population_wrong.person_name" in result.output
    good = json.loads(manifest.read_text(encoding="utf-8"))
    good["nodes"] = {k: v for k, v in good["nodes"].items() if v.get("name") != "population_wrong"}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    result = CliRunner().invoke(app, ["lineage", "--manifest", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output
    missing = CliRunner().invoke(app, ["lineage", "--manifest", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2


def test_reference_columns_are_not_checked(manifest):
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for node in data["nodes"].values():
        if node.get("name") == "population_wrong":
            node["columns"]["person_name"] = {"name": "person_name", "meta": {"reference": True}}
    rows = {(r.model, r.column): r for r in lineage.check_project(data)}
    assert rows[("population_wrong", "person_name")].ok
    assert "reference key" in rows[("population_wrong", "person_name")].message


def test_derived_elements_inherit_scoped_sources():
    from standards.registry import authoritative_for

    feeds = {s.feed for s in authoritative_for("county_code")}
    assert {"psb_household", "samr_entities", "nrp_parcels"} <= feeds
