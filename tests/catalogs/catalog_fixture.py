"""A tiny lake and dbt manifest for the catalog tests (built by `build(home)`).

Seven library tables in a temp CITYLAKE_HOME: two base libraries with personal data,
two thematic tables (one record-level with a free-text item, one aggregated), one
health table with a not-shared item, and the two indicator tables. The manifest is the
minimal dict shape dbt writes (nodes, sources, depends_on, columns, meta).
"""

from __future__ import annotations

from ingest.registry import Department, Feed, Field

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(first17: str) -> str:
    """A GB 11643 ID number with its check character."""
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
N = 40
IDS = [ric(f"510603{2000 + i % 6}{1 + i % 12:02d}{1 + i % 28:02d}{100 + i:03d}") for i in range(N)]
NAMES = [SURNAMES[i % 10] + GIVEN[i % 16] for i in range(N)]
PHONES = [f"13{i % 10}{i:08d}"[:11] for i in range(N)]

ELEMENTS = {
    "id_number": {"id": "id_number", "name_zh": "公民身份号码", "name_en": "Citizen ID number", "type": "string",
                  "length": 18, "pii": "id_number"},
    "person_name": {"id": "person_name", "name_zh": "姓名", "name_en": "Name", "type": "string", "length": 50,
                    "pii": "name"},
    "phone": {"id": "phone", "name_zh": "联系电话", "name_en": "Phone number", "type": "string", "length": 20,
              "pii": "phone"},
    "sex_code": {"id": "sex_code", "name_zh": "性别代码", "name_en": "Sex code", "type": "string", "length": 1,
                 "pii": "none"},
    "birth_date": {"id": "birth_date", "name_zh": "出生日期", "name_en": "Date of birth", "type": "date",
                   "length": 8, "pii": "birth_date"},
    "township_code": {"id": "township_code", "name_zh": "乡镇街道代码", "name_en": "Township code",
                      "type": "string", "length": 9, "pii": "none"},
    "uscc": {"id": "uscc", "name_zh": "统一社会信用代码", "name_en": "Unified social credit code", "type": "string",
             "length": 18, "pii": "none"},
    "entity_name": {"id": "entity_name", "name_zh": "市场主体名称", "name_en": "Entity name", "type": "string",
                    "length": 200, "pii": "none"},
    "legal_rep_name": {"id": "legal_rep_name", "name_zh": "法定代表人姓名", "name_en": "Legal representative",
                       "type": "string", "length": 50, "pii": "name"},
    "event_id": {"id": "event_id", "name_zh": "事件编号", "name_en": "Event id", "type": "string", "length": 32,
                 "pii": "none"},
    "event_category": {"id": "event_category", "name_zh": "诉求类型", "name_en": "Event category",
                       "type": "string", "length": 10, "pii": "none"},
    "description": {"id": "description", "name_zh": "事件描述", "name_en": "Description", "type": "string",
                    "length": 2000, "pii": "none"},
    "test_result": {"id": "test_result", "name_zh": "检测结果", "name_en": "Test result", "type": "string",
                    "length": 2, "pii": "health"},
}

PSB = Department(id="psb", code="11510600008717002X", name_zh="德阳市公安局", name_en="Deyang Public Security Bureau")
SAMR = Department(id="samr", code="11510600MB1C16440W", name_zh="德阳市市场监督管理局",
                  name_en="Deyang Market Regulation Bureau")
CMC = Department(id="cmc", code="12510600MB1J98765X", name_zh="德阳市市域社会治理指挥中心",
                 name_en="Deyang Social Governance Command Centre")
HEALTH = Department(id="health", code="11510600MB1530285Q", name_zh="德阳市卫生健康委员会",
                    name_en="Deyang Health Commission")
GSB = Department(id="gsb", code="11510600MB1567891D", name_zh="德阳市政务服务和大数据管理局",
                 name_en="Deyang Government Services and Big Data Administration")


def _feed(fid, dept, name_zh, cycle, cols, sharing=None):
    return Feed(id=fid, department=dept, name_zh=name_zh, name_en=fid, format="csv", delivery="snapshot",
                update_cycle=cycle, file=f"{dept.id}/{fid}_{{date}}.csv", primary_key=(cols[0],),
                fields=tuple(Field(source=c, name=c, element=c if c in ELEMENTS else None) for c in cols),
                encoding="utf-8", sharing=sharing)


FEEDS = {f.id: f for f in (
    _feed("psb_household", PSB, "户籍人口信息", "daily",
          ["id_number", "person_name", "sex_code", "birth_date", "township_code", "phone"], sharing="conditional"),
    _feed("samr_entities", SAMR, "市场主体登记信息", "daily", ["uscc", "entity_name", "legal_rep_name", "township_code"]),
    _feed("cmc_events", CMC, "城市事件信息", "realtime", ["event_id", "event_category", "township_code", "phone",
                                                      "description"]),
    _feed("health_tests", HEALTH, "检测信息", "hourly", ["id_number", "test_result"]),
    _feed("gsb_placeholder", GSB, "平台", "monthly", ["x"]),
)}

