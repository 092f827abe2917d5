from __future__ import annotations

import re

import catalog_fixture as fx
import yaml

from catalogs import codes as codes_mod
from catalogs.generate import generate


def _gen(home, codes_file, date="2026-11-24", conn=None, **kw):
    return generate(date, h=home, conn=conn, manifest=kw.pop("manifest", fx.manifest()), elements=fx.ELEMENTS, feeds=fx.FEEDS,
                    codes_file=codes_file, **kw)


def test_every_library_table_gets_an_entry(home, conn, codes_file):
    cat = _gen(home, codes_file, conn=conn)
    assert sorted(e.model for e in cat.entries) == [
        "base.legal_entity", "base.population", "indicator.indicators", "indicator.series",
        "theme.city_events", "theme.city_events_daily", "theme.public_health"]
    pop = cat.entry("base.population")
    assert pop.name_zh == "人口基础信息库" and pop.provider_id == "psb" and pop.provider_code == "11510600008717002X"
    assert pop.update_cycle == "daily" and pop.row_count == 40
    assert pop.resource_code.startswith("101001001/")
    assert cat.entry("theme.city_events_daily").resource_code.startswith("202002001/")   # aggregate 目 002
    assert cat.entry("indicator.series").resource_code.startswith("216002001/")
    # events are fed in real time but rebuilt nightly: the resource is updated daily
    assert cat.entry("theme.city_events").update_cycle == "daily"
    # related resources follow the lineage in both directions
    assert pop.resource_code in cat.entry("theme.city_events").related_codes
    assert cat.entry("theme.city_events").resource_code in pop.related_codes
    assert "base.spatial_geography" in cat.missing_libraries


def test_resource_codes_are_stable_across_nights_and_only_grow(home, conn, codes_file):
    first = {e.model: e.resource_code for e in _gen(home, codes_file, conn=conn).entries}
    # next night a new model appears (sorted before the others) and one disappears
    m = fx.manifest()
    m["nodes"]["model.citylake.aaa_population_new"] = dict(m["nodes"]["model.citylake.population"],
                                                           name="aaa_population_new", alias="aaa_population_new")
    del m["nodes"]["model.citylake.public_health"]
    conn.execute("create table base.aaa_population_new as select * from base.population")  # it was built
    second = {e.model: e.resource_code for e in _gen(home, codes_file, "2026-11-25", conn=conn, manifest=m).entries}
    assert all(second[k] == v for k, v in first.items() if k in second)
    assert second["base.aaa_population_new"] not in first.values()
    kept = yaml.safe_load(codes_file.read_text())["codes"]
    assert kept["theme.public_health"] == first["theme.public_health"]   # dropped models keep their code
    third = {e.model: e.resource_code for e in _gen(home, codes_file, "2026-11-26", conn=conn).entries}
    assert third == first


def test_duplicate_code_in_assignment_file_fails(codes_file):
    codes_file.write_text("codes:\n  base.a: 101001001/000001\n  base.b: 101001001/000001\n")
    try:
        codes_mod.load(codes_file)
    except codes_mod.CodeError as e:
        assert "assigned twice" in str(e)
    else:
        raise AssertionError("duplicate code accepted")


def test_sharing_type_is_decided_per_item(home, conn, codes_file):
    cat = _gen(home, codes_file, conn=conn)
    items = {(e.model, i.column_name): i for e in cat.entries for i in e.items}
    idn = items[("base.population", "id_number")]
    assert (idn.share_type, idn.open_type, idn.mask) == ("conditional", "not_open", "cat_mask_id_number")
    assert items[("theme.public_health", "test_result")].share_type == "not_shared"
    le = cat.entry("base.legal_entity")
    assert items[("base.legal_entity", "uscc")].share_type == "unconditional"
    assert items[("base.legal_entity", "uscc")].open_type == "unconditional"
    assert items[("base.legal_entity", "legal_rep_name")].share_type == "conditional"
    # one conditional item makes the resource conditional (只能部分提供)
    assert le.share_type == "conditional" and le.open_type == "conditional"
    assert "legal_rep_name" in le.share_condition
    daily = cat.entry("theme.city_events_daily")
    assert (daily.share_type, daily.open_type) == ("unconditional", "unconditional")
    assert cat.entry("indicator.series").open_type == "unconditional"
    assert items[("theme.city_events", "description")].mask == "cat_scrub_text"
    # the feed's declared sharing tightens even non-personal items
    assert items[("base.population", "sex_code")].share_type == "conditional"
    assert items[("base.population", "sex_code")].data_length == 1
    assert items[("base.population", "id_number")].name_zh == "公民身份号码"


def test_catalog_is_stored_with_history(home, conn, codes_file):
    _gen(home, codes_file, conn=conn)
    m = fx.manifest()
    m["nodes"]["model.citylake.population"]["description"] = "Residents / 常住人口信息"
    del m["nodes"]["model.citylake.indicators"]
    cat = _gen(home, codes_file, "2026-11-25", conn=conn, manifest=m)
    if True:
        n_entries = conn.execute("select count(*) from catalog.entries").fetchone()[0]
        n_items = conn.execute("select count(*) from catalog.items").fetchone()[0]
        hist = conn.execute("select night::varchar, model, change, field from catalog.history "
                            "where night = '2026-11-25' order by all").fetchall()
        pub = conn.execute("select published_on::varchar from catalog.entries "
                           "where model = 'base.population'").fetchone()[0]
    assert n_entries == 6 and n_items == len(cat.items)
    assert ("2026-11-25", "indicator.indicators", "removed", None) in hist
    assert ("2026-11-25", "base.population", "changed", "summary_zh") in hist
    assert pub == "2026-11-24"     # the publication date is the first night, kept
    # the same night again changes nothing
    again = _gen(home, codes_file, "2026-11-25", conn=conn, manifest=m)
    assert again.changes == 0


def test_sub_tables_get_titles_not_description_sentences(home, conn, codes_file):
    """The models' descriptions read "中文标签 English sentence. / 中文标签：中文说明": the English title
    of a sub-table is "<library>: <Detail>", and the English summary carries no Chinese."""
    m = fx.manifest()
    node = fx._model("theme", "city_events__routing",
                     "城市事件·流转 One row per routing step (department, action). / 城市事件·流转：每个流转步骤一行。",
                     [("event_id", "Event / 事件编号")], ["model.citylake.city_events"])
    m["nodes"][node[0]] = node[1]
    node = fx._model("indicator", "targets", "指标库 Indicator targets: one row per target. / 指标库：指标目标值（年度）。",
                     [], [])
    m["nodes"][node[0]] = node[1]
    conn.execute("create table theme.city_events__routing as select 'E1' as event_id")
    conn.execute("create table indicator.targets as select 1 as target")
    cat = _gen(home, codes_file, conn=conn, manifest=m)
    routing = cat.entry("theme.city_events__routing")
    assert (routing.name_zh, routing.name_en) == ("城市事件·流转", "City events thematic library: Routing")
    assert routing.summary_en.startswith("One row per routing step (department, action).")
    assert not re.search(r"[\u3400-\u9fff]", routing.summary_en)
    assert routing.summary_zh.startswith("城市事件·流转：每个流转步骤一行。")
    targets = cat.entry("indicator.targets")           # the label names only the library: add the detail
    assert (targets.name_zh, targets.name_en) == ("指标库·指标目标值", "Indicator library: Targets")
    daily = cat.entry("theme.city_events_daily")
    assert daily.name_en == "City events thematic library: Daily"
    assert cat.entry("theme.city_events").name_en == "City events thematic library"
