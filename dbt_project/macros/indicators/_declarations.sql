{#- GENERATED from dbt_project/indicators/*.yml by `python dbt_project/scripts/indicators.py` — do not edit by hand. -#}
{% macro indicator_declarations() %}
{%- set declarations -%}
[
 {
  "id": "EVT001",
  "name_zh": "事件受理量",
  "name_en": "Events reported",
  "definition": "Events reported per day.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "channel",
    "event_channel"
   ],
   [
    "category",
    "event_category"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT002",
  "name_zh": "事件办结量",
  "name_en": "Events closed",
  "definition": "Events reported that day and closed.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "is_closed",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT003",
  "name_zh": "事件办结率",
  "name_en": "Event closure rate",
  "definition": "Share of the day's events that are closed.",
  "unit": "%",
  "owner": "cmc",
  "model": "city_events",
  "measure": "100.0 * avg(case when is_closed then 1 else 0 end)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT004",
  "name_zh": "平均办结时长",
  "name_en": "Mean hours to closure",
  "definition": "Mean time from report to closure of closed events.",
  "unit": "小时",
  "owner": "cmc",
  "model": "city_events",
  "measure": "avg(hours_to_close)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "channel",
    "event_channel"
   ],
   [
    "category",
    "event_category"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT005",
  "name_zh": "平均响应时长",
  "name_en": "Mean minutes to first action",
  "definition": "Mean time from report to the first routing action.",
  "unit": "分钟",
  "owner": "cmc",
  "model": "city_events",
  "measure": "avg(minutes_to_first_action)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT006",
  "name_zh": "跨部门流转事件量",
  "name_en": "Events routed across departments",
  "definition": "Events handled by more than one department.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "department_count > 1",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT007",
  "name_zh": "平均流转部门数",
  "name_en": "Departments per event",
  "definition": "Mean number of departments an event passed through.",
  "unit": "个",
  "owner": "cmc",
  "model": "city_events",
  "measure": "avg(department_count)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT008",
  "name_zh": "12345热线事件量",
  "name_en": "12345 hotline events",
  "definition": "Events received by the 12345 hotline.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "event_channel = 'hotline_12345'",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "event_category"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT009",
  "name_zh": "网格上报事件量",
  "name_en": "Grid-reported events",
  "definition": "Events reported by grid workers.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "event_channel = 'grid'",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "EVT010",
  "name_zh": "投诉类事件量",
  "name_en": "Complaints",
  "definition": "Events of category complaint.",
  "unit": "件",
  "owner": "cmc",
  "model": "city_events",
  "measure": "count(*)",
  "filter": "event_category = 'complaint'",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "channel",
    "event_channel"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV001",
  "name_zh": "政务服务办件量",
  "name_en": "Service applications",
  "definition": "Applications submitted per night.",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(application_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ],
   [
    "item",
    "service_item_code"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV002",
  "name_zh": "办结量",
  "name_en": "Applications decided",
  "definition": "Applications with a decision.",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(decided_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ],
   [
    "item",
    "service_item_code"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV003",
  "name_zh": "准予量",
  "name_en": "Applications approved",
  "definition": "Applications approved.",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(approved_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ],
   [
    "item",
    "service_item_code"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV004",
  "name_zh": "秒批量",
  "name_en": "Instant approvals",
  "definition": "Applications approved instantly (秒批).",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(instant_approval_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ],
   [
    "item",
    "service_item_code"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV005",
  "name_zh": "秒批率",
  "name_en": "Instant approval rate",
  "definition": "Instant approvals per 100 applications.",
  "unit": "%",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "100.0 * sum(instant_approval_count) / nullif(sum(application_count), 0)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ],
   [
    "item",
    "service_item_code"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV006",
  "name_zh": "准予率",
  "name_en": "Approval rate",
  "definition": "Approved per 100 decided applications.",
  "unit": "%",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "100.0 * sum(approved_count) / nullif(sum(decided_count), 0)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV007",
  "name_zh": "法人办件量",
  "name_en": "Applications by entities",
  "definition": "Applications submitted by legal entities.",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(entity_application_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV008",
  "name_zh": "个人办件量",
  "name_en": "Applications by persons",
  "definition": "Applications submitted by persons.",
  "unit": "件",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "sum(person_application_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "GOV009",
  "name_zh": "平均办理时长",
  "name_en": "Mean hours to decision",
  "definition": "Mean processing time of decided applications.",
  "unit": "小时",
  "owner": "gsb",
  "model": "gov_services",
  "measure": "avg(mean_hours_to_decision)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "department",
    "department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "LIC001",
  "name_zh": "电子证照数",
  "name_en": "Electronic licences",
  "definition": "Licences in the e-licence library.",
  "unit": "张",
  "owner": "gsb",
  "model": "e_license",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "license_type_code"
   ],
   [
    "department",
    "issuer_department_id"
   ],
   [
    "holder",
    "holder_kind"
   ]
  ],
  "total": true
 },
 {
  "id": "LIC002",
  "name_zh": "有效证照数",
  "name_en": "Valid licences",
  "definition": "Licences valid on the run date.",
  "unit": "张",
  "owner": "gsb",
  "model": "e_license",
  "measure": "count(*)",
  "filter": "is_valid_on_run_date",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "license_type_code"
   ],
   [
    "department",
    "issuer_department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "LIC003",
  "name_zh": "过期证照数",
  "name_en": "Expired licences",
  "definition": "Licences past their expiry date.",
  "unit": "张",
  "owner": "gsb",
  "model": "e_license",
  "measure": "count(*)",
  "filter": "expires_on < $run_date",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "license_type_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LIC004",
  "name_zh": "法人证照数",
  "name_en": "Licences held by entities",
  "definition": "Licences held by legal entities.",
  "unit": "张",
  "owner": "gsb",
  "model": "e_license",
  "measure": "count(*)",
  "filter": "holder_kind = 'entity'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "license_type_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LIC005",
  "name_zh": "个人证照数",
  "name_en": "Licences held by persons",
  "definition": "Licences held by persons.",
  "unit": "张",
  "owner": "gsb",
  "model": "e_license",
  "measure": "count(*)",
  "filter": "holder_kind = 'person'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "license_type_code"
   ]
  ],
  "total": true
 },
 {
  "id": "COM001",
  "name_zh": "小区数",
  "name_en": "Residential estates",
  "definition": "Residential estates in the smart community platform.",
  "unit": "个",
  "owner": "housing",
  "model": "smart_community",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "COM002",
  "name_zh": "小区居民数",
  "name_en": "Estate residents",
  "definition": "Residents registered in estates.",
  "unit": "人",
  "owner": "housing",
  "model": "smart_community",
  "measure": "sum(resident_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "COM003",
  "name_zh": "小区户数",
  "name_en": "Estate households",
  "definition": "Households of the estates.",
  "unit": "户",
  "owner": "housing",
  "model": "smart_community",
  "measure": "sum(household_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "COM004",
  "name_zh": "小区老年居民数",
  "name_en": "Elderly estate residents",
  "definition": "Estate residents aged 60 or more.",
  "unit": "人",
  "owner": "housing",
  "model": "smart_community",
  "measure": "sum(elderly_resident_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "COM005",
  "name_zh": "小区通行人次",
  "name_en": "Estate passages",
  "definition": "Passages through estate gates per night.",
  "unit": "人次",
  "owner": "housing",
  "model": "smart_community__daily_passages",
  "measure": "sum(passage_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "estate",
    "estate_id"
   ]
  ],
  "total": true
 },
 {
  "id": "COM006",
  "name_zh": "进入人次",
  "name_en": "Passages in",
  "definition": "Inbound passages per night.",
  "unit": "人次",
  "owner": "housing",
  "model": "smart_community__daily_passages",
  "measure": "sum(in_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "estate",
    "estate_id"
   ]
  ],
  "total": true
 },
 {
  "id": "COM007",
  "name_zh": "人脸识别通行人次",
  "name_en": "Face-recognition passages",
  "definition": "Passages by face recognition per night.",
  "unit": "人次",
  "owner": "housing",
  "model": "smart_community__daily_passages",
  "measure": "sum(face_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "estate",
    "estate_id"
   ]
  ],
  "total": true
 },
 {
  "id": "COM008",
  "name_zh": "通行人数",
  "name_en": "Persons passing",
  "definition": "Distinct persons passing per estate and night.",
  "unit": "人",
  "owner": "housing",
  "model": "smart_community__daily_passages",
  "measure": "sum(person_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "estate",
    "estate_id"
   ]
  ],
  "total": true
 },
 {
  "id": "IOT001",
  "name_zh": "感知设备数",
  "name_en": "Sensors and cameras",
  "definition": "Registered sensors and cameras.",
  "unit": "个",
  "owner": "bdc",
  "model": "iot_sensing",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "sensor_type"
   ],
   [
    "department",
    "department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "IOT002",
  "name_zh": "视频监控数",
  "name_en": "Video cameras",
  "definition": "Registered video cameras.",
  "unit": "个",
  "owner": "bdc",
  "model": "iot_sensing",
  "measure": "count(*)",
  "filter": "sensor_type = 'video'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "IOT003",
  "name_zh": "环境感知设备数",
  "name_en": "Environmental sensors",
  "definition": "Air",
  "unit": "个",
  "owner": "bdc",
  "model": "iot_sensing",
  "measure": "count(*)",
  "filter": "sensor_type in ('air', 'water_level', 'noise')",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "IOT004",
  "name_zh": "本年新装设备数",
  "name_en": "Sensors installed this year",
  "definition": "Sensors installed in the run date's year.",
  "unit": "个",
  "owner": "bdc",
  "model": "iot_sensing",
  "measure": "count(*)",
  "filter": "extract(year from installed_on) = extract(year from $run_date)",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "sensor_type"
   ]
  ],
  "total": true
 },
 {
  "id": "URB001",
  "name_zh": "城管案件量",
  "name_en": "City management cases",
  "definition": "Cases reported per day.",
  "unit": "件",
  "owner": "urban",
  "model": "urban_management",
  "measure": "count(*)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "case_type"
   ]
  ],
  "total": true
 },
 {
  "id": "URB002",
  "name_zh": "城管结案量",
  "name_en": "Cases closed",
  "definition": "Cases reported that day and closed.",
  "unit": "件",
  "owner": "urban",
  "model": "urban_management",
  "measure": "count(*)",
  "filter": "is_closed",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "case_type"
   ]
  ],
  "total": true
 },
 {
  "id": "URB003",
  "name_zh": "平均结案时长",
  "name_en": "Mean hours to case closure",
  "definition": "Mean time from report to closure.",
  "unit": "小时",
  "owner": "urban",
  "model": "urban_management",
  "measure": "avg(hours_to_close)",
  "filter": "",
  "grain": "day",
  "time": "reported_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "case_type"
   ]
  ],
  "total": true
 },
 {
  "id": "EMG001",
  "name_zh": "突发事件数",
  "name_en": "Emergency incidents",
  "definition": "Incidents per day.",
  "unit": "起",
  "owner": "emergency",
  "model": "emergency",
  "measure": "count(*)",
  "filter": "",
  "grain": "day",
  "time": "occurred_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "incident_type"
   ]
  ],
  "total": true
 },
 {
  "id": "EMG002",
  "name_zh": "伤亡人数",
  "name_en": "Casualties",
  "definition": "Casualties of incidents.",
  "unit": "人",
  "owner": "emergency",
  "model": "emergency",
  "measure": "sum(casualties)",
  "filter": "",
  "grain": "day",
  "time": "occurred_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "incident_type"
   ]
  ],
  "total": true
 },
 {
  "id": "EMG003",
  "name_zh": "直接经济损失",
  "name_en": "Direct economic loss",
  "definition": "Direct economic loss of incidents.",
  "unit": "元",
  "owner": "emergency",
  "model": "emergency",
  "measure": "sum(economic_loss_cny)",
  "filter": "",
  "grain": "day",
  "time": "occurred_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "incident_type"
   ]
  ],
  "total": true
 },
 {
  "id": "EMG004",
  "name_zh": "平均处置时长",
  "name_en": "Mean hours to handle",
  "definition": "Mean time from occurrence to completed handling.",
  "unit": "小时",
  "owner": "emergency",
  "model": "emergency",
  "measure": "avg(hours_to_handle)",
  "filter": "",
  "grain": "day",
  "time": "occurred_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "incident_type"
   ]
  ],
  "total": true
 },
 {
  "id": "TRN001",
  "name_zh": "公交客运量",
  "name_en": "Bus boardings",
  "definition": "Bus boardings per night.",
  "unit": "人次",
  "owner": "transport",
  "model": "transport",
  "measure": "sum(boarding_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "line",
    "bus_line_code"
   ],
   [
    "category",
    "card_type"
   ]
  ],
  "total": true
 },
 {
  "id": "TRN002",
  "name_zh": "老年卡乘车人次",
  "name_en": "Senior-card boardings",
  "definition": "Boardings with a senior card.",
  "unit": "人次",
  "owner": "transport",
  "model": "transport",
  "measure": "sum(boarding_count)",
  "filter": "card_type = 'senior'",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "line",
    "bus_line_code"
   ]
  ],
  "total": true
 },
 {
  "id": "TRN003",
  "name_zh": "学生卡乘车人次",
  "name_en": "Student-card boardings",
  "definition": "Boardings with a student card.",
  "unit": "人次",
  "owner": "transport",
  "model": "transport",
  "measure": "sum(boarding_count)",
  "filter": "card_type = 'student'",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "line",
    "bus_line_code"
   ]
  ],
  "total": true
 },
 {
  "id": "TOU001",
  "name_zh": "景区接待人次",
  "name_en": "Scenic spot visitors",
  "definition": "Visitors per scenic spot and day.",
  "unit": "人次",
  "owner": "culture",
  "model": "culture_tourism",
  "measure": "sum(visitor_count)",
  "filter": "",
  "grain": "day",
  "time": "visit_date",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "spot",
    "scenic_spot_id"
   ]
  ],
  "total": true
 },
 {
  "id": "TOU002",
  "name_zh": "门票收入",
  "name_en": "Ticket revenue",
  "definition": "Ticket revenue per day.",
  "unit": "元",
  "owner": "culture",
  "model": "culture_tourism",
  "measure": "sum(revenue_cny)",
  "filter": "",
  "grain": "day",
  "time": "visit_date",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "spot",
    "scenic_spot_id"
   ]
  ],
  "total": true
 },
 {
  "id": "TOU003",
  "name_zh": "人均门票收入",
  "name_en": "Revenue per visitor",
  "definition": "Ticket revenue per visitor.",
  "unit": "元",
  "owner": "culture",
  "model": "culture_tourism",
  "measure": "sum(revenue_cny) / nullif(sum(visitor_count), 0)",
  "filter": "",
  "grain": "day",
  "time": "visit_date",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "spot",
    "scenic_spot_id"
   ]
  ],
  "total": true
 },
 {
  "id": "ECO001",
  "name_zh": "平均空气质量指数",
  "name_en": "Mean AQI",
  "definition": "Mean air quality index.",
  "unit": "AQI",
  "owner": "ecology",
  "model": "ecology_water",
  "measure": "avg(mean_aqi)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "ECO002",
  "name_zh": "最大空气质量指数",
  "name_en": "Maximum AQI",
  "definition": "Maximum hourly air quality index.",
  "unit": "AQI",
  "owner": "ecology",
  "model": "ecology_water",
  "measure": "max(max_aqi)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "ECO003",
  "name_zh": "污染小时数",
  "name_en": "Polluted hours (AQI > 100)",
  "definition": "Hourly observations with AQI above 100.",
  "unit": "小时",
  "owner": "ecology",
  "model": "ecology_water",
  "measure": "sum(polluted_hour_count)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ECO004",
  "name_zh": "PM2.5平均浓度",
  "name_en": "Mean PM2.5",
  "definition": "Mean PM2.5 concentration.",
  "unit": "μg/m³",
  "owner": "ecology",
  "model": "ecology_water",
  "measure": "avg(mean_pm25)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "ECO005",
  "name_zh": "PM10平均浓度",
  "name_en": "Mean PM10",
  "definition": "Mean PM10 concentration.",
  "unit": "μg/m³",
  "owner": "ecology",
  "model": "ecology_water",
  "measure": "avg(mean_pm10)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "WAT001",
  "name_zh": "最高水位",
  "name_en": "Maximum river level",
  "definition": "Highest water level observed per station and day.",
  "unit": "米",
  "owner": "water",
  "model": "ecology_water__river_levels",
  "measure": "max(max_water_level_m)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "WAT002",
  "name_zh": "超警戒水位次数",
  "name_en": "Readings above warning level",
  "definition": "Observations at or above the warning level.",
  "unit": "次",
  "owner": "water",
  "model": "ecology_water__river_levels",
  "measure": "sum(above_warning_count)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "WAT003",
  "name_zh": "水位观测次数",
  "name_en": "River level observations",
  "definition": "River level observations received.",
  "unit": "次",
  "owner": "water",
  "model": "ecology_water__river_levels",
  "measure": "sum(observation_count)",
  "filter": "",
  "grain": "day",
  "time": "observed_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "station",
    "station_id"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT001",
  "name_zh": "市场主体数",
  "name_en": "Legal entities",
  "definition": "Registered legal entities (market entities and social organisations).",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT002",
  "name_zh": "存续市场主体数",
  "name_en": "Active market entities",
  "definition": "Market entities whose registration status is active.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "registration_status = 'active'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT003",
  "name_zh": "个体工商户数",
  "name_en": "Individual businesses",
  "definition": "Registered individual businesses (个体工商户).",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "is_individual_business",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT004",
  "name_zh": "企业数",
  "name_en": "Enterprises",
  "definition": "Registered enterprises (market entities other than individual businesses).",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "registration_department = 'samr' and not is_individual_business",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT005",
  "name_zh": "公司数",
  "name_en": "Companies",
  "definition": "Limited liability companies and companies limited by shares.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "entity_type in ('1100', '1200')",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT006",
  "name_zh": "农民专业合作社数",
  "name_en": "Farmers' cooperatives",
  "definition": "Registered farmers' specialised cooperatives.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "entity_type = '9100'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT007",
  "name_zh": "外商投资企业数",
  "name_en": "Foreign-invested enterprises",
  "definition": "Registered foreign-invested enterprises.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "entity_type = '5100'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT008",
  "name_zh": "社会组织数",
  "name_en": "Social organisations",
  "definition": "Social organisations registered with Civil Affairs.",
  "unit": "个",
  "owner": "civil",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "registration_department = 'civil'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT009",
  "name_zh": "注册资本总额",
  "name_en": "Registered capital",
  "definition": "Sum of registered capital of market entities.",
  "unit": "万元",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "sum(registered_capital)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT010",
  "name_zh": "户均注册资本",
  "name_en": "Mean registered capital",
  "definition": "Mean registered capital of market entities.",
  "unit": "万元",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "avg(registered_capital)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT011",
  "name_zh": "本年新设市场主体数",
  "name_en": "Entities established this year",
  "definition": "Entities established in the calendar year of the run date.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "extract(year from established_on) = extract(year from $run_date)",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT012",
  "name_zh": "正常纳税户数",
  "name_en": "Taxpayers in normal status",
  "definition": "Legal entities whose tax status is normal.",
  "unit": "户",
  "owner": "tax",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "tax_status = 'normal'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT013",
  "name_zh": "非正常户数",
  "name_en": "Abnormal taxpayers",
  "definition": "Legal entities whose tax status is abnormal (unreachable).",
  "unit": "户",
  "owner": "tax",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "tax_status = 'abnormal'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT014",
  "name_zh": "A级纳税人数",
  "name_en": "Grade-A taxpayers",
  "definition": "Legal entities with tax credit grade A.",
  "unit": "户",
  "owner": "tax",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "tax_credit_grade = 'A'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT015",
  "name_zh": "吊销注销市场主体数",
  "name_en": "Revoked or deregistered entities",
  "definition": "Market entities revoked or deregistered.",
  "unit": "户",
  "owner": "samr",
  "model": "legal_entity",
  "measure": "count(*)",
  "filter": "registration_status in ('revoked', 'cancelled')",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT016",
  "name_zh": "失信主体数",
  "name_en": "Blacklisted entities",
  "definition": "Entities on the dishonesty black list.",
  "unit": "户",
  "owner": "ndrc",
  "model": "enterprise_services",
  "measure": "count(*)",
  "filter": "credit_status = 'black_list'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT017",
  "name_zh": "受处罚主体数",
  "name_en": "Penalised entities",
  "definition": "Entities with an administrative penalty and not blacklisted.",
  "unit": "户",
  "owner": "ndrc",
  "model": "enterprise_services",
  "measure": "count(*)",
  "filter": "credit_status = 'penalised'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT018",
  "name_zh": "守信红名单主体数",
  "name_en": "Red-listed entities",
  "definition": "Entities on the red list.",
  "unit": "户",
  "owner": "ndrc",
  "model": "enterprise_services",
  "measure": "count(*)",
  "filter": "credit_status = 'red_list'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT019",
  "name_zh": "获惠企政策兑现主体数",
  "name_en": "Entities receiving subsidies",
  "definition": "Entities that received at least one policy disbursement.",
  "unit": "户",
  "owner": "econ",
  "model": "enterprise_services",
  "measure": "count(*)",
  "filter": "subsidy_count > 0",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT020",
  "name_zh": "惠企政策兑现金额",
  "name_en": "Subsidies received",
  "definition": "Policy subsidies received by entities (all nights).",
  "unit": "元",
  "owner": "econ",
  "model": "enterprise_services",
  "measure": "sum(subsidy_amount_cny)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT021",
  "name_zh": "企业从业人员数",
  "name_en": "Employees",
  "definition": "Persons in employment registered with an employer.",
  "unit": "人",
  "owner": "hrss",
  "model": "enterprise_services",
  "measure": "sum(employee_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT022",
  "name_zh": "本年累计缴税",
  "name_en": "Tax paid year to date",
  "definition": "Tax paid by entities in the year to date.",
  "unit": "元",
  "owner": "tax",
  "model": "enterprise_services",
  "measure": "sum(tax_paid_ytd_cny)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT023",
  "name_zh": "户均从业人员",
  "name_en": "Employees per entity",
  "definition": "Mean registered employees per entity.",
  "unit": "人",
  "owner": "hrss",
  "model": "enterprise_services",
  "measure": "avg(employee_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT024",
  "name_zh": "政策兑现笔数",
  "name_en": "Subsidy disbursements",
  "definition": "Policy disbursements delivered per night.",
  "unit": "笔",
  "owner": "econ",
  "model": "enterprise_services__subsidies",
  "measure": "sum(disbursement_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "industry",
    "industry_section"
   ],
   [
    "category",
    "policy_name"
   ]
  ],
  "total": true
 },
 {
  "id": "ENT025",
  "name_zh": "政策兑现金额（日）",
  "name_en": "Subsidies disbursed",
  "definition": "Amount of policy disbursements per night.",
  "unit": "元",
  "owner": "econ",
  "model": "enterprise_services__subsidies",
  "measure": "sum(amount_cny)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "industry",
    "industry_section"
   ],
   [
    "category",
    "policy_name"
   ]
  ],
  "total": true
 },
 {
  "id": "CRD001",
  "name_zh": "信用记录数",
  "name_en": "Credit records",
  "definition": "Credit decisions per month.",
  "unit": "条",
  "owner": "ndrc",
  "model": "social_credit__records",
  "measure": "count(*)",
  "filter": "",
  "grain": "month",
  "time": "decided_on",
  "dimensions": [
   [
    "category",
    "credit_record_type"
   ],
   [
    "department",
    "authority_department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "CRD002",
  "name_zh": "行政处罚数",
  "name_en": "Administrative penalties",
  "definition": "Administrative penalties per month.",
  "unit": "条",
  "owner": "ndrc",
  "model": "social_credit__records",
  "measure": "count(*)",
  "filter": "credit_record_type = 'penalty'",
  "grain": "month",
  "time": "decided_on",
  "dimensions": [
   [
    "department",
    "authority_department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "CRD003",
  "name_zh": "行政许可数",
  "name_en": "Administrative licences",
  "definition": "Administrative licence decisions per month.",
  "unit": "条",
  "owner": "ndrc",
  "model": "social_credit__records",
  "measure": "count(*)",
  "filter": "credit_record_type = 'license'",
  "grain": "month",
  "time": "decided_on",
  "dimensions": [
   [
    "department",
    "authority_department_id"
   ]
  ],
  "total": true
 },
 {
  "id": "CRD004",
  "name_zh": "信用主体数",
  "name_en": "Credit subjects",
  "definition": "Subjects with at least one credit record.",
  "unit": "户",
  "owner": "ndrc",
  "model": "social_credit",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "category",
    "credit_status"
   ]
  ],
  "total": true
 },
 {
  "id": "MAC001",
  "name_zh": "宏观经济指标值",
  "name_en": "Macro-economic indicator value",
  "definition": "Published value of each statistical indicator per division and month (unit per the Statistics Bureau).",
  "unit": "按指标",
  "owner": "stats",
  "model": "macro_economy",
  "measure": "sum(value)",
  "filter": "",
  "grain": "month",
  "time": "period",
  "dimensions": [
   [
    "series",
    "stat_indicator_code || '@' || division_code"
   ]
  ],
  "total": false
 },
 {
  "id": "MAC002",
  "name_zh": "宏观经济数据条数",
  "name_en": "Macro-economic observations",
  "definition": "Observations published per month.",
  "unit": "条",
  "owner": "stats",
  "model": "macro_economy",
  "measure": "count(*)",
  "filter": "",
  "grain": "month",
  "time": "period",
  "dimensions": [
   [
    "division",
    "division_code"
   ],
   [
    "category",
    "stat_indicator_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND001",
  "name_zh": "宗地数",
  "name_en": "Land parcels",
  "definition": "Parcels in the cadastre.",
  "unit": "宗",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "land_use",
    "land_use_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND002",
  "name_zh": "土地面积",
  "name_en": "Land area",
  "definition": "Area of parcels in hectares.",
  "unit": "公顷",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "sum(area_sqm) / 10000.0",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "land_use",
    "land_use_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND003",
  "name_zh": "住宅用地面积",
  "name_en": "Residential land area",
  "definition": "Area of residential parcels.",
  "unit": "公顷",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "sum(area_sqm) / 10000.0",
  "filter": "land_use_code = '07'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND004",
  "name_zh": "商服用地面积",
  "name_en": "Commercial land area",
  "definition": "Area of commercial and service parcels.",
  "unit": "公顷",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "sum(area_sqm) / 10000.0",
  "filter": "land_use_code = '05'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND005",
  "name_zh": "工矿仓储用地面积",
  "name_en": "Industrial land area",
  "definition": "Area of industrial and storage parcels.",
  "unit": "公顷",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "sum(area_sqm) / 10000.0",
  "filter": "land_use_code = '06'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND006",
  "name_zh": "耕地面积",
  "name_en": "Cropland area",
  "definition": "Area of cropland parcels.",
  "unit": "公顷",
  "owner": "nrp",
  "model": "spatial_geography",
  "measure": "sum(area_sqm) / 10000.0",
  "filter": "land_use_code = '01'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND007",
  "name_zh": "网格数",
  "name_en": "Grid cells",
  "definition": "Grid cells of the city grid management.",
  "unit": "个",
  "owner": "nrp",
  "model": "spatial_geography__grid_cells",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "LND008",
  "name_zh": "网格平均地址数",
  "name_en": "Addresses per grid cell",
  "definition": "Mean number of standard addresses located in a grid cell.",
  "unit": "个",
  "owner": "nrp",
  "model": "spatial_geography__grid_cells",
  "measure": "avg(address_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "RE001",
  "name_zh": "不动产登记数",
  "name_en": "Real estate registrations",
  "definition": "Property titles registered per month.",
  "unit": "件",
  "owner": "nrp",
  "model": "real_estate",
  "measure": "count(*)",
  "filter": "",
  "grain": "month",
  "time": "registered_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "property_use"
   ]
  ],
  "total": true
 },
 {
  "id": "RE002",
  "name_zh": "登记建筑面积",
  "name_en": "Registered floor area",
  "definition": "Floor area of titles registered per month.",
  "unit": "平方米",
  "owner": "nrp",
  "model": "real_estate",
  "measure": "sum(floor_area_sqm)",
  "filter": "",
  "grain": "month",
  "time": "registered_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "property_use"
   ]
  ],
  "total": true
 },
 {
  "id": "RE003",
  "name_zh": "套均建筑面积",
  "name_en": "Mean floor area per title",
  "definition": "Mean floor area of registered titles.",
  "unit": "平方米",
  "owner": "nrp",
  "model": "real_estate",
  "measure": "avg(floor_area_sqm)",
  "filter": "",
  "grain": "month",
  "time": "registered_on",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "property_use"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR001",
  "name_zh": "标准地址数",
  "name_en": "Standard addresses",
  "definition": "House numbers and standard place names.",
  "unit": "个",
  "owner": "civil",
  "model": "address",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "kind",
    "address_kind"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR002",
  "name_zh": "门牌数",
  "name_en": "House numbers",
  "definition": "House numbers (door plates).",
  "unit": "个",
  "owner": "psb",
  "model": "address",
  "measure": "count(*)",
  "filter": "address_kind = 'house_number'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR003",
  "name_zh": "标准地名数",
  "name_en": "Standard place names",
  "definition": "Standard place names.",
  "unit": "个",
  "owner": "civil",
  "model": "address",
  "measure": "count(*)",
  "filter": "address_kind = 'place_name'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR004",
  "name_zh": "已落图地址数",
  "name_en": "Addresses located in a grid cell",
  "definition": "Addresses whose point lies in a grid cell.",
  "unit": "个",
  "owner": "nrp",
  "model": "address",
  "measure": "count(*)",
  "filter": "grid_id is not null",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR005",
  "name_zh": "地址乡镇不一致数",
  "name_en": "Addresses outside their declared township",
  "definition": "Addresses whose point lies outside the township they declare.",
  "unit": "个",
  "owner": "psb",
  "model": "address",
  "measure": "count(*)",
  "filter": "not is_township_consistent",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "ADR006",
  "name_zh": "地址落图率",
  "name_en": "Address location rate",
  "definition": "Share of addresses located in a grid cell.",
  "unit": "%",
  "owner": "nrp",
  "model": "address",
  "measure": "100.0 * avg(case when grid_id is not null then 1 else 0 end)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP001",
  "name_zh": "户籍人口数",
  "name_en": "Registered population",
  "definition": "Living persons in the household register on the run date.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP002",
  "name_zh": "男性人口数",
  "name_en": "Male population",
  "definition": "Living registered males.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and sex_code = '1'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ]
  ],
  "total": true
 },
 {
  "id": "POP003",
  "name_zh": "女性人口数",
  "name_en": "Female population",
  "definition": "Living registered females.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and sex_code = '2'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ]
  ],
  "total": true
 },
 {
  "id": "POP004",
  "name_zh": "60岁及以上人口数",
  "name_en": "Population aged 60 and over",
  "definition": "Living registered persons aged 60 or more.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and age >= 60",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP005",
  "name_zh": "80岁及以上人口数",
  "name_en": "Population aged 80 and over",
  "definition": "Living registered persons aged 80 or more.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and age >= 80",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP006",
  "name_zh": "未成年人口数",
  "name_en": "Population under 18",
  "definition": "Living registered persons under 18.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and age < 18",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP007",
  "name_zh": "劳动年龄人口数",
  "name_en": "Working-age population (16-59)",
  "definition": "Living registered persons aged 16 to 59.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and age between 16 and 59",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP008",
  "name_zh": "平均年龄",
  "name_en": "Mean age",
  "definition": "Mean age of living registered persons.",
  "unit": "岁",
  "owner": "psb",
  "model": "population",
  "measure": "avg(age)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP009",
  "name_zh": "户数",
  "name_en": "Households",
  "definition": "Distinct household register numbers.",
  "unit": "户",
  "owner": "psb",
  "model": "population",
  "measure": "count(distinct household_id)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP010",
  "name_zh": "已婚人口数",
  "name_en": "Married population",
  "definition": "Living registered persons whose current marital status is married.",
  "unit": "人",
  "owner": "civil",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and marital_status_code in ('20', '21', '22', '23')",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP011",
  "name_zh": "离婚人口数",
  "name_en": "Divorced population",
  "definition": "Living registered persons whose current marital status is divorced.",
  "unit": "人",
  "owner": "civil",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and marital_status_code = '40'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP012",
  "name_zh": "丧偶人口数",
  "name_en": "Widowed population",
  "definition": "Living registered persons whose current marital status is widowed.",
  "unit": "人",
  "owner": "civil",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and marital_status_code = '30'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP013",
  "name_zh": "未婚人口数",
  "name_en": "Never-married population",
  "definition": "Living registered persons registered as never married.",
  "unit": "人",
  "owner": "civil",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and marital_status_code = '10'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP014",
  "name_zh": "养老保险参保人数",
  "name_en": "Persons with pension insurance",
  "definition": "Living registered persons contributing to a basic pension insurance.",
  "unit": "人",
  "owner": "hrss",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and has_pension_insurance",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP015",
  "name_zh": "社会保险参保人数",
  "name_en": "Persons with any social insurance",
  "definition": "Living registered persons with at least one contributing insurance.",
  "unit": "人",
  "owner": "hrss",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and active_insurance_count > 0",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP016",
  "name_zh": "养老保险覆盖率",
  "name_en": "Pension insurance coverage rate",
  "definition": "Share of living registered persons aged 16+ with pension insurance.",
  "unit": "%",
  "owner": "hrss",
  "model": "population",
  "measure": "100.0 * avg(case when has_pension_insurance then 1 else 0 end)",
  "filter": "not is_deceased and age >= 16",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP017",
  "name_zh": "死亡登记人数",
  "name_en": "Registered deaths",
  "definition": "Registered persons with a death certificate.",
  "unit": "人",
  "owner": "health",
  "model": "population",
  "measure": "count(*)",
  "filter": "is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP018",
  "name_zh": "留有手机号人口数",
  "name_en": "Population with a valid phone",
  "definition": "Living registered persons with a normalised phone number.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and phone is not null",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP019",
  "name_zh": "高等教育人口数",
  "name_en": "Population with higher education",
  "definition": "Living registered persons with postgraduate",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and substr(education_code, 1, 1) in ('1', '2', '3')",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP020",
  "name_zh": "少数民族人口数",
  "name_en": "Ethnic minority population",
  "definition": "Living registered persons of an ethnic group other than Han.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and ethnic_code <> '01'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP021",
  "name_zh": "性别比",
  "name_en": "Sex ratio (males per 100 females)",
  "definition": "Living registered males per 100 females.",
  "unit": "男/百女",
  "owner": "psb",
  "model": "population",
  "measure": "100.0 * sum(case when sex_code = '1' then 1 else 0 end) / nullif(sum(case when sex_code = '2' then 1 else 0 end), 0)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "age_band",
    "age_band"
   ]
  ],
  "total": true
 },
 {
  "id": "POP022",
  "name_zh": "户主人数",
  "name_en": "Heads of household",
  "definition": "Living registered heads of household.",
  "unit": "人",
  "owner": "psb",
  "model": "population",
  "measure": "count(*)",
  "filter": "not is_deceased and relation_to_head = '01'",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP023",
  "name_zh": "老龄化率",
  "name_en": "Ageing rate (60+ share)",
  "definition": "Share of living registered persons aged 60 or more.",
  "unit": "%",
  "owner": "psb",
  "model": "population",
  "measure": "100.0 * avg(case when age >= 60 then 1 else 0 end)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "sex",
    "sex_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP024",
  "name_zh": "少儿抚养比",
  "name_en": "Child dependency ratio",
  "definition": "Persons under 15 per 100 persons aged 15-64.",
  "unit": "%",
  "owner": "psb",
  "model": "population",
  "measure": "100.0 * sum(case when age < 15 then 1 else 0 end) / nullif(sum(case when age between 15 and 64 then 1 else 0 end), 0)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP025",
  "name_zh": "老年抚养比",
  "name_en": "Old-age dependency ratio",
  "definition": "Persons aged 65+ per 100 persons aged 15-64.",
  "unit": "%",
  "owner": "psb",
  "model": "population",
  "measure": "100.0 * sum(case when age >= 65 then 1 else 0 end) / nullif(sum(case when age between 15 and 64 then 1 else 0 end), 0)",
  "filter": "not is_deceased",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "POP026",
  "name_zh": "户籍变动人次",
  "name_en": "Domicile and marital changes",
  "definition": "Periods opened in the population history (domicile or marital status changes) per month.",
  "unit": "次",
  "owner": "psb",
  "model": "population_history",
  "measure": "count(*)",
  "filter": "valid_from is not null",
  "grain": "month",
  "time": "valid_from",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV001",
  "name_zh": "救助补贴人数",
  "name_en": "Subsidy recipients",
  "definition": "Persons receiving a civil affairs subsidy in the month.",
  "unit": "人",
  "owner": "civil",
  "model": "civil_affairs",
  "measure": "sum(recipient_count)",
  "filter": "",
  "grain": "month",
  "time": "pay_month",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "subsidy_type"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV002",
  "name_zh": "救助补贴金额",
  "name_en": "Subsidy amount",
  "definition": "Civil affairs subsidies paid in the month.",
  "unit": "元",
  "owner": "civil",
  "model": "civil_affairs",
  "measure": "sum(amount_cny)",
  "filter": "",
  "grain": "month",
  "time": "pay_month",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "subsidy_type"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV003",
  "name_zh": "救助补贴笔数",
  "name_en": "Subsidy payments",
  "definition": "Civil affairs subsidy payments in the month.",
  "unit": "笔",
  "owner": "civil",
  "model": "civil_affairs",
  "measure": "sum(payment_count)",
  "filter": "",
  "grain": "month",
  "time": "pay_month",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "subsidy_type"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV004",
  "name_zh": "80岁以上受助人数",
  "name_en": "Subsidy recipients aged 80+",
  "definition": "Subsidy recipients aged 80 or more.",
  "unit": "人",
  "owner": "civil",
  "model": "civil_affairs",
  "measure": "sum(recipient_80plus_count)",
  "filter": "",
  "grain": "month",
  "time": "pay_month",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "subsidy_type"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV005",
  "name_zh": "高龄津贴覆盖率",
  "name_en": "Old-age allowance coverage (80+)",
  "definition": "Old-age allowance recipients per 100 residents aged 80+.",
  "unit": "%",
  "owner": "civil",
  "model": "civil_affairs__elderly",
  "measure": "100.0 * sum(old_age_allowance_count) / nullif(sum(aged_80_plus_count), 0)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "CIV006",
  "name_zh": "高龄津贴领取人数",
  "name_en": "Old-age allowance recipients",
  "definition": "Living residents receiving an old-age allowance.",
  "unit": "人",
  "owner": "civil",
  "model": "civil_affairs__elderly",
  "measure": "sum(old_age_allowance_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "SS001",
  "name_zh": "参保人数",
  "name_en": "Insured persons",
  "definition": "Persons enrolled in a social insurance.",
  "unit": "人",
  "owner": "hrss",
  "model": "social_security",
  "measure": "sum(insured_person_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "insurance_type"
   ]
  ],
  "total": true
 },
 {
  "id": "SS002",
  "name_zh": "缴费人数",
  "name_en": "Contributing persons",
  "definition": "Insured persons currently contributing.",
  "unit": "人",
  "owner": "hrss",
  "model": "social_security",
  "measure": "sum(contributing_person_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "insurance_type"
   ]
  ],
  "total": true
 },
 {
  "id": "SS003",
  "name_zh": "就业登记数",
  "name_en": "Employment registrations",
  "definition": "Employment registrations delivered per night.",
  "unit": "件",
  "owner": "hrss",
  "model": "social_security__employment",
  "measure": "sum(registration_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "industry",
    "industry_section"
   ],
   [
    "category",
    "employment_status"
   ]
  ],
  "total": true
 },
 {
  "id": "SS004",
  "name_zh": "新增就业人数",
  "name_en": "Newly employed persons",
  "definition": "Persons registered as employed per night.",
  "unit": "人",
  "owner": "hrss",
  "model": "social_security__employment",
  "measure": "sum(person_count)",
  "filter": "employment_status = 'employed'",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "SS005",
  "name_zh": "失业登记人数",
  "name_en": "Registered unemployed",
  "definition": "Persons registered as unemployed per night.",
  "unit": "人",
  "owner": "hrss",
  "model": "social_security__employment",
  "measure": "sum(person_count)",
  "filter": "employment_status = 'unemployed'",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "industry",
    "industry_section"
   ]
  ],
  "total": true
 },
 {
  "id": "EDU001",
  "name_zh": "学校数",
  "name_en": "Schools",
  "definition": "Schools with enrolled students.",
  "unit": "所",
  "owner": "edu",
  "model": "education",
  "measure": "count(*)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "school_stage"
   ]
  ],
  "total": true
 },
 {
  "id": "EDU002",
  "name_zh": "在校学生数",
  "name_en": "Enrolled students",
  "definition": "Students enrolled on the run date.",
  "unit": "人",
  "owner": "edu",
  "model": "education",
  "measure": "sum(student_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "school_stage"
   ]
  ],
  "total": true
 },
 {
  "id": "EDU003",
  "name_zh": "户籍在校生数",
  "name_en": "Enrolled students with local household registration",
  "definition": "Enrolled students found in the population library.",
  "unit": "人",
  "owner": "edu",
  "model": "education",
  "measure": "sum(registered_student_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "school_stage"
   ]
  ],
  "total": true
 },
 {
  "id": "EDU004",
  "name_zh": "校均学生数",
  "name_en": "Students per school",
  "definition": "Mean enrolment per school.",
  "unit": "人",
  "owner": "edu",
  "model": "education",
  "measure": "avg(student_count)",
  "filter": "",
  "grain": "snapshot",
  "time": "",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "school_stage"
   ]
  ],
  "total": true
 },
 {
  "id": "HC001",
  "name_zh": "门诊就诊人次",
  "name_en": "Hospital visits",
  "definition": "Hospital visits delivered per night.",
  "unit": "人次",
  "owner": "health",
  "model": "healthcare",
  "measure": "sum(visit_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "hospital",
    "hospital_name"
   ],
   [
    "department",
    "clinical_department"
   ]
  ],
  "total": true
 },
 {
  "id": "HC002",
  "name_zh": "就诊患者数",
  "name_en": "Patients",
  "definition": "Distinct patients per hospital and night.",
  "unit": "人",
  "owner": "health",
  "model": "healthcare",
  "measure": "sum(patient_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "hospital",
    "hospital_name"
   ]
  ],
  "total": true
 },
 {
  "id": "HC003",
  "name_zh": "医疗费用",
  "name_en": "Medical fees",
  "definition": "Fees of the night's hospital visits.",
  "unit": "元",
  "owner": "health",
  "model": "healthcare",
  "measure": "sum(fee_amount_cny)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "hospital",
    "hospital_name"
   ],
   [
    "department",
    "clinical_department"
   ]
  ],
  "total": true
 },
 {
  "id": "HC004",
  "name_zh": "次均费用",
  "name_en": "Mean fee per visit",
  "definition": "Fees per visit.",
  "unit": "元",
  "owner": "health",
  "model": "healthcare",
  "measure": "sum(fee_amount_cny) / nullif(sum(visit_count), 0)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "hospital",
    "hospital_name"
   ]
  ],
  "total": true
 },
 {
  "id": "HC005",
  "name_zh": "出生人数",
  "name_en": "Births",
  "definition": "Birth certificates delivered per night.",
  "unit": "人",
  "owner": "health",
  "model": "healthcare__vital_events",
  "measure": "sum(birth_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "HC006",
  "name_zh": "死亡人数",
  "name_en": "Deaths",
  "definition": "Death certificates delivered per night.",
  "unit": "人",
  "owner": "health",
  "model": "healthcare__vital_events",
  "measure": "sum(death_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "PH001",
  "name_zh": "检测人次",
  "name_en": "Tests",
  "definition": "Tests delivered per night.",
  "unit": "人次",
  "owner": "health",
  "model": "public_health",
  "measure": "sum(test_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "test_type"
   ]
  ],
  "total": true
 },
 {
  "id": "PH002",
  "name_zh": "阳性人次",
  "name_en": "Positive tests",
  "definition": "Positive test results per night.",
  "unit": "人次",
  "owner": "health",
  "model": "public_health",
  "measure": "sum(positive_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ],
   [
    "category",
    "test_type"
   ]
  ],
  "total": true
 },
 {
  "id": "PH003",
  "name_zh": "红码人次",
  "name_en": "Red health codes",
  "definition": "Tests with a red health code per night.",
  "unit": "人次",
  "owner": "health",
  "model": "public_health",
  "measure": "sum(red_code_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 },
 {
  "id": "PH004",
  "name_zh": "阳性率",
  "name_en": "Positivity rate",
  "definition": "Positive tests per 100 tests.",
  "unit": "%",
  "owner": "health",
  "model": "public_health",
  "measure": "100.0 * sum(positive_count) / nullif(sum(test_count), 0)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "category",
    "test_type"
   ]
  ],
  "total": true
 },
 {
  "id": "PH005",
  "name_zh": "检测人数",
  "name_en": "Persons tested",
  "definition": "Distinct persons tested per night (per township and test type",
  "unit": "人",
  "owner": "health",
  "model": "public_health",
  "measure": "sum(person_count)",
  "filter": "",
  "grain": "day",
  "time": "dt",
  "dimensions": [
   [
    "county",
    "county_code"
   ],
   [
    "township",
    "township_code"
   ]
  ],
  "total": true
 }
]
{%- endset -%}
{{ return(fromjson(declarations)) }}
{% endmacro %}
