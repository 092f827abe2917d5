"""A tiny raw zone for dbt development and tests: a few rows per feed, two nights.

`python -m tests.dbt.fixture_raw <home> [date ...]` writes
`<home>/raw/<department>/<feed>/dt=YYYY-MM-DD/part-0.parquet` for every feed of the
registry, with every feed column as VARCHAR (values as a department would deliver
them: full-width digits, mixed date formats, lowercase x in ID numbers) plus the
bookkeeping columns `_row`, `_source_file`, `_delivery_sha256`, `_landed_at`.

Values are consistent across feeds (the same people, entities, estates, sensors)
and every point lies inside one grid cell and one parcel of the fixture geography,
so point-in-polygon joins and consistency findings have something to find.
The full-scale synthetic city is `synth`; this fixture only has to be small
and hand-checkable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import polars as pl

from ingest import registry

TOWNSHIPS = ["510603001", "510603004", "510623100", "510681001"]  # Deyang townships (GB/T 2260)
_RIC_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_USCC_ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def ric(division: str, birth: str, seq: int) -> str:
    """A valid GB 11643 ID number (division, YYYYMMDD, sequence: odd = male)."""
    body = f"{division}{birth}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _RIC_W, strict=True)) % 11]


def uscc(n: int) -> str:
    """A valid GB 32100 unified social credit code with a valid GB 11714 organisation code."""
    org = f"{59000000 + n * 7919:08d}"
    c = 11 - sum(int(ch) * w for ch, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    org += {10: "X", 11: "0"}.get(c, str(c))
    body = "91510600" + org
    s = sum(_USCC_ALPHA.index(ch) * w for ch, w in zip(body, _USCC_W, strict=True))
    return body + _USCC_ALPHA[(31 - s % 31) % 31]


def township_box(i: int) -> tuple[float, float, float, float]:
    """Township i is a 0.1° square; grid cells and parcels are its left and right halves."""
    x0, y0 = 104.0 + 0.1 * i, 31.0
    return x0, y0, x0 + 0.1, y0 + 0.1


def wkt(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


def point(i: int, half: int, k: int = 0) -> tuple[str, str]:
    """A point inside township i, in its left (half=0) or right (half=1) half."""
    x0, y0, _, _ = township_box(i)
    return f"{x0 + 0.025 + 0.05 * half + 0.001 * k:.6f}", f"{y0 + 0.05 + 0.001 * k:.6f}"


PEOPLE = [  # name, sex, birth, township index, household, relation
    ("张伟", "1", "19800312", 0, "H001", "01"), ("李娜", "2", "19820506", 0, "H001", "02"),
    ("张小明", "1", "20100901", 0, "H001", "10"), ("王芳", "2", "19550101", 1, "H002", "01"),
    ("刘洋", "1", "19930715", 2, "H003", "01"), ("陈静", "2", "19991230", 2, "H003", "02"),
    ("杨勇", "1", "19401111", 3, "H004", "01"), ("赵敏", "2", "20000229", 3, "H005", "01"),
]


def people() -> list[dict]:
    out = []
    for k, (name, sex, birth, t, hh, rel) in enumerate(PEOPLE):
        seq = 10 + 2 * k + (1 if sex == "1" else 0)
        out.append({"id": ric(TOWNSHIPS[t][:6], birth, seq), "name": name, "sex": sex, "birth": birth,
                    "t": t, "hh": hh, "rel": rel})
    return out


def entities() -> list[dict]:
    names = ["德阳市旌城科技有限公司", "德阳东方机械股份有限公司", "中江县丰收农民专业合作社",
             "广汉市三星堆文旅有限公司", "德阳市慈善总会"]
    kinds = ["1100", "1200", "9100", "1100", "S100"]
    industry = ["65", "34", "01", "90", "84"]
    return [{"uscc": uscc(k + 1), "name": n, "type": kinds[k], "industry": industry[k], "t": k % 4}
            for k, n in enumerate(names)]


def rows_for(feed_id: str, night: str, n_idx: int) -> list[dict]:  # noqa: C901, PLR0911, PLR0912 - one branch per feed
    """The delivery of `feed_id` for the night `night` (n_idx = 0, 1, ... for successive nights)."""
    ppl, ents = people(), entities()
    d = dt.date.fromisoformat(night)
    ymd = night.replace("-", "")
    if feed_id == "psb_household":
        rows = []
        for k, p in enumerate(ppl):
            t = p["t"]
            if k == 4 and n_idx >= 1:  # 刘洋 moves to township 1 on the second night
                t = 1
            rows.append({"id_number": p["id"].lower() if k == 7 else p["id"], "person_name": p["name"],
                         "sex_code": p["sex"],
                         "birth_date": [f"{p['birth'][:4]}-{p['birth'][4:6]}-{p['birth'][6:]}",
                                        f"{p['birth'][:4]}年{int(p['birth'][4:6])}月{int(p['birth'][6:])}日",
                                        p["birth"]][k % 3],
                         "ethnic_code": "01", "household_id": p["hh"], "relation_to_head": p["rel"],
                         "township_code": TOWNSHIPS[t], "domicile_address": f"德阳市某路{k + 1}号",
                         "education_code": "20", "phone": f"1390838{k:04d}", "registered_on": "2001-05-01"})
        rows[0]["id_number"] = rows[0]["id_number"].translate(FULLWIDTH)  # full-width digits
        return rows
    if feed_id == "psb_house_numbers":
        return [{"address_id": f"A{t}{h}", "township_code": TOWNSHIPS[t], "road_name": f"路{t}",
                 "house_number": f"{h + 1}号", "building_no": "1栋", "full_address": f"德阳市路{t}{h + 1}号",
                 "longitude": point(t, h)[0], "latitude": point(t, h)[1]} for t in range(4) for h in range(2)]
    if feed_id == "civil_place_names":
        return [{"place_name_id": f"P{t}", "place_name": f"地名{t}", "place_type": "community",
                 "township_code": TOWNSHIPS[t], "longitude": point(t, 1, 3)[0], "latitude": point(t, 1, 3)[1]}
                for t in range(4)]
    if feed_id == "civil_marriages":
        if n_idx == 0:
            return [{"marriage_reg_no": "J2026001", "id_number": ppl[4]["id"], "spouse_id_number": ppl[5]["id"],
                     "marital_status_code": "20", "registered_on": "2026/11/20", "township_code": TOWNSHIPS[2]},
                    {"marriage_reg_no": "J2026001", "id_number": ppl[5]["id"], "spouse_id_number": ppl[4]["id"],
                     "marital_status_code": "20", "registered_on": "2026/11/20", "township_code": TOWNSHIPS[2]}]
        return [{"marriage_reg_no": "L2026002", "id_number": ppl[4]["id"], "spouse_id_number": ppl[5]["id"],
                 "marital_status_code": "40", "registered_on": ymd, "township_code": TOWNSHIPS[1]}]
    if feed_id == "civil_social_orgs":
        e = ents[4]
        return [{"uscc": e["uscc"], "entity_name": e["name"], "entity_type": e["type"], "legal_rep_name": "王芳",
                 "established_on": "2010-01-01", "township_code": TOWNSHIPS[0]}]
    if feed_id == "civil_subsidies":
        return [{"payment_id": f"S{n_idx}{k}", "id_number": ppl[k]["id"], "subsidy_type": "elderly_care",
                 "amount_cny": "300.00", "pay_month": night[:7], "updated_at": f"{night} 10:00:00"}
                for k in (3, 6)]
    if feed_id == "samr_entities":
        return [{"uscc": e["uscc"], "entity_name": e["name"], "entity_type": e["type"], "legal_rep_name": "张伟",
                 "legal_rep_id_number": ppl[0]["id"], "registered_capital": "100", "established_on": "2015-06-01",
                 "industry_code": e["industry"], "registered_address": f"德阳市某路{k}号",
                 "township_code": TOWNSHIPS[e["t"]], "registration_status": "active", "phone": "0838-2345678"}
                for k, e in enumerate(ents[:4])]
    if feed_id == "tax_taxpayers":
        return [{"uscc": e["uscc"], "entity_name": e["name"] + ("（德阳）" if k == 1 else ""),
                 "tax_status": "normal", "tax_credit_grade": "A", "tax_paid_ytd": "12,000.50"}
                for k, e in enumerate(ents[:4])]
    if feed_id == "ndrc_credit_records":
        return [{"record_id": f"CR{n_idx}{k}", "uscc": ents[k]["uscc"],
                 "credit_record_type": ["license", "penalty", "red_list"][k], "decided_on": night,
                 "authority_department_id": "samr", "record_content": "记录"} for k in range(3)]
    if feed_id == "gsb_applications":
        return [{"application_id": f"AP{ymd}{k}", "id_number": ppl[k]["id"] if k % 2 == 0 else "",
                 "uscc": ents[k]["uscc"] if k % 2 == 1 else "", "service_item_code": f"ITEM{k % 2}",
                 "service_item_name": f"事项{k % 2}", "department_id": ["samr", "psb"][k % 2],
                 "submitted_at": f"{night} 09:0{k}:00", "decided_at": f"{night} 1{k}:00:00" if k < 3 else "",
                 "decision": "approved" if k < 3 else "pending", "is_instant_approval": "是" if k == 0 else "否"}
                for k in range(4)]
    if feed_id == "gsb_licenses":
        return [{"license_no": "BL001", "license_type_code": "business_license", "holder_id_number": "",
                 "holder_uscc": ents[0]["uscc"], "holder_name": ents[0]["name"], "issuer_department_id": "samr",
                 "issued_on": "2015-06-01", "expires_on": "", "license_status": "valid"},
                {"license_no": "DL001", "license_type_code": "driving_licence", "holder_id_number": ppl[0]["id"],
                 "holder_uscc": "", "holder_name": ppl[0]["name"], "issuer_department_id": "psb",
                 "issued_on": "2010-01-01", "expires_on": "2020-01-01", "license_status": "expired"}]
    if feed_id == "health_births":
        return [{"birth_cert_no": f"B{ymd}", "id_number": "", "person_name": "张二宝", "sex_code": "2",
                 "birth_date": night, "mother_id_number": ppl[1]["id"], "hospital_name": "德阳市人民医院",
                 "township_code": TOWNSHIPS[0]}]
    if feed_id == "health_deaths":
        return [] if n_idx == 0 else [{"death_cert_no": "D001", "id_number": ppl[6]["id"], "person_name": "杨勇",
                                        "death_date": night, "death_cause_code": "I21"}]
    if feed_id == "health_hospital_visits":
        return [{"visit_id": f"V{ymd}{k}", "id_number": ppl[k]["id"],
                 "person_name": ppl[k]["name"] if k != 2 else "张晓明",
                 "birth_date": ppl[k]["birth"] if k != 3 else "19550102", "hospital_name": "德阳市人民医院",
                 "clinical_department": "内科", "visit_date": night, "diagnosis_code": "J06", "fee_amount": "128.5"}
                for k in range(4)]
    if feed_id == "health_tests":
        return [{"test_id": f"T{ymd}{k}", "id_number": ppl[k]["id"], "tested_at": f"{night} 08:00",
                 "test_type": "pcr", "test_result": "positive" if (k == 1 and n_idx == 0) else "negative",
                 "health_code_color": "red" if (k == 1 and n_idx == 0) else "green"} for k in range(3)]
    if feed_id == "hrss_insurance":
        return [{"enrolment_id": f"E{k}", "id_number": ppl[k]["id"],
                 "person_name": ppl[k]["name"] if k != 1 else "李那", "insurance_type": "110",
                 "insurance_status": "1", "start_date": "2015-01-01", "employer_uscc": ents[0]["uscc"],
                 "updated_at": f"{night} 12:00:00"} for k in range(2)]
    if feed_id == "hrss_employment":
        return [{"employment_id": f"EM{ymd}{k}", "id_number": ppl[k]["id"], "employer_uscc": ents[k]["uscc"],
                 "job_title": "工程师", "registered_on": night, "employment_status": "employed"} for k in range(2)]
    if feed_id == "housing_estates":
        return [{"estate_id": f"ES{t}", "estate_name": f"小区{t}", "township_code": TOWNSHIPS[t],
                 "household_count": "120", "longitude": point(t, 0, 5)[0], "latitude": point(t, 0, 5)[1]}
                for t in range(4)]
    if feed_id == "housing_residents":
        return [{"id_number": p["id"], "person_name": p["name"] if k != 5 else "陈晶", "estate_id": f"ES{p['t']}",
                 "room_no": f"1-1-{k}01"} for k, p in enumerate(ppl)]
    if feed_id == "housing_passages":
        return [{"passage_id": f"PS{ymd}{k}", "estate_id": f"ES{ppl[k]['t']}", "id_number": ppl[k]["id"],
                 "passed_at": f"{night} 0{k}:30:00", "direction": ["in", "out"][k % 2],
                 "access_method": ["face", "card", "qr"][k % 3]} for k in range(6)]
    if feed_id == "edu_enrolments":
        return [{"student_id": "ST001", "id_number": ppl[2]["id"], "school_code": "SC01", "school_name": "旌阳实验小学",
                 "school_stage": "primary", "grade": "5", "enrolled_on": "2016-09-01", "township_code": TOWNSHIPS[0]}]
    if feed_id == "econ_subsidies":
        return [{"disbursement_id": f"DB{ymd}", "uscc": ents[1]["uscc"],
                 "entity_name": ents[1]["name"] if n_idx == 0 else "德阳东方机械有限公司", "policy_name": "技改补助",
                 "amount_cny": "50", "disbursed_on": night}]
    if feed_id == "nrp_parcels":
        return [{"parcel_id": f"PC{t}{h}", "township_code": TOWNSHIPS[t], "land_use_code": ["07", "05"][h],
                 "area_sqm": "4780000", "geometry_wkt": wkt(township_box(t)[0] + 0.05 * h, 31.0,
                                                            township_box(t)[0] + 0.05 * (h + 1), 31.1)}
                for t in range(4) for h in range(2)]
    if feed_id == "nrp_grid_cells":
        return [{"grid_id": f"G{t}{h}", "grid_name": f"网格{t}-{h}", "township_code": TOWNSHIPS[t],
                 "geometry_wkt": wkt(township_box(t)[0] + 0.05 * h, 31.0, township_box(t)[0] + 0.05 * (h + 1), 31.1)}
                for t in range(4) for h in range(2)]
    if feed_id == "nrp_real_estate":
        return [{"property_cert_no": f"RE{ymd}", "parcel_id": "PC00", "owner_id_number": ppl[0]["id"],
                 "owner_name": "张伟" if n_idx == 0 else "张玮", "property_use": "住宅", "floor_area_sqm": "98.6",
                 "registered_on": night}]
    if feed_id == "bdc_sensors":
        return [{"sensor_id": f"SN{t}", "sensor_type": ["video", "air", "water_level", "noise"][t],
                 "department_id": "bdc", "longitude": point(t, 1, 7)[0], "latitude": point(t, 1, 7)[1],
                 "installed_on": "2024-01-01"} for t in range(4)]
    if feed_id == "bdc_readings":
        return [{"reading_id": f"R{ymd}{k}", "sensor_id": f"SN{k % 4}", "observed_at": f"{night} 1{k}:00:00",
                 "metric": ["traffic_flow", "aqi", "water_level", "noise_db"][k % 4], "value": f"{10 + k}.5"}
                for k in range(6)]
    if feed_id == "cmc_events":
        return [{"event_id": f"EV{ymd}{k}", "event_channel": ["hotline_12345", "grid"][k % 2],
                 "event_category": "complaint", "township_code": TOWNSHIPS[k], "reported_at": f"{night} 08:00:00",
                 "phone": "13800000000", "longitude": point(k, 0)[0], "latitude": point(k, 0)[1],
                 "description": "噪音扰民"} for k in range(3)]
    if feed_id == "cmc_event_routing":
        steps = []
        for k in range(3):
            acts = [("accept", "cmc", 5), ("dispatch", "urban", 30), ("handle", "urban", 120), ("close", "cmc", 240)]
            for s, (a, dep, mins) in enumerate(acts[: 4 - k]):
                steps.append({"event_id": f"EV{ymd}{k}", "step_no": str(s + 1), "department_id": dep,
                              "routing_action": a,
                              "action_at": (dt.datetime.combine(d, dt.time(8)) + dt.timedelta(minutes=mins))
                              .strftime("%Y-%m-%d %H:%M:%S")})
        return steps
    if feed_id == "culture_scenic_visits":
        return [{"scenic_spot_id": "SS01", "scenic_spot_name": "三星堆博物馆", "township_code": TOWNSHIPS[3],
                 "visit_date": night, "visitor_count": "5230", "revenue_cny": "150000"}]
    if feed_id == "ecology_air_quality":
        return [{"station_id": f"AQ{t}", "township_code": TOWNSHIPS[t], "observed_at": f"{night} {h:02d}:00",
                 "aqi": str(40 + t * 10 + h), "pm25": "25", "pm10": "50"} for t in range(2) for h in (8, 20)]
    if feed_id == "water_river_levels":
        return [{"station_id": "WL1", "river_name": "绵远河", "township_code": TOWNSHIPS[0],
                 "observed_at": f"{night} {h:02d}:00", "water_level_m": ["3.2", "4.6"][i], "warning_level_m": "4.5"}
                for i, h in enumerate((6, 18))]
    if feed_id == "emergency_incidents":
        return [{"incident_id": f"IN{ymd}", "incident_type": "fire", "township_code": TOWNSHIPS[2],
                 "occurred_at": f"{night} 03:00", "handled_at": f"{night} 05:30", "casualties": "0",
                 "economic_loss": "2.5"}]
    if feed_id == "transport_bus_trips":
        return [{"trip_id": f"BT{ymd}{k}", "bus_line_code": f"L{k % 2 + 1}", "township_code": TOWNSHIPS[k % 4],
                 "boarded_at": f"{night} 07:{k:02d}:00", "card_type": ["regular", "senior", "student"][k % 3]}
                for k in range(5)]
    if feed_id == "urban_cases":
        return [{"case_id": f"UC{ymd}{k}", "case_type": "environment", "township_code": TOWNSHIPS[k],
                 "reported_at": f"{night} 09:00", "closed_at": f"{night} 15:00" if k == 0 else "",
                 "case_status": "closed" if k == 0 else "handling"} for k in range(2)]
    if feed_id == "stats_macro":
        return [{"stat_indicator_code": code, "stat_indicator_name": name, "period": m, "division_code": div,
                 "value": str(v), "unit": unit}
                for code, name, unit, v in [("GDP", "地区生产总值", "亿元", 2800), ("CPI", "居民消费价格指数", "%", 101.2)]
                for m in ("2026-09", "2026-10") for div in ("510600", "510603")]
    raise KeyError(f"no fixture rows for feed {feed_id}")


def write(home: Path, nights: list[str]) -> list[Path]:
    """Write the fixture raw zone under `home` for the given nights; returns the files written."""
    written = []
    for feed in registry.load().values():
        cols = [f.name for f in feed.fields]
        for n_idx, night in enumerate(nights):
            rows = rows_for(feed.id, night, n_idx)
            if not rows and feed.delivery == "snapshot":
                continue
            data = {c: [r.get(c, "") or None for r in rows] for c in cols}
            df = pl.DataFrame(data, schema=dict.fromkeys(cols, pl.String))
            src = feed.file.replace("{date}", night.replace("-", ""))
            df = df.with_columns(
                _row=pl.int_range(1, df.height + 1, dtype=pl.Int64),
                _source_file=pl.lit(src),
                _delivery_sha256=pl.lit(hashlib.sha256(f"{feed.id}{night}".encode()).hexdigest()),
                _landed_at=pl.lit(dt.datetime.fromisoformat(night) + dt.timedelta(hours=23)),
            )
            out = home / "raw" / feed.department.id / feed.id / f"dt={night}" / "part-0.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            df.write_parquet(out)
            written.append(out)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1])
    dates = sys.argv[2:] or ["2026-11-23", "2026-11-24"]
    print(f"wrote {len(write(target, dates))} files under {target}/raw")
