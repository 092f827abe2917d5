"""One dbt build for the 8 base libraries, and a library's failure still blocks that library only
(citylake.orchestration.dbt_results; the gate: citylake.orchestration.pipeline.gate_library)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from citylake.core import db, state
from citylake.core.paths import Home
from citylake.orchestration import dbt_results, snapshots
from citylake.orchestration.pipeline import DataContractError, gate_libraries, gate_library

NIGHT = "2026-11-02"


def _model(name: str, layer: str = "base") -> dict:
    return {"name": name, "fqn": ["citylake", "marts", layer, name], "resource_type": "model"}


MANIFEST = {"nodes": {
    "model.citylake.population": _model("population"),
    "model.citylake.population_history": _model("population_history"),
    "model.citylake.legal_entity": _model("legal_entity"),
    "model.citylake.city_events": _model("city_events", "theme"),
    "test.citylake.not_null_population_id_number.1": {"name": "not_null_population_id_number", "fqn": [],
                                                     "attached_node": "model.citylake.population"},
    "test.citylake.assert_population_adults.2": {"name": "assert_population_adults", "fqn": [],
                                                 "depends_on": {"nodes": ["model.citylake.population"]}},
}}


def _results(**statuses: str) -> dict:
    return {"results": [{"unique_id": uid, "status": st, "message": f"{st} message"}
                        for uid, st in statuses.items()]}


def test_node_outcomes_name_the_models_a_node_stands_for():
    out = dbt_results.node_outcomes(_results(**{
        "model.citylake.population": "success", "test.citylake.not_null_population_id_number.1": "fail",
        "test.citylake.assert_population_adults.2": "pass", "model.citylake.city_events": "success"}), MANIFEST)
    assert [o["models"] for o in out] == [["base.population"], ["base.population"], ["base.population"],
                                          ["theme.city_events"]]


@pytest.mark.parametrize(("status", "blocks"), [("error", True), ("fail", True), ("skipped", True),
                                                ("success", False), ("pass", False), ("warn", False)])
def test_a_library_is_blocked_by_its_own_failed_or_skipped_model(status, blocks):
    out = dbt_results.node_outcomes(_results(**{"model.citylake.population_history": status}), MANIFEST)
    assert bool(dbt_results.failures_of(out, "base", "population")) is blocks
    assert dbt_results.failures_of(out, "base", "legal_entity") == [], "another library is not blocked"


def test_a_failed_test_blocks_the_library_of_its_model_and_a_skipped_test_does_not():
    failed = dbt_results.node_outcomes(_results(**{"test.citylake.not_null_population_id_number.1": "fail"}),
                                       MANIFEST)
    [line] = dbt_results.failures_of(failed, "base", "population")
    assert line.startswith("test.citylake.not_null_population_id_number.1: fail: fail message")
    skipped = dbt_results.node_outcomes(_results(**{"test.citylake.assert_population_adults.2": "skipped"}),
                                        MANIFEST)
    assert dbt_results.failures_of(skipped, "base", "population") == []


def test_a_theme_library_reads_only_theme_models():
    out = dbt_results.node_outcomes(_results(**{"model.citylake.city_events": "error"}), MANIFEST)
    assert dbt_results.failures_of(out, "theme", "city_events")
    assert dbt_results.failures_of(out, "base", "population") == []


def test_the_cosmos_callback_keeps_the_outcomes_in_the_nights_state(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path / "home"))
    project = tmp_path / "project"
    (project / "target").mkdir(parents=True)
    (project / "target" / "run_results.json").write_text(json.dumps(_results(
        **{"model.citylake.population": "error"})))
    (project / "target" / "manifest.json").write_text(json.dumps(MANIFEST))
    context = {"ti": SimpleNamespace(task_id="dbt_base"), "dag_run": SimpleNamespace(conf={"date": NIGHT})}
    dbt_results.record(str(project), context=context)
    h = Home(tmp_path / "home")
    assert dbt_results.failures_of(dbt_results.night_outcomes(NIGHT, h=h), "base", "population") == [
        "model.citylake.population: error: error message"]
    dbt_results.record(str(tmp_path / "dbt-stopped-before-any-node"), context=context)  # no run_results: kept


def test_the_gate_of_a_library_whose_model_failed_restores_it_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path))
    h = Home(tmp_path).ensure()
    conn = db.connect(h=h)
    conn.execute("create schema base; create table base.population as select 'good' as v;"
                 "create table base.legal_entity as select 'good' as v")
    conn.close()
    state.write(NIGHT, "plan", "base", {"snapshot_before": snapshots.current_snapshot(h=h)}, h=h)
    conn = db.connect(h=h)  # tonight's build rewrote population before population_history failed
    conn.execute("create or replace table base.population as select 'half-built' as v")
    conn.close()
    out = dbt_results.node_outcomes(_results(**{"model.citylake.population": "success",
                                                "model.citylake.population_history": "error",
                                                "model.citylake.legal_entity": "success"}), MANIFEST)
    state.write(NIGHT, "dbt_build", "dbt_base", {"nodes": out}, h=h)
    with pytest.raises(DataContractError, match="^base.population 2026-11-02: dbt build failed: "
                                                r"\['model.citylake.population_history: error[^|]*$"):
        gate_libraries(["population", "legal_entity"], NIGHT, "base", h=h)  # one task, two libraries
    gates = state.read_all(NIGHT, "library_gate", h=h)
    assert gates["population"]["passed"] is False and gates["legal_entity"]["passed"] is True
    assert gate_library("legal_entity", NIGHT, "base", h=h)["passed"] is True
    reader = db.connect(read_only=True, h=h)
    assert reader.execute("select v from base.population").fetchall() == [("good",)], "last good snapshot"
