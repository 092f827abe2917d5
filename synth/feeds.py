"""One builder per feed: the *clean* delivery of day k as a Polars frame with the registry's
column names (`Field.name`). Dirt is added afterwards (`dirt.py`), generically from the
registry, and the writer maps names back to each department's source headers.

Cross-department disagreements (一数一源 consistency findings) are made here, because they
are about *which* value a department holds, not about formatting:
`HEALTH_NAME_DISAGREE_RATE`, `HEALTH_BIRTHDATE_DISAGREE_RATE`, `TAX_NAME_DISAGREE_RATE`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from synth import geo, names
from synth.world import EPOCH, REFERENCE_DAY, World, day_date, person_names, phones, scaled, stable_pick

# 一数一源: share of rows where another department holds a different value than the authority
HEALTH_NAME_DISAGREE_RATE = 0.02       # hospital visit patient_name != psb household name
HEALTH_BIRTHDATE_DISAGREE_RATE = 0.01  # hospital visit birth date != psb birth date
TAX_NAME_DISAGREE_RATE = 0.03          # tax taxpayer_name != samr entity_name
HRSS_NAME_DISAGREE_RATE = 0.01         # insurance name != psb name

# events per night at scale 1.0 (minimum for tiny demo cities)
EVENTS_PER_DAY = {
    "housing_passages": (2_000_000, 200), "bdc_readings": (1_200_000, 200), "transport_bus_trips": (400_000, 100),
    "health_hospital_visits": (40_000, 40), "health_tests": (20_000, 20), "gsb_applications": (30_000, 30),
    "cmc_events": (2_000, 20), "urban_cases": (1_500, 10), "emergency_incidents": (30, 3),
    "hrss_employment": (500, 5), "ndrc_credit_records": (300, 5), "econ_subsidies": (200, 5),
    "nrp_real_estate": (800, 5), "hrss_insurance": (5_000, 10), "civil_subsidies": (500, 5),
}

Builder = Callable[[World, int], pl.DataFrame]
BUILDERS: dict[str, Builder] = {}


def builder(feed_id: str):
    def deco(fn: Builder) -> Builder:
        BUILDERS[feed_id] = fn
        return fn
    return deco


def n_events(w: World, feed_id: str) -> int:
    n1, mn = EVENTS_PER_DAY[feed_id]
    return scaled(n1, w.scale, mn)


def ymd(k: int) -> str:
    return f"{day_date(k):%Y%m%d}"


def seq_ids(prefix: str, n: int, width: int = 9) -> pl.Series:
    return pl.lit(prefix) + (pl.int_range(1, n + 1)).cast(pl.String).str.zfill(width)


def ids(prefix: str, n: int, width: int = 9) -> pl.Series:
    return pl.select(seq_ids(prefix, n, width).alias("x"))["x"]


def times_on(rng: np.random.Generator, k: int, n: int) -> pl.Series:
    """Sorted timestamps within day k, 'YYYY-MM-DD HH:MM:SS'."""
    sec = np.sort(rng.integers(0, 86_400, n))
    ts = (np.datetime64(day_date(k), "s") + sec.astype("timedelta64[s]")).astype("datetime64[ms]")
    return pl.Series(ts).dt.strftime("%Y-%m-%d %H:%M:%S")


def dstr(s: pl.Series | pl.Expr):
    return s.dt.strftime("%Y-%m-%d")


def num(a: np.ndarray, decimals: int = 2) -> pl.Series:
    return pl.Series(np.round(a, decimals)).cast(pl.String)


def pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def tcode(w: World, t: np.ndarray) -> pl.Series:
    return pl.Series(w.townships["township_code"].to_numpy()[t])


# ------------------------------------------------------------------ population (psb, health, civil, hrss, edu)
@builder("psb_household")
def psb_household(w: World, k: int) -> pl.DataFrame:
    p = w.people_at(k)
    addr = w.addresses["full_address"].to_numpy()
    return p.select(
        "id_number", "person_name", "sex_code", birth_date=dstr(pl.col("birth_date")), ethnic_code="ethnic_code",
        household_id="household_id", relation_to_head="relation_to_head",
        township_code=pl.lit(w.townships["township_code"]).gather(pl.col("t")),
        domicile_address=pl.lit(pl.Series(addr)).gather(pl.col("address_idx")),
        education_code="education_code", phone="phone", registered_on=dstr(pl.col("registered_on")),
    )


@builder("health_births")
def health_births(w: World, k: int) -> pl.DataFrame:
    b = w.day(k).births
    rng = w.rng("health_births", k)
    named = rng.random(b.height) < 0.8
    mothers = w.people["id_number"].to_numpy()[b["mother_pid"].to_numpy()]
    return b.select(
        birth_cert_no=pl.lit("Q51" + ymd(k)) + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(5),
        id_number="id_number",
        person_name=pl.when(pl.Series(named)).then(pl.col("person_name")).otherwise(None),
        sex_code="sex_code", birth_date=dstr(pl.col("birth_date")), mother_id_number=pl.Series(mothers),
        hospital_name="hospital_name", township_code=pl.lit(w.townships["township_code"]).gather(pl.col("t")),
    )


@builder("health_deaths")
def health_deaths(w: World, k: int) -> pl.DataFrame:
    d = w.day(k).deaths
    p = w.people
    return d.select(
        death_cert_no=pl.lit("S51" + ymd(k)) + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(5),
        id_number=pl.lit(p["id_number"]).gather(pl.col("pid")),
        person_name=pl.lit(p["person_name"]).gather(pl.col("pid")),
        death_date=dstr(pl.col("death_date")), death_cause_code="death_cause_code",
    )


@builder("health_hospital_visits")
def health_hospital_visits(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("health_hospital_visits", k)
    n = n_events(w, "health_hospital_visits")
    p = w.people[pick(rng, w.alive_pids(k), n)]
    name = p["person_name"]
    alt = person_names(rng, n, surnames=name.str.slice(0, 1).to_numpy())
    name = pl.Series(np.where(rng.random(n) < HEALTH_NAME_DISAGREE_RATE, alt.to_numpy(), name.to_numpy()))
    bd = p["birth_date"]
    shift = np.where(rng.random(n) < HEALTH_BIRTHDATE_DISAGREE_RATE, rng.choice([-1, 1, 30, -365], n), 0)
    bd = pl.Series(bd.to_numpy() + shift.astype("timedelta64[D]"))
    return pl.DataFrame({
        "visit_id": ids("V" + ymd(k), n, 8), "id_number": p["id_number"], "person_name": name,
        "birth_date": dstr(bd), "hospital_name": pick(rng, np.array(names.HOSPITALS), n),
        "clinical_department": pick(rng, np.array(names.CLINICAL_DEPTS), n),
        "visit_date": [f"{day_date(k)}"] * n,
        "diagnosis_code": pick(rng, np.array(["J06.9", "I10", "E11.9", "K29.7", "M54.5", "J20.9", "N39.0", "R51"]), n),
        "fee_amount": num(rng.lognormal(5, 1, n)),
    })


@builder("health_tests")
def health_tests(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("health_tests", k)
    n = n_events(w, "health_tests")
    p = w.people[pick(rng, w.alive_pids(k), n)]
    res = np.where(rng.random(n) < 0.01, "阳性", "阴性")
    return pl.DataFrame({
        "test_id": ids("T" + ymd(k), n, 8), "id_number": p["id_number"], "tested_at": times_on(rng, k, n),
        "test_type": pick(rng, np.array(["核酸检测", "抗原检测", "流感检测", "健康体检"]), n), "test_result": res,
        "health_code_color": np.where(res == "阳性", "红码", np.where(rng.random(n) < 0.02, "黄码", "绿码")),
    })


@builder("civil_marriages")
def civil_marriages(w: World, k: int) -> pl.DataFrame:
    m = w.day(k).marriages
    idn = w.people["id_number"]
    return m.select(
        marriage_reg_no="reg_no", id_number=pl.lit(idn).gather(pl.col("pid")),
        spouse_id_number=pl.lit(idn).gather(pl.col("spouse_pid")), marital_status_code="status",
        registered_on=pl.lit(f"{day_date(k)}"), township_code="township_code",
    )


@builder("edu_enrolments")
def edu_enrolments(w: World, k: int) -> pl.DataFrame:
    p = w.people_at(k).filter(pl.col("age").is_between(6, 17))
    rng = w.rng("schools")
    stage = np.where(p["age"].to_numpy() < 12, "小学", np.where(p["age"].to_numpy() < 15, "初中", "高中"))
    start_age = np.where(stage == "小学", 6, np.where(stage == "初中", 12, 15))
    grade = p["age"].to_numpy() - start_age + 1
    t = p["t"].to_numpy()
    # 1-3 schools per township and stage, stable per township
    sidx = (t * 3 + rng.integers(0, 3, p.height)) % 3
    stage_no = np.where(stage == "小学", 1, np.where(stage == "初中", 2, 3))
    code = pl.Series(w.townships["township_code"].to_numpy()[t]).str.slice(0, 6) + \
        pl.Series(t * 10 + stage_no * 3 + sidx).cast(pl.String).str.zfill(4)
    sw = np.array(names.SCHOOL_WORDS)
    sname = pl.Series(w.townships["township_name"].str.slice(0, 2).to_numpy()[t]) + \
        pl.Series(sw[(t + sidx) % len(sw)]) + pl.Series(np.where(stage == "小学", "小学", np.where(stage == "初中", "中学", "高级中学")))
    enrol_year = day_date(k).year - (grade - 1) - (day_date(k).month < 9)
    return pl.DataFrame({
        "student_id": "G" + p["id_number"], "id_number": p["id_number"], "school_code": code, "school_name": sname,
        "school_stage": stage, "grade": pl.Series(grade).cast(pl.String),
        "enrolled_on": pl.Series(enrol_year).cast(pl.String) + "-09-01",
        "township_code": tcode(w, t),
    })


@builder("hrss_employment")
def hrss_employment(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("hrss_employment", k)
    n = n_events(w, "hrss_employment")
    p = w.people[pick(rng, w.adults, n)]
    ent = w.entities
    return pl.DataFrame({
        "employment_id": ids("JY" + ymd(k), n, 6), "id_number": p["id_number"],
        "employer_uscc": pick(rng, ent["uscc"].to_numpy(), n),
        "job_title": pick(rng, np.array(["技术员", "操作工", "销售", "会计", "司机", "厨师", "保洁", "工程师", "教师", "护士"]), n),
        "registered_on": [f"{day_date(k)}"] * n,
        "employment_status": np.where(rng.random(n) < 0.8, "就业", "失业"),
    })


def _insurance_rows(w: World, rng: np.random.Generator, pids: np.ndarray, eid_prefix: str, updated: pl.Series) -> pl.DataFrame:
    n = len(pids)
    p = w.people[pids]
    name = p["person_name"].to_numpy()
    alt = person_names(rng, n, surnames=p["person_name"].str.slice(0, 1).to_numpy()).to_numpy()
    return pl.DataFrame({
        "enrolment_id": ids(eid_prefix, n, 9), "id_number": p["id_number"],
        "person_name": np.where(rng.random(n) < HRSS_NAME_DISAGREE_RATE, alt, name),
        "insurance_type": pick(rng, np.array(["110", "210", "310", "410", "510"]), n),
        "insurance_status": np.where(rng.random(n) < 0.9, "1", "2"),
        "start_date": dstr(pl.Series(np.datetime64(EPOCH, "D") - rng.integers(1, 20 * 365, n).astype("timedelta64[D]"))),
        "employer_uscc": np.where(rng.random(n) < 0.7, pick(rng, w.entities["uscc"].to_numpy(), n), None),
        "updated_at": updated,
    })


def _obj(df: pl.DataFrame) -> pl.DataFrame:
    objs = [c for c, t in df.schema.items() if t == pl.Object]
    return df.with_columns(pl.Series(c, df[c].to_list(), dtype=pl.String) for c in objs) if objs else df


def hrss_insurance_initial(w: World) -> pl.DataFrame:
    rng = w.rng("hrss_insurance_initial")
    pool = w.people.filter(pl.col("age").is_between(18, 70))["pid"].to_numpy()
    pids = pool[rng.random(len(pool)) < 0.7]
    return _obj(_insurance_rows(w, rng, pids, "YB0", pl.Series([f"{day_date(-1)} 23:00:00"] * len(pids))))


@builder("hrss_insurance")
def hrss_insurance(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("hrss_insurance", k)
    n = n_events(w, "hrss_insurance")
    return _insurance_rows(w, rng, pick(rng, w.adults, n), "YB" + ymd(k), times_on(rng, k, n))


def _subsidy_rows(w: World, rng: np.random.Generator, pids: np.ndarray, prefix: str, months: list[str],
                  updated: pl.Series | None, k: int | None) -> pl.DataFrame:
    n = len(pids)
    p = w.people[pids]
    return pl.DataFrame({
        "payment_id": ids(prefix, n, 8), "id_number": p["id_number"],
        "subsidy_type": np.where(p["age"].to_numpy() >= 80, "高龄津贴", pick(rng, np.array(["城乡低保", "特困供养", "临时救助", "残疾人两项补贴"]), n)),
        "amount_cny": np.round(rng.uniform(100, 900, n), 2),
        "pay_month": pick(rng, np.array(months), n),
        "updated_at": updated if updated is not None else pl.Series([f"{day_date(-1)} 22:00:00"] * n),
    })


def civil_subsidies_initial(w: World) -> pl.DataFrame:
    rng = w.rng("civil_subsidies_initial")
    p = w.people
    pool = p.filter((pl.col("age") >= 80) | pl.Series(rng.random(p.height) < 0.03))["pid"].to_numpy()
    months = [f"{day_date(-d):%Y-%m}" for d in (62, 31, 1)]
    return _subsidy_rows(w, rng, pool, "BZ0", months, None, None)


@builder("civil_subsidies")
def civil_subsidies(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("civil_subsidies", k)
    n = n_events(w, "civil_subsidies")
    pool = w.people.filter(pl.col("age") >= 60)["pid"].to_numpy()
    return _subsidy_rows(w, rng, pick(rng, pool, n), "BZ" + ymd(k), [f"{day_date(k):%Y-%m}"], times_on(rng, k, n), k)


# ------------------------------------------------------------------ legal entities (samr, tax, civil, ndrc, econ, gsb)
@builder("samr_entities")
def samr_entities(w: World, k: int) -> pl.DataFrame:
    e = w.entities_at(k).filter(pl.col("kind") != "social_org")
    return e.select("uscc", "entity_name", "entity_type", "legal_rep_name", "legal_rep_id_number",
                    registered_capital=pl.col("registered_capital").round(2).cast(pl.String),
                    established_on=dstr(pl.col("established_on")), industry_code="industry_code",
                    registered_address="registered_address", township_code="township_code",
                    registration_status="registration_status", phone="phone")


@builder("civil_social_orgs")
def civil_social_orgs(w: World, k: int) -> pl.DataFrame:
    e = w.entities_at(k).filter(pl.col("kind") == "social_org")
    return e.select("uscc", "entity_name", "entity_type", "legal_rep_name",
                    established_on=dstr(pl.col("established_on")), township_code="township_code")


def _variant_names(rng: np.random.Generator, s: pl.Series) -> pl.Series:
    """Plausible disagreeing names: legal form spelled differently, brackets, an old name."""
    a = s.str.replace("有限公司", "有限责任公司").to_numpy()
    b = (s.str.replace("（", "(").str.replace("）", ")") + "(普通合伙)").to_numpy()
    c = s.str.replace("德阳", "德阳市").to_numpy()
    choice = rng.integers(0, 3, len(s))
    return pl.Series(np.where(choice == 0, a, np.where(choice == 1, b, c)))


@builder("tax_taxpayers")
def tax_taxpayers(w: World, k: int) -> pl.DataFrame:
    """Taxpayers: a taxpayer known on REFERENCE_DAY keeps that night's record (name variant, grade,
    amount), except that a deregistration shows; newer taxpayers get tonight's draws."""
    rows = _taxpayers_drawn(w, k)
    if k == REFERENCE_DAY:
        return rows
    ref = _taxpayers_drawn(w, REFERENCE_DAY)
    known = ref.join(rows.select("uscc", now_status="tax_status"), on="uscc", how="inner", maintain_order="left")
    known = known.with_columns(tax_status=pl.when(pl.col("now_status") == "注销").then(pl.lit("注销"))
                               .otherwise(pl.col("tax_status"))).drop("now_status")
    return pl.concat([known, rows.join(ref.select("uscc"), on="uscc", how="anti", maintain_order="left")])


