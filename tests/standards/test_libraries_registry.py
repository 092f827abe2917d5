"""The library registry (standards/libraries.yaml) is the one list of the 23 libraries + the
indicator library: every model, DAG task and catalog entry of a library has a row, and every row
has its model, its DAG tasks and its catalog item."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citylake.core.paths import DAGS_DIR, DBT_PROJECT_DIR, REPO_ROOT
from standards import libraries
from standards.libraries import LibraryError

MARTS = DBT_PROJECT_DIR / "models" / "marts"

TASKS = r"""
import importlib.util, json, sys
out = {}
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("dagfile", path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    tasks = {}
    for t in mod.dag.tasks:
        tasks[t.task_id] = None
        kw = getattr(t, "op_kwargs", None) or {}
        if kw.get("libraries"):
            tasks[t.task_id] = sorted(kw["libraries"])
        if t.task_id.startswith("dbt_") and getattr(t, "select", None):
            tasks[t.task_id] = {"select": list(t.select), "exclude": str(t.exclude)}
    out[mod.dag.dag_id] = tasks
print(json.dumps(out))
"""


def test_the_registry_has_8_base_15_thematic_and_the_indicator_library():
    assert [len(libraries.libraries(layer)) for layer in libraries.LAYERS] == [8, 15, 1]
    assert libraries.LAYERS == ("base", "theme", "indicator")


def test_every_library_model_belongs_to_a_registered_library_and_back():
    for layer in libraries.LAYERS:
        models = sorted(p.stem for p in (MARTS / layer).glob("*.sql"))
        orphans = [m for m in models if libraries.library_of(layer, m) is None]
        assert orphans == [], f"models in marts/{layer}/ of no library in standards/libraries.yaml: {orphans}"
        for lib in libraries.libraries(layer):
            assert any(lib.owns(m) for m in models), f"{lib.id} has no model in marts/{layer}/"


def test_dag_tasks_are_generated_for_exactly_the_registered_libraries():
    proc = subprocess.run([sys.executable, "-c", TASKS, str(DAGS_DIR / "citylake_nightly.py"),
                           str(DAGS_DIR / "citylake_themes.py")], capture_output=True, text=True, timeout=300,
                          cwd=REPO_ROOT, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    dags = json.loads(proc.stdout.strip().splitlines()[-1])
    base = {lib.id for lib in libraries.libraries("base")}
    nightly = dags["citylake_nightly"]
    # one dbt build for the 8 base libraries, leaving the tests spanning two of them to the themes DAG
    assert sorted(nightly["dbt_base"]["select"]) == sorted(s for lib in libraries.libraries("base")
                                                            for s in lib.dbt_select())
    assert "tag:cross_library" in nightly["dbt_base"]["exclude"]
    assert [t for t in nightly if t.startswith("dbt_base")] == ["dbt_base"]
    assert {t[len("gate_base_"):] for t in nightly if t.startswith("gate_base_")} == base
    themes = dags["citylake_themes"]
    assert themes["gate_themes"] == sorted(lib.id for lib in libraries.libraries("theme"))
    assert themes["gate_indicator"] == ["indicator"]


def test_catalog_item_codes_come_from_the_registry(tmp_path):
    from catalogs.sources import POLICY_FILE, load_policy

    listed = {(layer, x["id"], x["item"], x["name_zh"], x["name_en"], x["theme"])
              for layer, rows in load_policy()["libraries"].items() for x in rows}
    registered = {(lib.layer, lib.id, lib.item, lib.name_zh, lib.name_en, lib.dcat_theme) for lib in libraries.libraries()}
    assert listed == registered and all(t for *_, t in listed)
    second_list = tmp_path / "policy.yml"  # a policy that keeps its own list again is refused
    second_list.write_text(POLICY_FILE.read_text(encoding="utf-8") + "\nlibraries: {base: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="standards/libraries.yaml"):
        load_policy(second_list)


def test_the_naming_rule_of_a_library_s_tables():
    pop = libraries.library("population")
    assert [t for t in ("population", "population_history", "population__x", "populations", "address")
            if pop.owns(t)] == ["population", "population_history", "population__x"]
    assert pop.dbt_select() == ["marts.base.population", "marts.base.population__*", "marts.base.population_history"]
    assert libraries.library("indicator").dbt_select() == ["marts.indicator.indicators", "marts.indicator.series"]
    assert libraries.library_of("theme", "transport") == libraries.library("transport")
    assert libraries.library_of("base", "transport") is None


def test_hand_over_points_follow_the_layer():
    assert [libraries.handover_of(s) for s in ("staging", "intermediate", "base", "theme", "indicator", "export")] \
        == ["raw_to_staging", "staging_to_base", "staging_to_base", "base_to_theme", "base_to_theme",
            "library_to_export"]


def test_an_unknown_library_is_refused_with_the_valid_choices():
    with pytest.raises(LibraryError, match="unknown library 'parks'.*valid: population, legal_entity"):
        libraries.library("parks")


@pytest.mark.parametrize("bad, message", [
    ("layers: {base: {schema: base, handover: staging_to_base}}\nlibraries:\n"
     "  - {id: a, layer: park, item: '01', name_zh: 甲, name_en: A}\n", "unknown layer 'park'"),
    ("layers: {base: {schema: base, handover: staging_to_base}}\nlibraries:\n"
     "  - {id: a, layer: base, item: '01', name_zh: 甲, name_en: A}\n"
     "  - {id: a, layer: base, item: '02', name_zh: 乙, name_en: B}\n", "duplicate library ids"),
    ("layers: {base: {schema: base, handover: staging_to_base}}\nlibraries:\n"
     "  - {id: a, layer: base, item: '01', name_zh: 甲, name_en: A}\n"
     "  - {id: b, layer: base, item: '01', name_zh: 乙, name_en: B}\n", "duplicate item codes"),
])
def test_a_malformed_registry_is_refused(tmp_path, bad, message):
    path = tmp_path / "libraries.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(LibraryError, match=message):
        libraries._registry(path)


def test_the_tests_spanning_two_base_libraries_are_exactly_those_tagged_cross_library(tmp_path):
    """The base build leaves out `tag:cross_library` (they run in dbt_base_crosschecks once every
    base library is built): a new test between two base libraries without the tag would run in
    the base build and skip one library's models on the other's failure."""
    from citylake.core.paths import Home
    from citylake.orchestration.dbt_runner import invoke

    h = Home(tmp_path)
    assert invoke(["parse"], h=h).success
    nodes = json.loads((h.dbt_target / "manifest.json").read_text())["nodes"]

    def library(uid: str) -> str | None:
        node = nodes[uid]
        lib = libraries.library_of("base", node["name"]) if node["fqn"][-2] == "base" else None
        return lib.id if lib else None

    spanning, tagged = set(), set()
    for node in nodes.values():
        if node["resource_type"] != "test":
            continue
        parents = [library(p) for p in node["depends_on"]["nodes"] if p.startswith("model.")]
        if parents and None not in parents and len(set(parents)) > 1:
            spanning.add(node["name"])
        if "cross_library" in node["config"].get("tags", []):
            tagged.add(node["name"])
    assert len(spanning) == 4 and spanning == tagged
