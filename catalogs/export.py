"""Catalog exports: the sharing catalog (共享目录) and the open catalog (开放目录).

- CSV and XLSX in the national template's column order with Chinese headers, one row per data
  item (信息项) with its resource's attributes repeated; every text cell from data that starts
  with = + - @ TAB or CR is prefixed with an apostrophe (formula-injection guard) and XLSX
  cells are always written as strings, never as formulas.
- The open catalog as DCAT-AP 3 JSON-LD: dcat:Catalog of dcat:Dataset with dct:title,
  dct:description, dct:identifier, dct:publisher, dcat:distribution (dcat:accessURL),
  dct:accrualPeriodicity (EU frequency authority table), dct:accessRights (EU access-right
  authority table), dcat:theme (EU data-theme table, per library in the policy), dcat:keyword,
  dcat:contactPoint (vCard), dct:spatial (the GB/T 2260 division), dct:license (CC BY 4.0) on the
  catalogue and on every download, and the items as a CSVW table schema.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from catalogs.generate import Catalog, Entry, Item
from catalogs.sources import codeset, load_policy

# (header, key) in the national template's order (GB/T 21063.3 core metadata; 2017 guide), then citylake extras.
COLUMNS: list[tuple[str, str]] = [
    ("信息资源代码", "resource_code"),
    ("信息资源名称", "name_zh"),
    ("信息资源提供方", "provider_zh"),
    ("提供方代码", "provider_code"),
    ("信息资源摘要", "summary_zh"),
    ("信息资源格式", "format"),
    ("信息项名称", "item_name_zh"),
    ("数据类型", "item_type_zh"),
    ("数据长度", "item_length"),
    ("共享类型", "item_share_zh"),
    ("共享条件", "item_share_condition"),
    ("共享方式", "share_method"),
    ("是否向社会开放", "item_open_zh"),
    ("开放条件", "item_open_condition"),
    ("更新周期", "update_cycle_zh"),
    ("发布日期", "published_on"),
    ("关联资源代码", "related_codes"),
    ("信息资源分类", "classification"),
    ("资源共享类型", "share_zh"),
    ("资源开放类型", "open_zh"),
    ("信息资源英文名称", "name_en"),
    ("信息项英文名称", "item_name_en"),
    ("信息项字段名", "item_column"),
    ("数据元标识", "item_element"),
    ("个人信息类别", "item_pii_zh"),
    ("脱敏规则", "item_mask"),
]
HEADERS = [h for h, _ in COLUMNS]
SCOPES = ("share", "open")
FORMATS = ("csv", "xlsx", "dcat")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
OPEN_YES = {"unconditional": "是", "conditional": "依申请开放", "not_open": "否"}
ACCESS_RIGHTS = "http://publications.europa.eu/resource/authority/access-right/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
CLASS_ZH = {"1": "基础信息资源", "2": "主题信息资源", "3": "部门信息资源"}
CLASS_EN = {"1": "base information resource", "2": "thematic information resource",
            "3": "departmental information resource"}
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
LICENCE_TYPE = "http://purl.org/adms/licencetype/"


def safe_cell(value):
    """Formula-injection guard for one spreadsheet/CSV cell (text only; numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _zh(setname: str, code: str | None) -> str:
    if not code:
        return ""
    row = codeset(setname).get(code)
    return row["name_zh"] if row else code


def _library_of(entry: Entry, policy: dict) -> dict | None:
    libs = policy["libraries"].get(entry.schema_name, [])
    return next((x for x in libs if x["id"] == entry.library), None)


def in_scope(entry: Entry, scope: str) -> bool:
    return scope == "share" or entry.open_type != "not_open"


def items_in_scope(entry: Entry, scope: str) -> list[Item]:
    """The sharing catalog lists every item (with its type, 不予共享 included); the open catalog only open ones."""
    return [i for i in entry.items if scope == "share" or i.open_type != "not_open"]


def rows(catalog: Catalog, scope: str) -> list[dict]:
    """Template rows (one per data item) for the sharing or open catalog."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    policy = load_policy()
    out = []
    for e in catalog.entries:
        if not in_scope(e, scope):
            continue
        lib = _library_of(e, policy)
        base = {
            "resource_code": e.resource_code, "name_zh": e.name_zh, "provider_zh": e.provider_zh,
            "provider_code": e.provider_code, "summary_zh": e.summary_zh, "format": e.format,
            "share_method": e.share_method, "update_cycle_zh": _zh("update_cycle", e.update_cycle),
            "published_on": str(e.published_on), "related_codes": ";".join(e.related_codes or []),
            "classification": "/".join(x for x in (CLASS_ZH.get(e.class_code, e.class_code),
                                                    lib["name_zh"] if lib else e.library) if x),
            "share_zh": _zh("sharing_type", e.share_type), "open_zh": _zh("open_type", e.open_type),
            "name_en": e.name_en,
        }
        for i in items_in_scope(e, scope):
            out.append({**base,
                        "item_name_zh": i.name_zh, "item_type_zh": _zh("data_type", i.data_type),
                        "item_length": i.data_length, "item_share_zh": _zh("sharing_type", i.share_type),
                        "item_share_condition": i.share_condition,
                        "item_open_zh": OPEN_YES.get(i.open_type, i.open_type),
                        "item_open_condition": policy["conditions"]["open"][i.open_type],
                        "item_name_en": i.name_en, "item_column": i.column_name, "item_element": i.element or "",
                        "item_pii_zh": _zh("pii_class", i.pii) if i.pii != "none" else "",
                        "item_mask": i.mask or ""})
    return out


def to_csv(data: list[dict]) -> bytes:
    """UTF-8 with BOM (opens correctly in Excel), Chinese headers, guarded cells."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADERS)
    for r in data:
        w.writerow([safe_cell("" if r[k] is None else r[k]) for _, k in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(data: list[dict], sheet: str) -> bytes:
    """One sheet, header row frozen; text always written with write_string (never a formula)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h, bold)
        ws.set_column(c, c, 14 if c not in (4, 10, 13) else 40)
    for r, row in enumerate(data, start=1):
        for c, (_, k) in enumerate(COLUMNS):
            v = safe_cell(row[k])
            if v is None or v == "":
                ws.write_blank(r, c, None)
            elif isinstance(v, int | float) and not isinstance(v, bool):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(data), 1), len(HEADERS) - 1)
    wb.close()
    return buf.getvalue()


# --- DCAT-AP 3 --------------------------------------------------------------------------------

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "csvw": "http://www.w3.org/ns/csvw#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct:issued": {"@type": "xsd:date"},
    "dct:modified": {"@type": "xsd:date"},
}
XSD = {"string": "string", "integer": "integer", "decimal": "decimal", "date": "date", "timestamp": "dateTime",
       "boolean": "boolean", "geometry": "string"}


def _lang(zh: str, en: str) -> list[dict]:
    return [x for x in ({"@value": zh, "@language": "zh"} if zh else None,
                        {"@value": en, "@language": "en"} if en else None) if x]


def _agent(catalog_iri: str, provider_id: str, zh: str, en: str, code: str) -> dict:
    return {"@id": f"{catalog_iri}/publisher/{provider_id}", "@type": "foaf:Agent",
            "foaf:name": _lang(zh, en), "dct:identifier": code}


def licence() -> dict:
    """The open data licence of the policy: name, uri (Creative Commons'), eu_uri (EU licence table)."""
    return load_policy()["publication"]["licence"]


def _licence(pub: dict) -> dict:
    """The open data licence as a dct:LicenseDocument (its own URI, the EU table's, the ADMS type)."""
    lic = pub["licence"]
    return {"@id": lic["uri"], "@type": "dct:LicenseDocument", "dct:title": lic["name"],
            "skos:exactMatch": {"@id": lic["eu_uri"]}, "dct:type": {"@id": LICENCE_TYPE + "Attribution"}}


def _contact(pub: dict) -> dict:
    c = pub["contact"]
    return {"@id": f"{pub['catalog_iri']}/contact", "@type": "vcard:Organization",
            "vcard:fn": _lang(c["name_zh"], c["name_en"]), "vcard:hasEmail": {"@id": f"mailto:{c['email']}"}}


def _spatial(pub: dict) -> list[dict]:
    """The GB/T 2260 division the catalogue covers, and its country in the EU country table.

    GB/T 2260 codes have no published URIs, so the division is a dct:Location minted under the
    catalogue's IRI, carrying the code as a skos:notation typed by the code list."""
    sp, iri = pub["spatial"], pub["catalog_iri"]
    return [{"@id": f"{iri}/location/gb2260/{sp['code']}", "@type": "dct:Location",
             "skos:prefLabel": _lang(sp["name_zh"], sp["name_en"]),
             "skos:notation": {"@value": sp["code"], "@type": f"{iri}/codelist/gb2260"},
             "skos:inScheme": {"@id": f"{iri}/codelist/gb2260"}},
            {"@id": sp["country"]}]


def _subject(entry: Entry, policy: dict) -> dict:
    """dcat:theme and dcat:keyword of a dataset, from its library and class."""
    lib = _library_of(entry, policy)
    keywords = _lang(CLASS_ZH.get(entry.class_code, ""), CLASS_EN.get(entry.class_code, ""))
    if lib is None:
        return {"dcat:keyword": keywords}
    return {"dcat:theme": {"@id": DATA_THEME + lib["theme"]},
            "dcat:keyword": _lang(lib["name_zh"], lib["name_en"]) + keywords}


def _department(dept_id: str):
    from ingest import registry

    return registry.departments().get(dept_id)


def _distributions(e: Entry, pub: dict, licence: dict) -> list[dict]:
    """Parquet and CSV downloads under the licence; for a resource open on application only, the
    catalog page where one applies."""
    iri, base_url, slug = pub["catalog_iri"], pub["base_url"], f"{e.schema_name}.{e.table_name}"
    if e.open_type == "not_open" or not any(i.open_type == "unconditional" for i in e.items):
        return [{"@id": f"{iri}/dataset/{e.resource_code}/distribution/apply", "@type": "dcat:Distribution",
                 "dcat:accessURL": {"@id": f"{iri}/apply?resource={e.resource_code}"},
                 "dct:title": _lang("依申请获取", "Access on application")}]
    return [{"@id": f"{iri}/dataset/{e.resource_code}/distribution/{fmt}", "@type": "dcat:Distribution",
             "dcat:accessURL": {"@id": f"{base_url}{slug}/"},
             "dcat:downloadURL": {"@id": f"{base_url}{slug}/data.{fmt}"},
             "dct:format": {"@id": FILE_TYPE + fmt.upper()}, "dcat:mediaType": media, "dct:license": licence,
             "dct:title": _lang(f"{e.name_zh}（{fmt.upper()}）", f"{e.name_en} ({fmt.upper()})")}
            for fmt, media in (("parquet", "application/vnd.apache.parquet"), ("csv", "text/csv"))]


def to_dcat(catalog: Catalog) -> dict:
    """The open catalog as a DCAT-AP 3 JSON-LD document."""
    policy = load_policy()
    pub = policy["publication"]
    iri = pub["catalog_iri"]
    platform = policy["platform_department"]
    licence, contact, spatial = _licence(pub), _contact(pub), _spatial(pub)
    datasets = []
    for e in catalog.entries:
        if not in_scope(e, "open"):
            continue
        freq = codeset("update_cycle").get(e.update_cycle, {}).get("dcat_frequency")
        rights = codeset("open_type")[e.open_type]["dcat_access_rights"]
        open_items = items_in_scope(e, "open")
        dists = _distributions(e, pub, licence)
        ds = {
            "@id": f"{iri}/dataset/{e.resource_code}", "@type": "dcat:Dataset",
            "dct:identifier": e.resource_code,
            "dct:title": _lang(e.name_zh, e.name_en),
            "dct:description": _lang(e.summary_zh, e.summary_en),
            "dct:publisher": _agent(iri, e.provider_id, e.provider_zh, e.provider_en, e.provider_code),
            "dcat:contactPoint": contact, "dct:spatial": spatial, **_subject(e, policy),
            "dct:accessRights": {"@id": ACCESS_RIGHTS + rights},
            "dct:issued": str(e.published_on),
            "dct:modified": str(e.generated_on),
            "dcat:distribution": dists,
            "csvw:tableSchema": {"@type": "csvw:Schema", "csvw:column": [
                {"@type": "csvw:Column", "csvw:name": i.column_name, "csvw:titles": _lang(i.name_zh, i.name_en),
                 "csvw:datatype": XSD.get(i.data_type, "string"),
                 **({"csvw:length": i.data_length} if i.data_length else {})} for i in open_items]},
        }
        if freq:
            ds["dct:accrualPeriodicity"] = {"@id": freq}
        if e.related_codes:
            ds["dct:relation"] = [{"@id": f"{iri}/dataset/{c}"} for c in e.related_codes]
        datasets.append(ds)
    plat = _department(platform)
    return {
        "@context": CONTEXT,
        "@id": iri, "@type": "dcat:Catalog",
        "dct:title": _lang("德阳市公共数据开放目录", "Deyang public open data catalogue"),
        "dct:description": _lang("由 citylake 从数据湖中实际持有的数据生成的公共数据开放目录",
                                 "Open data catalogue generated by citylake from what the lake holds"),
        "dct:publisher": _agent(iri, platform, plat.name_zh if plat else platform,
                                plat.name_en if plat else platform, plat.code if plat else ""),
        "dct:modified": catalog.date or None,
        "dct:license": licence,
        "dct:spatial": spatial,
        "dcat:themeTaxonomy": {"@id": DATA_THEME.rstrip("/")},
        "dcat:dataset": datasets,
    }


def render(catalog: Catalog, scope: str, fmt: str) -> bytes:
    """The bytes of one export."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if fmt == "dcat":
        if scope != "open":
            raise ValueError("the DCAT-AP export is the open catalog: use --scope open")
        return json.dumps(to_dcat(catalog), ensure_ascii=False, indent=1).encode("utf-8")
    data = rows(catalog, scope)
    if fmt == "csv":
        return to_csv(data)
    return to_xlsx(data, "共享目录" if scope == "share" else "开放目录")


def file_name(scope: str, fmt: str) -> str:
    return f"{scope}_catalog.{'jsonld' if fmt == 'dcat' else fmt}"


def write(catalog: Catalog, scope: str, fmt: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render(catalog, scope, fmt))
    return out
