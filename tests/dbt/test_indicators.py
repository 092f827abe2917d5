"""Indicator declarations: valid, >= 100 of them, and the generated dbt macro is up to date."""

from __future__ import annotations

import importlib.util

import pytest

from citylake.core.paths import DBT_PROJECT_DIR

SCRIPT = DBT_PROJECT_DIR / "scripts" / "indicators.py"


def _indicators():
    spec = importlib.util.spec_from_file_location("indicators", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_at_least_100_valid_declarations_with_bilingual_names():
    decls = _indicators().load()
    assert len(decls) >= 100
    assert len({d["id"] for d in decls}) == len(decls)
    for d in decls:
        assert d["name_zh"] and d["name_en"] and d["definition"] and d["unit"]
        assert any((DBT_PROJECT_DIR / "models" / "marts").rglob(f"{d['model']}.sql")), d["model"]


def test_generated_macro_is_in_sync():
    assert _indicators().main(["--check"]) == 0, "run python dbt_project/scripts/indicators.py"


def test_unknown_dimension_is_rejected(tmp_path):
    mod = _indicators()
    (tmp_path / "_dimensions.yml").write_text("dimensions: {county: county_code}\n")
    (tmp_path / "x.yml").write_text(
        "indicators:\n  - {id: X1, name_zh: 甲, name_en: A, definition: d, unit: u, owner: o, model: population,"
        " measure: 'count(*)', grain: snapshot, dimensions: [planet]}\n")
    with pytest.raises(mod.DeclarationError):
        mod.load(tmp_path)
