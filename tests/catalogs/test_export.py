from __future__ import annotations

import copy
import csv
import io
import json
import re

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


DCAT, DCT = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
VCARD, SKOS = "http://www.w3.org/2006/vcard/ns#", "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_QUAD = re.compile(r'^(<[^>]*>|_:\S+) <([^>]*)> (<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?) \.$')


def _triples(doc: dict) -> set[tuple[str, str, str]]:
    """The RDF triples of a JSON-LD document, as pyld turns it into N-Quads (IRIs without <>)."""
    from pyld import jsonld

    out = set()
    for line in jsonld.to_rdf(doc, {"format": "application/n-quads"}).splitlines():
        s, p, o = _QUAD.match(line).groups()
        out.add((s.strip("<>"), p, o[1:-1] if o.startswith("<") else o))
    return out


def test_dcat_has_licence_theme_keywords_contact_and_spatial(catalog):
    t = _triples(json.loads(export.render(catalog, "open", "dcat")))
    of = lambda s, p: {o for s2, p2, o in t if s2 == s and p2 == p}      # noqa: E731
    typed = lambda c: {s for s, p, o in t if p == RDF_TYPE and o == c}  # noqa: E731
    cc_by = "http://creativecommons.org/licenses/by/4.0/"
    (cat,) = typed(DCAT + "Catalog")
    assert of(cat, DCT + "license") == {cc_by}
    assert of(cc_by, "http://www.w3.org/2004/02/skos/core#exactMatch") == {
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"}
    datasets = typed(DCAT + "Dataset")
    assert len(datasets) == sum(1 for e in catalog.entries if e.open_type != "not_open")
    downloads = {s for s, p, _ in t if p == DCAT + "downloadURL"}
    assert downloads and all(of(d, DCT + "license") == {cc_by} for d in downloads)
    deyang = "https://data.deyang.example.gov.cn/catalog/location/gb2260/510600"
    assert of(deyang, RDF_TYPE) == {DCT + "Location"}
    assert of(deyang, SKOS + "notation") == {'"510600"^^<https://data.deyang.example.gov.cn/catalog/codelist/gb2260>'}
    for ds in datasets:
        (theme,) = of(ds, DCAT + "theme")
        assert theme.startswith("http://publications.europa.eu/resource/authority/data-theme/"), ds
        keywords = of(ds, DCAT + "keyword")
        assert any(k.endswith("@zh") for k in keywords) and any(k.endswith("@en") for k in keywords), ds
        (contact,) = of(ds, DCAT + "contactPoint")
        assert of(contact, RDF_TYPE) == {VCARD + "Organization"} and of(contact, VCARD + "fn")
        assert {e[:7] for e in of(contact, VCARD + "hasEmail")} == {"mailto:"}
        assert of(ds, DCT + "spatial") == {deyang, "http://publications.europa.eu/resource/authority/country/CHN"}
    events_theme = next(o for s, p, o in t if p == DCAT + "theme"
                            and s.endswith(catalog.entry("theme.city_events").resource_code))
    assert events_theme.endswith("/REGI")
    titles = {o for s, p, o in t if p == DCT + "title" and s in datasets and o.endswith("@en")}
    assert '"City events thematic library: Daily"@en' in titles
