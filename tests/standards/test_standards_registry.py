"""The data element registry: complete for the feed registry, consistent, one-data-one-source."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ingest import registry as feeds
from standards import registry
from standards.registry import ElementError, Source


def test_every_feed_element_is_registered():
    els = registry.elements()
    referenced = {f.element for feed in feeds.load().values() for f in feed.fields if f.element}
    assert len(referenced) > 100
    assert referenced <= set(els), sorted(referenced - set(els))


def test_registry_is_large_and_consistent():
    assert len(registry.elements()) >= 120
    assert registry.check() == []


@pytest.mark.parametrize(("element_id", "feed", "field"), [
    ("id_number", "psb_household", "id_number"),
    ("person_name", "psb_household", "person_name"),
    ("sex_code", "psb_household", "sex_code"),
    ("birth_date", "psb_household", "birth_date"),
    ("ethnic_code", "psb_household", "ethnic_code"),
    ("township_code", "psb_household", "township_code"),
    ("death_date", "health_deaths", "death_date"),
    ("marital_status_code", "civil_marriages", "marital_status_code"),
    ("insurance_type", "hrss_insurance", "insurance_type"),
    ("uscc", "samr_entities", "uscc"),
    ("entity_name", "samr_entities", "entity_name"),
    ("legal_rep_name", "samr_entities", "legal_rep_name"),
    ("industry_code", "samr_entities", "industry_code"),
    ("registered_address", "samr_entities", "registered_address"),
    ("tax_status", "tax_taxpayers", "tax_status"),
    ("parcel_id", "nrp_parcels", "parcel_id"),
    ("grid_id", "nrp_grid_cells", "grid_id"),
    ("place_name", "civil_place_names", "place_name"),
    ("address_id", "psb_house_numbers", "address_id"),
    ("full_address", "psb_house_numbers", "full_address"),
    ("license_no", "gsb_licenses", "license_no"),
    ("credit_record_type", "ndrc_credit_records", "credit_record_type"),
    ("sensor_id", "bdc_sensors", "sensor_id"),
    ("stat_indicator_code", "stats_macro", "stat_indicator_code"),
])
def test_authoritative_sources_follow_the_mission(element_id, feed, field):
    primary = registry.authoritative_for(element_id)[0]
    assert (primary.feed, primary.field) == (feed, field)
    assert primary.department == feeds.feed(feed).department.id


def test_generic_elements_have_no_authority():
    assert registry.authoritative_for("count") == ()
    assert registry.element("amount_cny").authoritative is None


def test_unknown_element():
    with pytest.raises(ElementError, match="unknown data element"):
        registry.element("no_such_element")


def test_pii_columns():
    pii = registry.pii_columns("health_hospital_visits")["health_hospital_visits"]
    assert pii["id_number"] == "id_number" and pii["person_name"] == "name"
    assert "visit_id" not in pii
    assert "psb_household" in registry.pii_columns()


def _broken(element_id: str, **changes) -> dict:
    els = dict(registry.elements())
    els[element_id] = dataclasses.replace(els[element_id], **changes)
    return els


@pytest.mark.parametrize(("element_id", "changes", "message"), [
    ("sex_code", {"codeset": "no_such_set"}, "unknown code set 'no_such_set'"),
    ("id_number", {"validator": "cl_no_such_macro"}, "unknown validator macro"),
    ("phone", {"normaliser": "cl_nope"}, "unknown normaliser macro"),
    ("person_name", {"pii": "secret"}, "not in code set pii_class"),
    ("person_name", {"type": "text"}, "type 'text'"),
    ("person_name", {"authoritative": Source("psb", "psb_nowhere", "person_name")}, "not in the feed registry"),
    ("person_name", {"authoritative": Source("psb", "psb_household", "full_name")}, "has no field 'full_name'"),
    ("person_name", {"authoritative": Source("health", "psb_household", "person_name")}, "belongs to psb"),
    ("person_name", {"authoritative": Source("psb", "psb_household", "phone")}, "carries element 'phone'"),
])
def test_check_finds_problems(element_id, changes, message):
    problems = registry.check(_broken(element_id, **changes))
    assert any(message in p for p in problems), problems


def test_check_finds_feed_fields_without_element():
    els = dict(registry.elements())
    del els["death_cause_code"]
    problems = registry.check(els)
    assert any("references unknown element 'death_cause_code'" in p for p in problems)


def test_loader_rejects_unknown_keys(tmp_path: Path):
    (tmp_path / "x.yaml").write_text(
        "elements:\n  - {id: a, name_zh: 甲, name_en: A, type: string, length: 1, pii: none,\n"
        "     description_en: a, description_zh: 甲, authoritative: null, colour: red}\n", encoding="utf-8")
    with pytest.raises(ElementError, match="unknown keys"):
        registry.load_dir(tmp_path)