TABLE_SQL = """
create schema if not exists base; create schema if not exists theme; create schema if not exists indicator;
create or replace table base.population as
  select unnest($ids) as id_number, unnest($names) as person_name,
         unnest($sexes) as sex_code, unnest($births)::date as birth_date,
         '510603001' as township_code, unnest($phones) as phone;
create or replace table base.legal_entity as
  select 'UC' || lpad(i::varchar, 16, '0') as uscc,
         case when i = 0 then '=HYPERLINK("http://evil.example","点我")' when i = 1 then '+cmd|'' /C calc''!A0'
              else '德阳示例企业' || i || '有限公司' end as entity_name,
         $names[i + 1] as legal_rep_name, '510603001' as township_code
  from range(10) t(i);
create or replace table theme.city_events as
  select 'E' || lpad(i::varchar, 8, '0') as event_id, ['noise', 'road', 'water'][i % 3 + 1] as event_category,
         '510603001' as township_code, $phones[i + 1] as phone,
         case when i = 0 then '来电人电话' || $phones[1] || '，反映噪音' when i = 1 then '-2+3 路灯不亮'
              else '路面破损' end as description
  from range(12) t(i);
create or replace table theme.city_events_daily as
  select DATE '2026-11-24' as event_date, event_category, township_code, count(*)::bigint as event_count
  from theme.city_events group by all;
create or replace table theme.public_health as
  select unnest($ids[1:10]) as id_number, 'N' as test_result, TIMESTAMP '2026-11-24 08:00:00' as tested_at;
create or replace table indicator.series as
  select 'IND001' as indicator_code, DATE '2026-11-01' as period, 12.5::decimal(18, 2) as value;
create or replace table indicator.indicators as
  select 'IND001' as indicator_code, '12345热线受理量' as name_zh, 'Hotline events' as name_en, '件' as unit;
"""


def _model(schema, name, description, columns, parents, meta=None):
    return f"model.citylake.{name}", {
        "resource_type": "model", "name": name, "schema": schema, "database": "lake", "alias": name,
        "description": description, "meta": meta or {}, "config": {"meta": meta or {}}, "tags": [],
        "columns": {c: {"name": c, "description": d, "data_type": None, "meta": {}} for c, d in columns},
        "depends_on": {"nodes": parents},
    }


def manifest(extra: dict | None = None) -> dict:
    src = {f"source.citylake.raw.{fid}": {"name": fid, "source_name": "raw"} for fid in FEEDS}
    nodes = dict([
        ("model.citylake.stg_psb__household", {"resource_type": "model", "name": "stg_psb__household",
                                               "schema": "staging", "depends_on": {
                                                   "nodes": ["source.citylake.raw.psb_household"]}}),
        _model("base", "population", "Population base library: one row per resident / 人口基础信息库：每位常住人口一行",
               [("id_number", "Citizen ID / 公民身份号码"), ("person_name", "Name / 姓名")],
               ["model.citylake.stg_psb__household"]),
        _model("base", "legal_entity", "Legal entities / 法人单位基础信息库",
               [("uscc", "USCC / 统一社会信用代码")], ["source.citylake.raw.samr_entities"]),
        _model("theme", "city_events", "City events / 城市事件", [("description", "Description / 事件描述")],
               ["source.citylake.raw.cmc_events", "model.citylake.population"]),
        _model("theme", "city_events_daily", "Events per day, category and township / 城市事件日汇总",
               [("event_count", "Number of events / 事件数")], ["model.citylake.city_events"]),
        _model("theme", "public_health", "Test records / 公共卫生检测记录", [],
               ["source.citylake.raw.health_tests", "model.citylake.population"]),
        _model("indicator", "series", "Indicator series / 指标序列", [], ["model.citylake.city_events_daily"]),
        _model("indicator", "indicators", "Indicator definitions / 指标定义", [], []),
    ])
    nodes.update(extra or {})
    return {"metadata": {"dbt_version": "1.11.0"}, "nodes": nodes, "sources": src}


def build(conn) -> None:
    """Create the small library tables in the lake attached to `conn`."""
    params = {
        "ids": IDS, "names": NAMES, "phones": PHONES,
        "sexes": ["1" if int(i[16]) % 2 else "2" for i in IDS],
        "births": [f"{i[6:10]}-{i[10:12]}-{i[12:14]}" for i in IDS],
    }
    for stmt in filter(str.strip, TABLE_SQL.split(";\n")):
        conn.execute(stmt, {k: v for k, v in params.items() if f"${k}" in stmt})


def shared_lake(root):  # noqa: ANN001, ANN201
    """A lake under `root` with the fixture's tables and its catalog generated once:
    yields (home, connection, catalog) — the body of the session fixtures that share it."""
    from catalogs.generate import generate
    from citylake.core.db import connect
    from citylake.core.paths import Home

    h = Home(root).ensure()
    conn = connect(h=h)
    build(conn)
    cat = generate("2026-11-24", h=h, conn=conn, manifest=manifest(), elements=ELEMENTS, feeds=FEEDS,
                   codes_file=root / "resource_codes.yml")
    yield h, conn, cat
    conn.close()