def _taxpayers_drawn(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("tax_taxpayers", k)
    e = w.entities_at(k)
    e = e.filter((pl.col("kind") != "social_org")
                 & stable_pick(w, "taxpayers", e["uscc"], w.entities_at(REFERENCE_DAY)["uscc"], 0.85))
    n = e.height
    name = e["entity_name"]
    name = pl.Series(np.where(rng.random(n) < TAX_NAME_DISAGREE_RATE, _variant_names(rng, name).to_numpy(), name.to_numpy()))
    status = np.where(e["registration_status"].to_numpy() == "注销", "注销", np.where(rng.random(n) < 0.05, "非正常", "正常"))
    return pl.DataFrame({
        "uscc": e["uscc"], "entity_name": name, "tax_status": status,
        "tax_credit_grade": pick(rng, np.array(["A", "B", "M", "C", "D"]), n),
        "tax_paid_ytd": np.round(rng.lognormal(9, 2, n), 2),
    })


@builder("ndrc_credit_records")
def ndrc_credit_records(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("ndrc_credit_records", k)
    n = n_events(w, "ndrc_credit_records")
    types = np.array(["行政许可", "行政处罚", "守信红名单", "失信黑名单"])
    rt = types[rng.choice(4, n, p=[0.6, 0.3, 0.07, 0.03])]
    return pl.DataFrame({
        "record_id": ids("XY" + ymd(k), n, 6), "uscc": pick(rng, w.entities["uscc"].to_numpy(), n),
        "credit_record_type": rt, "decided_on": [f"{day_date(k)}"] * n,
        "authority_department_id": pick(rng, np.array(["samr", "ecology", "emergency", "tax", "housing", "urban"]), n),
        "record_content": np.char.add(rt, pick(rng, np.array(["：依法作出决定", "：经核查属实", "：已公示"]), n)),
    })


@builder("econ_subsidies")
def econ_subsidies(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("econ_subsidies", k)
    n = n_events(w, "econ_subsidies")
    e = w.entities.filter(pl.col("kind") == "enterprise")
    i = rng.integers(0, e.height, n)
    return pl.DataFrame({
        "disbursement_id": ids("HQ" + ymd(k), n, 5), "uscc": e["uscc"].to_numpy()[i],
        "entity_name": e["entity_name"].to_numpy()[i],
        "policy_name": pick(rng, np.array(["稳岗补贴", "技改补助", "科技创新奖励", "首台套奖励", "中小企业纾困资金"]), n),
        "amount_cny": num(rng.uniform(1, 200, n)), "disbursed_on": [f"{day_date(k)}"] * n,
    })


@builder("gsb_licenses")
def gsb_licenses(w: World, k: int) -> pl.DataFrame:
    e = w.entities_at(k)
    biz = e.filter(pl.col("kind") != "social_org")
    lic_biz = biz.select(
        license_no="YYZZ" + pl.col("uscc"), license_type_code=pl.lit("YYZZ"), holder_id_number=pl.lit(None, pl.String),
        holder_uscc="uscc", holder_name="entity_name", issuer_department_id=pl.lit("samr"),
        issued_on=dstr(pl.col("established_on")), expires_on=pl.lit(None, pl.String),
        license_status=pl.when(pl.col("registration_status").is_in(["注销", "吊销"])).then(pl.lit("注销")).otherwise(pl.lit("有效")))
    ref_biz = w.entities_at(REFERENCE_DAY).filter(pl.col("kind") != "social_org")
    food = biz.filter(stable_pick(w, "licenses", biz["uscc"], ref_biz["uscc"], 0.2)).select(
        license_no="JY" + pl.col("uscc"), license_type_code=pl.lit("SPJY"), holder_id_number=pl.lit(None, pl.String),
        holder_uscc="uscc", holder_name="entity_name", issuer_department_id=pl.lit("samr"),
        issued_on=dstr(pl.col("established_on")),
        expires_on=dstr(pl.col("established_on").dt.offset_by("5y")), license_status=pl.lit("有效"))
    p = w.people_at(k)
    drivers = p.filter((pl.col("age") >= 18)
                       & stable_pick(w, "drivers", p["id_number"], w.people_at(REFERENCE_DAY)["id_number"], 0.3))
    lic_p = drivers.select(
        license_no="JSZ" + pl.col("id_number"), license_type_code=pl.lit("JSZ"), holder_id_number="id_number",
        holder_uscc=pl.lit(None, pl.String), holder_name="person_name", issuer_department_id=pl.lit("psb"),
        issued_on=dstr(pl.col("registered_on")), expires_on=dstr(pl.col("registered_on").dt.offset_by("10y")),
        license_status=pl.lit("有效"))
    return pl.concat([lic_biz, food, lic_p])


@builder("gsb_applications")
def gsb_applications(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("gsb_applications", k)
    n = n_events(w, "gsb_applications")
    person = rng.random(n) < 0.7
    items = [("511060001", "居民身份证换领", "psb"), ("511060002", "户口迁移", "psb"), ("511060003", "企业设立登记", "samr"),
             ("511060004", "社保卡申领", "hrss"), ("511060005", "高龄津贴申请", "civil"), ("511060006", "不动产登记", "nrp"),
             ("511060007", "食品经营许可", "samr"), ("511060008", "公积金提取", "housing"), ("511060009", "出生医学证明", "health"),
             ("511060010", "纳税申报", "tax")]
    it = rng.integers(0, len(items), n)
    sub = times_on(rng, k, n)
    instant = rng.random(n) < 0.3
    decided = (pl.Series(sub).str.to_datetime() + pl.Series(np.where(instant, rng.integers(60, 600, n), rng.integers(3600, 5 * 86400, n)) * 1_000_000).cast(pl.Duration("us")))
    decided = pl.Series(np.where(rng.random(n) < 0.8, decided.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(), None))
    return pl.DataFrame({
        "application_id": ids("SQ" + ymd(k), n, 8),
        "id_number": np.where(person, pick(rng, w.people["id_number"].to_numpy(), n), None),
        "uscc": np.where(~person, pick(rng, w.entities["uscc"].to_numpy(), n), None),
        "service_item_code": np.array([x[0] for x in items])[it], "service_item_name": np.array([x[1] for x in items])[it],
        "department_id": np.array([x[2] for x in items])[it], "submitted_at": sub, "decided_at": decided,
        "decision": np.where(decided.is_null().to_numpy(), None, np.where(rng.random(n) < 0.95, "1", "0")),
        "is_instant_approval": np.where(instant, "1", "0"),
    })


# ------------------------------------------------------------------ space (psb addresses, civil place names, nrp)
@builder("psb_house_numbers")
def psb_house_numbers(w: World, k: int) -> pl.DataFrame:
    a = w.addresses
    return a.select("address_id", "township_code", "road_name", "house_number", "building_no", "full_address",
                    longitude=pl.col("longitude").round(6).cast(pl.String), latitude=pl.col("latitude").round(6).cast(pl.String))


@builder("civil_place_names")
def civil_place_names(w: World, k: int) -> pl.DataFrame:
    roads = (w.addresses.group_by("township_code", "road_name", maintain_order=True)
             .agg(pl.col("longitude").mean(), pl.col("latitude").mean()).with_columns(place_type=pl.lit("道路")))
    ests = w.estates.select("township_code", road_name="estate_name", longitude="longitude", latitude="latitude",
                            place_type=pl.lit("居民点"))
    df = pl.concat([roads, ests])
    return df.select(
        place_name_id=pl.col("township_code") + pl.int_range(1, pl.len() + 1).over("township_code").cast(pl.String).str.zfill(5),
        place_name="road_name", place_type="place_type", township_code="township_code",
        longitude=pl.col("longitude").round(6).cast(pl.String), latitude=pl.col("latitude").round(6).cast(pl.String))


@builder("nrp_parcels")
def nrp_parcels(w: World, k: int) -> pl.DataFrame:
    return w.parcels.select("parcel_id", "township_code", "land_use_code",
                            area_sqm=pl.col("area_sqm").round(2).cast(pl.String), geometry_wkt="geometry_wkt")


@builder("nrp_grid_cells")
def nrp_grid_cells(w: World, k: int) -> pl.DataFrame:
    return w.grid_cells.select("grid_id", "grid_name", "township_code", "geometry_wkt")


@builder("nrp_real_estate")
def nrp_real_estate(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("nrp_real_estate", k)
    n = n_events(w, "nrp_real_estate")
    p = w.people[pick(rng, w.adults, n)]
    return pl.DataFrame({
        "property_cert_no": pl.Series([f"川({day_date(k).year})德阳市不动产权第"] * n) + ids("", n, 7) + "号",
        "parcel_id": pick(rng, w.parcels["parcel_id"].to_numpy(), n),
        "owner_id_number": p["id_number"], "owner_name": p["person_name"],
        "property_use": pick(rng, np.array(["住宅", "商业", "办公", "工业", "车位"]), n),
        "floor_area_sqm": num(rng.uniform(20, 250, n)), "registered_on": [f"{day_date(k)}"] * n,
    })


# ------------------------------------------------------------------ community, IoT, events
@builder("housing_estates")
def housing_estates(w: World, k: int) -> pl.DataFrame:
    return w.estates.select("estate_id", "estate_name", "township_code", household_count=pl.col("household_count").cast(pl.String),
                            longitude=pl.col("longitude").round(6).cast(pl.String), latitude=pl.col("latitude").round(6).cast(pl.String))


@builder("housing_residents")
def housing_residents(w: World, k: int) -> pl.DataFrame:
    alive = w.people_at(k).select("pid")
    r = w.estate_of_person.join(alive, on="pid", how="semi")
    p = w.people
    return r.select(id_number=pl.lit(p["id_number"]).gather(pl.col("pid")),
                    person_name=pl.lit(p["person_name"]).gather(pl.col("pid")),
                    estate_id=pl.lit(w.estates["estate_id"]).gather(pl.col("estate_idx")), room_no="room_no")


@builder("housing_passages")
def housing_passages(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("housing_passages", k)
    n = n_events(w, "housing_passages")
    r = w.estate_of_person
    i = rng.integers(0, r.height, n)
    visitor = rng.random(n) < 0.1
    idn = w.people["id_number"].to_numpy()[r["pid"].to_numpy()[i]]
    return pl.DataFrame({
        "passage_id": ids("P" + ymd(k), n, 9),
        "estate_id": w.estates["estate_id"].to_numpy()[r["estate_idx"].to_numpy()[i]],
        "id_number": np.where(visitor, None, idn), "passed_at": times_on(rng, k, n),
        "direction": np.where(rng.random(n) < 0.5, "in", "out"),
        "access_method": pick(rng, np.array(["face", "card", "qrcode", "password"]), n),
    })


@builder("bdc_sensors")
def bdc_sensors(w: World, k: int) -> pl.DataFrame:
    return w.sensors.select("sensor_id", "sensor_type", "department_id",
                            longitude=pl.col("longitude").round(6).cast(pl.String),
                            latitude=pl.col("latitude").round(6).cast(pl.String),
                            installed_on=dstr(pl.col("installed_on")))


METRICS = {"smoke": ("smoke_ppm", 0.0, 5.0), "air": ("pm25", 5.0, 150.0), "water_level": ("level_m", 0.5, 6.0),
           "traffic_flow": ("vehicles_per_5min", 0.0, 300.0), "manhole": ("tilt_deg", 0.0, 3.0), "noise": ("noise_db", 35.0, 85.0),
           "electric_meter": ("kwh", 0.0, 50.0)}


@builder("bdc_readings")
def bdc_readings(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("bdc_readings", k)
    n = n_events(w, "bdc_readings")
    s = w.sensors.filter(pl.col("sensor_type") != "camera")
    i = rng.integers(0, s.height, n)
    st = s["sensor_type"].to_numpy()[i]
    lo = pl.Series(st).replace_strict({k2: v[1] for k2, v in METRICS.items()}, return_dtype=pl.Float64).to_numpy()
    hi = pl.Series(st).replace_strict({k2: v[2] for k2, v in METRICS.items()}, return_dtype=pl.Float64).to_numpy()
    return pl.DataFrame({
        "reading_id": ids("R" + ymd(k), n, 9), "sensor_id": s["sensor_id"].to_numpy()[i],
        "observed_at": times_on(rng, k, n),
        "metric": pl.Series(st).replace_strict({k2: v[0] for k2, v in METRICS.items()}),
        "value": np.round(lo + rng.random(n) * (hi - lo), 3),  # a JSON number
    })


CMC_CATEGORIES = np.array(["噪音扰民", "道路破损", "占道经营", "垃圾清运", "供水故障", "劳资纠纷", "消费投诉", "违章停车", "路灯故障", "油烟污染"])


@builder("cmc_events")
def cmc_events(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("cmc_events", k)
    n = n_events(w, "cmc_events")
    t = w.sample_townships(rng, n)
    lon, lat = geo.random_points(rng, t)
    cat = pick(rng, CMC_CATEGORIES, n)
    return pl.DataFrame({
        "event_id": ids("E" + ymd(k), n, 7),
        "event_channel": pick(rng, np.array(["12345", "grid", "city_management", "emergency", "service"]), n),
        "event_category": cat, "township_code": tcode(w, t), "reported_at": times_on(rng, k, n),
        "phone": np.where(rng.random(n) < 0.8, phones(rng, n).to_numpy(), None),
        "longitude": np.round(lon, 6), "latitude": np.round(lat, 6),
        "description": np.char.add(np.char.add("市民反映", cat), "，请尽快处理。\"紧急\""),
    })


@builder("cmc_event_routing")
def cmc_event_routing(w: World, k: int) -> pl.DataFrame:
    ev = cmc_events(w, k)
    rng = w.rng("cmc_event_routing", k)
    steps = rng.integers(1, 5, ev.height)
    idx = np.repeat(np.arange(ev.height), steps)
    df = pl.DataFrame({"event_id": ev["event_id"].to_numpy()[idx], "reported_at": ev["reported_at"].to_numpy()[idx]})
    df = df.with_columns(step_no=pl.int_range(1, pl.len() + 1).over("event_id"))
    actions = np.array(["受理", "派单", "处置", "办结"])
    at = pl.Series(df["reported_at"]).str.to_datetime() + pl.duration(minutes=pl.Series(df["step_no"] * rng.integers(5, 240, df.height)))
    return df.select(
        "event_id", step_no=pl.col("step_no").cast(pl.String),
        department_id=pl.Series(pick(rng, np.array(["urban", "housing", "water", "samr", "hrss", "psb", "ecology"]), df.height)),
        routing_action=pl.Series(actions[np.minimum(df["step_no"].to_numpy(), 4) - 1]),
        action_at=pl.select(at.alias("a"))["a"].dt.strftime("%Y-%m-%d %H:%M:%S"),
    )


@builder("urban_cases")
def urban_cases(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("urban_cases", k)
    n = n_events(w, "urban_cases")
    t = w.sample_townships(rng, n)
    rep = times_on(rng, k, n)
    closed = rng.random(n) < 0.7
    close_at = (rep.str.to_datetime() + pl.Series(rng.integers(600, 86400 * 2, n) * 1_000_000).cast(pl.Duration("us"))).dt.strftime("%Y-%m-%d %H:%M:%S")
    return pl.DataFrame({
        "case_id": ids("CG" + ymd(k), n, 6),
        "case_type": pick(rng, np.array(["市容环境", "街面秩序", "设施管理", "突发事件", "施工管理"]), n),
        "township_code": tcode(w, t), "reported_at": rep, "closed_at": np.where(closed, close_at.to_numpy(), None),
        "case_status": np.where(closed, "已结案", "处置中"),
    })


@builder("emergency_incidents")
def emergency_incidents(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("emergency_incidents", k)
    n = n_events(w, "emergency_incidents")
    t = w.sample_townships(rng, n)
    occ = times_on(rng, k, n)
    handled = (occ.str.to_datetime() + pl.Series(rng.integers(1800, 86400, n) * 1_000_000).cast(pl.Duration("us"))).dt.strftime("%Y-%m-%d %H:%M:%S")
    return pl.DataFrame({
        "incident_id": ids("YJ" + ymd(k), n, 4),
        "incident_type": pick(rng, np.array(["火灾", "交通事故", "地质灾害", "危化品泄漏", "洪涝", "生产安全事故"]), n),
        "township_code": tcode(w, t), "occurred_at": occ, "handled_at": handled,
        "casualties": pl.Series(rng.poisson(0.3, n)).cast(pl.String), "economic_loss": num(rng.exponential(5, n)),
    })


@builder("transport_bus_trips")
def transport_bus_trips(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("transport_bus_trips", k)
    n = n_events(w, "transport_bus_trips")
    t = w.sample_townships(rng, n)
    return pl.DataFrame({
        "trip_id": ids("B" + ymd(k), n, 9),
        "bus_line_code": pl.Series(rng.integers(1, 61, n)).cast(pl.String).str.zfill(3).to_numpy(),
        "township_code": tcode(w, t), "boarded_at": times_on(rng, k, n),
        "card_type": pick(rng, np.array(["普通卡", "老年卡", "学生卡", "扫码"]), n),
    })


@builder("culture_scenic_visits")
def culture_scenic_visits(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("culture_scenic_visits", k)
    n = len(names.SCENIC)
    t = w.rng("scenic").integers(0, w.n_t, n)
    v = rng.poisson(2000 * (1 + (day_date(k).weekday() >= 5)), n)
    return pl.DataFrame({
        "scenic_spot_id": ids("JQ", n, 4), "scenic_spot_name": names.SCENIC, "township_code": tcode(w, t),
        "visit_date": [f"{day_date(k)}"] * n, "visitor_count": pl.Series(v).cast(pl.String),
        "revenue_cny": num(v * rng.uniform(0, 80, n)),
    })


def _hourly(w: World, k: int, key: str, stations: int) -> tuple[np.ndarray, np.ndarray, pl.Series, np.random.Generator]:
    rng = w.rng(key, k)
    st = np.repeat(np.arange(stations), 24)
    hour = np.tile(np.arange(24), stations)
    at = pl.Series((np.datetime64(day_date(k), "h") + hour.astype("timedelta64[h]")).astype("datetime64[ms]")).dt.strftime("%Y-%m-%d %H:%M:%S")
    t = w.rng(key + "_stations").integers(0, w.n_t, stations)
    return st, t[st], at, rng


@builder("ecology_air_quality")
def ecology_air_quality(w: World, k: int) -> pl.DataFrame:
    st, t, at, rng = _hourly(w, k, "air", 20)
    n = len(st)
    pm25 = rng.gamma(3, 12, n)
    return pl.DataFrame({
        "station_id": "AQ" + pl.Series(st + 1).cast(pl.String).str.zfill(3),
        "township_code": tcode(w, t), "observed_at": at,
        "aqi": np.round(pm25 * 1.4 + 10), "pm25": np.round(pm25, 1), "pm10": np.round(pm25 * 1.6, 1),
    })


@builder("water_river_levels")
def water_river_levels(w: World, k: int) -> pl.DataFrame:
    st, t, at, rng = _hourly(w, k, "river", 16)
    n = len(st)
    warn = 4 + (st % 5) * 0.5
    return pl.DataFrame({
        "station_id": "SW" + pl.Series(st + 1).cast(pl.String).str.zfill(3),
        "river_name": np.array(names.RIVERS)[st % len(names.RIVERS)], "township_code": tcode(w, t),
        "observed_at": at, "water_level_m": num(warn * rng.uniform(0.4, 1.05, n)), "warning_level_m": num(warn),
    })


STAT_INDICATORS = [("A01", "地区生产总值", "亿元"), ("A02", "规模以上工业增加值增速", "%"), ("A03", "社会消费品零售总额", "亿元"),
                   ("A04", "固定资产投资增速", "%"), ("A05", "一般公共预算收入", "亿元"), ("A06", "城镇居民人均可支配收入", "元"),
                   ("A07", "农村居民人均可支配收入", "元"), ("A08", "居民消费价格指数", "上年同期=100"), ("A09", "城镇调查失业率", "%"),
                   ("A10", "进出口总额", "亿元"), ("A11", "金融机构人民币存款余额", "亿元"), ("A12", "常住人口", "万人")]


@builder("stats_macro")
def stats_macro(w: World, k: int) -> pl.DataFrame:
    rng = w.rng("stats_macro", k)
    d = day_date(k)
    months = [f"{(d.year * 12 + d.month - 2 - i) // 12}-{(d.year * 12 + d.month - 2 - i) % 12 + 1:02d}" for i in range(12)]
    divs = ["510600"] + w.townships["county_code"].unique(maintain_order=True).to_list()
    rows = [(c, nm, m, dv, u) for c, nm, u in STAT_INDICATORS for m in months for dv in divs]
    df = pl.DataFrame(rows, schema=["stat_indicator_code", "stat_indicator_name", "period", "division_code", "unit"], orient="row")
    return df.with_columns(value=num(w.rng("stats_values").uniform(1, 1000, df.height) * (1 + 0.0 * rng.random())))\
        .select("stat_indicator_code", "stat_indicator_name", "period", "division_code", "value", "unit")
