from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from catalogs import export

TEMPLATE = ["信息资源代码", "信息资源名称", "信息资源提供方", "提供方代码", "信息资源摘要", "信息资源格式",
            "信息项名称", "数据类型", "数据长度", "共享类型", "共享条件", "共享方式", "是否向社会开放", "开放条件",
            "更新周期", "发布日期", "关联资源代码"]


@pytest.fixture
def catalog(shared):
    return copy.deepcopy(shared[2])


@pytest.fixture
def conn(shared):
    return shared[1]


def _csv(catalog, scope):
    text = export.render(catalog, scope, "csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_and_xlsx_follow_the_national_template(catalog):
    rows = _csv(catalog, "share")
    assert rows[0][:len(TEMPLATE)] == TEMPLATE
    assert len(rows) - 1 == len(catalog.items)            # one row per data item
    wb = load_workbook(io.BytesIO(export.render(catalog, "share", "xlsx")))
    ws = wb["共享目录"]
    assert [c.value for c in ws[1]][:len(TEMPLATE)] == TEMPLATE
    assert ws.max_row - 1 == len(catalog.items)
    idn = next(r for r in rows if r[22] == "id_number" and r[1] == "人口基础信息库")
    assert (idn[7], idn[8], idn[9], idn[12]) == ("字符型", "18", "有条件共享", "否")
    health = next(r for r in rows if r[22] == "test_result")
    assert health[9] == "不予共享"


def test_open_catalog_lists_only_open_resources_and_items(catalog):
    rows = _csv(catalog, "open")[1:]
    codes = {r[0] for r in rows}
    assert catalog.entry("base.population").resource_code not in codes      # 不予开放
    assert catalog.entry("indicator.series").resource_code in codes
    assert not [r for r in rows if r[22] in ("legal_rep_name", "phone", "id_number")]


def test_formula_injection_is_guarded_in_csv_and_xlsx(catalog):
    catalog.entry("base.legal_entity").name_zh = '=HYPERLINK("http://evil.example","x")'
    catalog.entry("base.legal_entity").summary_zh = "@SUM(1+1)"
    catalog.entry("theme.city_events").name_zh = "-2+3"
    catalog.entry("theme.city_events").summary_zh = "\tcmd"
    rows = _csv(catalog, "share")
    names = {r[1] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in names and "'-2+3" in names
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:] for c in r)
    ws = load_workbook(io.BytesIO(export.render(catalog, "share", "xlsx")))["共享目录"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)                    # no formula cells at all
    assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t")) for c in cells)
    assert any(c.value == "'@SUM(1+1)" for c in cells)
    # the guard itself fails when removed: an unguarded value would start with "="
    assert export.safe_cell("=1+1") == "'=1+1" and export.safe_cell(-5) == -5


def test_dcat_ap_json_ld_expands_with_mandatory_properties(catalog):
    from pyld import jsonld

    doc = json.loads(export.render(catalog, "open", "dcat"))
    expanded = jsonld.expand(doc)
    DCAT, DCT = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    cat = next(n for n in expanded if DCAT + "Catalog" in n.get("@type", []))
    for p in (DCT + "title", DCT + "description", DCT + "publisher", DCAT + "dataset"):
        assert cat.get(p), p
    datasets = cat[DCAT + "dataset"]
    assert len(datasets) == sum(1 for e in catalog.entries if e.open_type != "not_open")
    for ds in datasets:
        for p in (DCT + "title", DCT + "description", DCT + "identifier", DCT + "publisher",
                  DCT + "accrualPeriodicity", DCT + "accessRights", DCAT + "distribution",
                  "http://www.w3.org/ns/csvw#tableSchema"):
            assert ds.get(p), (ds["@id"], p)
        for dist in ds[DCAT + "distribution"]:
            assert dist[DCAT + "accessURL"][0]["@id"].startswith("https://")
        rights = ds[DCT + "accessRights"][0]["@id"]
        assert rights.rsplit("/", 1)[1] in ("PUBLIC", "RESTRICTED", "NON_PUBLIC")
        assert ds[DCT + "accrualPeriodicity"][0]["@id"].startswith(
            "http://publications.europa.eu/resource/authority/frequency/")
    series = next(d for d in datasets if d[DCT + "identifier"][0]["@value"] == catalog.entry("indicator.series")
                  .resource_code)
    assert series[DCT + "accessRights"][0]["@id"].endswith("/PUBLIC")
    # a dataset without its mandatory title is detected
    del doc["dcat:dataset"][0]["dct:title"]
    broken = jsonld.expand(doc)[0][DCAT + "dataset"][0]
    assert DCT + "title" not in broken
