"""The synthetic city's state: people, addresses, entities, estates, sensors, geography.

Everything is a Polars frame built with NumPy/Polars vector operations, deterministic
in (seed, scale). Time moves in *days since EPOCH* (k). The base state is the city on
EPOCH; each day k >= 0 adds life events (births, deaths, moves, marriages, new and
closed businesses) drawn from an RNG keyed by (seed, kind, k). A snapshot feed for
day k restates base + all events up to k (with realistic registration lags), so
calling the generator for the next date produces the next night.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import numpy as np
import polars as pl

from synth import geo, names
from synth.checkdigits import id_numbers, usccs

EPOCH = date(2026, 11, 1)  # day 0 of the synthetic city; nights simulate forward from here
# the reference night of the snapshot feeds (the demo night 2026-11-25): a record that exists on
# it keeps, on every other night, the random traits drawn for it then (its dirt, whether it holds
# a food licence, its tax grade …), so a snapshot changes from night to night only where the city did
REFERENCE_DAY = 24
NEVER = np.iinfo(np.int32).max

# Deyang figures at scale 1.0 (mission brief)
RESIDENTS = 3_450_000
ENTERPRISES = 90_515
INDIVIDUAL_BUSINESSES = 216_915
SOCIAL_ORGS = 2_570
ADDRESSES = 1_080_000
SENSORS = 49_000
ESTATES = 1_200
PARCELS = 200_000
GRID_K = 4  # grid cells per township = GRID_K²

# life events per day at scale 1.0 (minimums keep tiny demo cities lively)
BIRTHS_PER_DAY = 57
DEATHS_PER_DAY = 75
MOVES_PER_DAY = 300
MARRIAGES_PER_DAY = 40
NEW_ENTITIES_PER_DAY = 150
CLOSED_ENTITIES_PER_DAY = 60
# Poisson means used instead when scale × rate is smaller (a demo city still has a birth,
# a death and a wedding most nights, without emptying itself over simulated years)
MIN_DAILY = {"births": 1.0, "deaths": 1.0, "moves": 1.0, "marriages": 1.0, "new_entities": 1.0,
             "closed_entities": 0.5}


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """An independent, reproducible random stream for (seed, keys...)."""
    return np.random.default_rng([seed, *(zlib.crc32(str(k).encode()) for k in keys)])


def scaled(n_at_1: float, scale: float, minimum: int) -> int:
    return max(minimum, int(round(n_at_1 * scale)))


def stable_pick(w: World, name: str, keys: pl.Series, reference_keys: pl.Series, rate: float) -> pl.Series:
    """Which of tonight's records (`keys`) a trait drawn at `rate` picks: for a record that exists on
    REFERENCE_DAY (`reference_keys`, in that night's order) the draw of that night, for a newer
    one tonight's positional draw. On REFERENCE_DAY itself this is `rng(name).random(n) < rate`."""
    ref_picked = reference_keys.filter(pl.Series(w.rng(name).random(reference_keys.len()) < rate))
    tonight = pl.Series(w.rng(name).random(keys.len()) < rate)
    known = keys.is_in(reference_keys.implode())
    return pl.select(pl.when(known).then(keys.is_in(ref_picked.implode())).otherwise(tonight)).to_series()


def day_index(d: str | date) -> int:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return (d - EPOCH).days


def day_date(k: int) -> date:
    return EPOCH + timedelta(days=k)


def pick_in_group(rng: np.random.Generator, item_groups: np.ndarray, query_groups: np.ndarray,
                  n_groups: int) -> np.ndarray:
    """For each query group, the index of a random item of that group (items sorted by group).
    Groups without items fall back to a random item of any group."""
    counts = np.bincount(item_groups, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    c = counts[query_groups]
    u = rng.random(len(query_groups))
    idx = starts[query_groups] + np.floor(u * np.maximum(c, 1)).astype(np.int64)
    fallback = np.floor(u * len(item_groups)).astype(np.int64)
    return np.where(c > 0, idx, fallback)


def _dates(days_since_epoch: np.ndarray) -> pl.Series:
    return pl.Series(np.datetime64(EPOCH, "D") + days_since_epoch.astype("timedelta64[D]"))


def person_names(rng: np.random.Generator, n: int, surnames: np.ndarray | None = None) -> pl.Series:
    if surnames is None:
        w = np.array(names.SURNAME_WEIGHTS)
        surnames = np.array(names.SURNAMES)[rng.choice(len(w), n, p=w / w.sum())]
    given = np.array(names.GIVEN)
    g1 = given[rng.integers(0, len(given), n)]
    g2 = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(given), n)], "")
    return pl.Series(np.char.add(np.char.add(surnames.astype("<U2"), g1), g2))


def phones(rng: np.random.Generator, n: int) -> pl.Series:
    second = np.array(list("35789"))[rng.integers(0, 5, n)]
    rest = pl.Series(rng.integers(0, 10**9, n)).cast(pl.String).str.zfill(9)
    return pl.Series(np.char.add("1", second)) + rest


@dataclass
class Day:
    """Life events of day k."""

    k: int
    births: pl.DataFrame       # new people (same columns as World.people) + effective_k
    deaths: pl.DataFrame       # pid, death_date, effective_k
    moves: pl.DataFrame        # pid, t, address_idx, household_id
    marriages: pl.DataFrame    # reg_no, pid, spouse_pid, status, township_code
    new_entities: pl.DataFrame
    closed_entities: pl.DataFrame  # eid


class World:
    def __init__(self, seed: int = 20231019, scale: float = 0.001):
        self.seed, self.scale = seed, scale
        self._days: list[Day] = []

    def rng(self, *keys: object) -> np.random.Generator:
        return rng_for(self.seed, *keys)

    # ---------------------------------------------------------------- geography
    @cached_property
    def townships(self) -> pl.DataFrame:
        return geo.townships()

    @cached_property
    def n_t(self) -> int:
        return self.townships.height

    def sample_townships(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.sort(rng.choice(self.n_t, n, p=self.townships["weight"].to_numpy()))

    @cached_property
    def addresses(self) -> pl.DataFrame:
        """Standard addresses (地名地址): at least one per township, sorted by township."""
        rng = self.rng("addresses")
        n = scaled(ADDRESSES, self.scale, self.n_t)
        t = np.sort(np.concatenate([np.arange(self.n_t), self.sample_townships(rng, n - self.n_t)]))
        ts = self.townships
        n_roads = 3 + (self.townships["weight"].to_numpy() * 4000 * max(self.scale, 0.01) ** 0.5).astype(int)
        road = np.floor(rng.random(n) * n_roads[t]).astype(np.int64)
        words, suffix = np.array(names.ROAD_WORDS), np.array(names.ROAD_SUFFIX)
        # road names are stable per (township, road index)
        rw = words[(road * 7 + t * 3) % len(words)]
        rs = suffix[(road // len(words) + t) % len(suffix)]
        road_name = pl.Series(np.char.add(rw, rs))
        lon, lat = geo.random_points(rng, t)
        df = pl.DataFrame({"t": t, "road_idx": road, "road_name": road_name, "longitude": lon, "latitude": lat})
        df = df.with_columns(
            township_code=pl.lit(ts["township_code"]).gather(pl.col("t")),
            township_name=pl.lit(ts["township_name"]).gather(pl.col("t")),
            county_name=pl.lit(ts["county_name"]).gather(pl.col("t")),
            no=pl.int_range(1, pl.len() + 1).over(["t", "road_idx"]),
            building=pl.Series(np.where(rng.random(n) < 0.4, rng.integers(1, 30, n), 0)),
        )
        df = df.with_columns(
            address_id=pl.col("township_code") + pl.int_range(1, pl.len() + 1).over("t").cast(pl.String).str.zfill(7),
            house_number=pl.col("no").cast(pl.String) + "号",
            building_no=pl.when(pl.col("building") > 0).then(pl.col("building").cast(pl.String) + "栋").otherwise(pl.lit("")),
        )
        return df.with_columns(
            full_address=pl.concat_str([pl.lit(geo.PROVINCE_NAME + geo.CITY_NAME), "county_name", "township_name",
                                        "road_name", "house_number", "building_no"]),
        ).select("address_id", "t", "township_code", "road_name", "house_number", "building_no", "full_address",
                 "longitude", "latitude")

    # ---------------------------------------------------------------- people
    def _new_people(self, rng: np.random.Generator, t: np.ndarray, birth_days: np.ndarray, sex: np.ndarray,
                    area: np.ndarray) -> pl.DataFrame:
        """Identity columns for new people; id sequence unique within (area, birth date, sex)."""
        bd = _dates(birth_days)
        ymd = bd.dt.strftime("%Y%m%d").cast(pl.Int64).to_numpy()
        df = pl.DataFrame({"area": area, "ymd": ymd, "sex": sex})
        r = df.select(pl.int_range(pl.len()).over(["area", "ymd", "sex"]))[:, 0].to_numpy()
        seq = 2 * r + np.where(sex == 1, 1, 2)
        return pl.DataFrame({
            "id_number": id_numbers(area, ymd, seq),
            "person_name": person_names(rng, len(t)),
            "sex_code": pl.Series(sex).cast(pl.String),
            "birth_date": bd,
            "t": t,
        })

    @cached_property
    def people(self) -> pl.DataFrame:
        """Residents on EPOCH (pid = row index), sorted by township."""
        rng = self.rng("people")
        n = scaled(RESIDENTS, self.scale, 200)
        t = self.sample_townships(rng, n)
        ages = np.arange(100)
        w = np.where(ages < 60, 1.0, np.maximum(0.02, (100 - ages) / 40))
        age = rng.choice(100, n, p=w / w.sum())
        birth_days = -(age * 365 + rng.integers(1, 366, n))
        sex = rng.integers(1, 3, n)
        county = self.townships["county_code"].cast(pl.Int64).to_numpy()[t]
        others = geo.other_areas().astype(np.int64)
        local = rng.random(n) < 0.85
        area = np.where(local, county, others[rng.integers(0, len(others), n)])
        df = self._new_people(rng, t, birth_days, sex, area)
        sizes = rng.choice([1, 2, 3, 4, 5], n, p=[0.2, 0.3, 0.28, 0.14, 0.08])
        hh = np.searchsorted(np.cumsum(sizes), np.arange(n), side="right")
        addr = self.addresses
        a_idx = pick_in_group(rng, addr["t"].to_numpy(), t, self.n_t)
        # one address per household: take the head's pick
        a_idx = pl.DataFrame({"hh": hh, "a": a_idx}).select(pl.col("a").first().over("hh"))[:, 0].to_numpy()
        edu_codes = np.array(["10", "20", "30", "40", "60", "70", "80", "90"])
        edu = edu_codes[rng.choice(8, n, p=[0.01, 0.08, 0.1, 0.08, 0.2, 0.33, 0.17, 0.03])]
        reg_days = np.where(local, birth_days + rng.integers(1, 60, n),
                            np.maximum(birth_days + 18 * 365, -rng.integers(1, 20 * 365, n)))
        reg_days = np.minimum(reg_days, -1)
        ethnic = np.where(rng.random(n) < 0.97, "01",
                          np.array(["03", "04", "07", "15", "06"])[rng.integers(0, 5, n)])
        df = df.with_columns(
            pid=pl.int_range(pl.len()),
            age=pl.Series(age),
            ethnic_code=pl.Series(ethnic),
            household_id=pl.lit(self.townships["township_code"]).gather(pl.col("t")) + pl.Series(hh).cast(pl.String).str.zfill(8),
            address_idx=pl.Series(a_idx),
            education_code=pl.when(pl.Series(age) >= 7).then(pl.Series(edu)).otherwise(pl.lit(None)),
            phone=pl.when((pl.Series(age) >= 16) & pl.Series(rng.random(n) < 0.75)).then(phones(rng, n)).otherwise(pl.lit(None)),
            registered_on=_dates(reg_days),
        )
        return df.with_columns(
            relation_to_head=pl.int_range(pl.len()).over("household_id")
            .replace_strict({0: "02", 1: "10"}, default="20", return_dtype=pl.String),
        )

    @cached_property
    def adults(self) -> np.ndarray:
        return self.people.filter(pl.col("age").is_between(18, 80))["pid"].to_numpy()

    # ---------------------------------------------------------------- entities
    @cached_property
    def entities(self) -> pl.DataFrame:
        """Legal entities on EPOCH: enterprises, individual businesses, social organisations."""
        return self._make_entities(self.rng("entities"), scaled(ENTERPRISES, self.scale, 30),
                                   scaled(INDIVIDUAL_BUSINESSES, self.scale, 60),
                                   scaled(SOCIAL_ORGS, self.scale, 5), start_eid=0, k=None)

    def _make_entities(self, rng: np.random.Generator, n_ent: int, n_ind: int, n_soc: int, start_eid: int,
                       k: int | None) -> pl.DataFrame:
        n = n_ent + n_ind + n_soc
        kind = np.repeat(np.array(["enterprise", "individual", "social_org"]), [n_ent, n_ind, n_soc])
        t = rng.choice(self.n_t, n, p=self.townships["weight"].to_numpy())
        county = self.townships["county_code"].cast(pl.Int64).to_numpy()[t]
        reg = np.where(kind == "social_org", 5, 9)
        cls = np.where(kind == "enterprise", 1, np.where(kind == "individual", 2, rng.integers(1, 4, n)))
        # organisation-code bodies: a disjoint block per day so codes never collide
        block = 0 if k is None else 1 + k
        body = (rng.choice(10**6, n, replace=False) + block * 10**6) % 10**8 if k is not None else \
            rng.choice(10**8 - 10**7, n, replace=False) + 10**7
        uscc = usccs(reg, cls, county, body)
        fw, ft, st = np.array(names.FIRM_WORDS), np.array(names.FIRM_TRADES), np.array(names.SHOP_TRADES)
        county_short = self.townships["county_name"].str.slice(0, 2).to_numpy()[t]
        town_short = self.townships["township_name"].str.slice(0, 2).to_numpy()[t]
        w1, w2 = fw[rng.integers(0, len(fw), n)], fw[rng.integers(0, len(fw), n)]
        ent_name = np.char.add(np.char.add(np.char.add(np.char.add("德阳", w1), w2), ft[rng.integers(0, len(ft), n)]), "有限公司")
        ent_name = np.where(rng.random(n) < 0.3, np.char.add("四川", np.char.lstrip(ent_name, "德阳")), ent_name)
        sn = np.array(names.SURNAMES)[rng.integers(0, len(names.SURNAMES), n)]
        ind_name = np.char.add(np.char.add(np.char.add(county_short, town_short), np.char.add(sn, "记")),
                               st[rng.integers(0, len(st), n)])
        soc_name = np.char.add(np.char.add("德阳市", w1), np.array(["协会", "商会", "促进会", "社会工作服务中心", "慈善基金会"])[rng.integers(0, 5, n)])
        name = np.where(kind == "enterprise", ent_name, np.where(kind == "individual", ind_name, soc_name))
        et = np.array(names.ENTERPRISE_TYPES)[rng.choice(len(names.ENTERPRISE_TYPES), n, p=names.ENTERPRISE_TYPE_P)]
        etype = np.where(kind == "enterprise", et, np.where(kind == "individual", "个体工商户",
                         np.array(names.SOCIAL_ORG_TYPES)[np.clip(cls - 1, 0, 2)]))
        rep = self.adults[rng.integers(0, len(self.adults), n)]
        people = self.people
        cap = np.where(kind == "enterprise", np.round(np.exp(rng.normal(5, 1.5, n)), 2),
                       np.where(kind == "individual", np.round(rng.uniform(1, 50, n), 2), np.round(rng.uniform(3, 200, n), 2)))
        est = -rng.integers(1, 30 * 365, n) if k is None else np.full(n, k)
        division = rng.choice(97, n) + 1  # GB/T 4754-2017 divisions 01-97 (the section letter is derived)
        division = np.where(kind == "individual", rng.choice([51, 52, 61, 62, 80], n), division)
        industry = pl.Series(division).cast(pl.String).str.zfill(2).to_numpy().astype("<U2")
        status = np.array(["存续", "在业", "注销", "吊销"])[rng.choice(4, n, p=[0.8, 0.1, 0.07, 0.03])] if k is None \
            else np.full(n, "存续")
        addr = self.addresses
        a_idx = pick_in_group(rng, addr["t"].to_numpy(), np.sort(t), self.n_t)
        order = np.argsort(t, kind="stable")
        a_of = np.empty(n, dtype=np.int64)
        a_of[order] = a_idx
        df = pl.DataFrame({
            "eid": np.arange(start_eid, start_eid + n), "kind": kind, "t": t, "uscc": uscc, "entity_name": name,
            "entity_type": etype, "rep_pid": rep, "registered_capital": cap, "est_day": est,
            "industry_code": industry, "registration_status": status, "address_idx": a_of,
        })
        return df.with_columns(
            legal_rep_name=pl.lit(people["person_name"]).gather(pl.col("rep_pid")),
            legal_rep_id_number=pl.lit(people["id_number"]).gather(pl.col("rep_pid")),
            established_on=_dates(df["est_day"].to_numpy()),
            registered_address=pl.lit(addr["full_address"]).gather(pl.col("address_idx")),
            township_code=pl.lit(self.townships["township_code"]).gather(pl.col("t")),
            phone=pl.when(pl.Series(rng.random(n) < 0.8)).then(phones(rng, n)).otherwise(pl.lit(None)),
        )

    # ---------------------------------------------------------------- places & things
    @cached_property
    def estates(self) -> pl.DataFrame:
        rng = self.rng("estates")
        n = max(self.n_t, scaled(ESTATES, self.scale, self.n_t))
        t = np.sort(np.concatenate([np.arange(self.n_t), self.sample_townships(rng, n - self.n_t)]))
        lon, lat = geo.random_points(rng, t)
        ew, es = np.array(names.ESTATE_WORDS), np.array(names.ESTATE_SUFFIX)
        nm = np.char.add(np.char.add(ew[rng.integers(0, len(ew), n)], ew[rng.integers(0, len(ew), n)]), es[rng.integers(0, len(es), n)])
        df = pl.DataFrame({"t": t, "estate_name": nm, "household_count": rng.integers(80, 3000, n),
                           "longitude": lon, "latitude": lat})
        return df.with_columns(
            township_code=pl.lit(self.townships["township_code"]).gather(pl.col("t")),
        ).with_columns(
            estate_id=pl.lit("E") + pl.col("township_code") + pl.int_range(1, pl.len() + 1).over("t").cast(pl.String).str.zfill(3),
            estate_name=pl.lit(self.townships["township_name"].str.slice(0, 2)).gather(pl.col("t")) + pl.col("estate_name"),
        )

    @cached_property
    def estate_of_person(self) -> pl.DataFrame:
        """~35% of residents live in a registered estate of their township: pid, estate_idx, room_no."""
        rng = self.rng("estate_residents")
        p = self.people
        pick = rng.random(p.height) < 0.35
        pids = p["pid"].to_numpy()[pick]
        t = p["t"].to_numpy()[pick]
        e_idx = pick_in_group(rng, self.estates["t"].to_numpy(), t, self.n_t)
        n = len(pids)
        room = (pl.Series(rng.integers(1, 30, n)).cast(pl.String) + "栋" + pl.Series(rng.integers(1, 5, n)).cast(pl.String)
                + "单元" + pl.Series(rng.integers(1, 33, n) * 100 + rng.integers(1, 5, n)).cast(pl.String))
        return pl.DataFrame({"pid": pids, "estate_idx": e_idx, "room_no": room})

    SENSOR_TYPES = {"camera": ("psb", 0.6), "smoke": ("emergency", 0.1), "air": ("ecology", 0.05),
                    "water_level": ("water", 0.05), "traffic_flow": ("transport", 0.08), "manhole": ("urban", 0.06),
                    "noise": ("ecology", 0.03), "electric_meter": ("housing", 0.03)}

    @cached_property
    def sensors(self) -> pl.DataFrame:
        rng = self.rng("sensors")
        n = scaled(SENSORS, self.scale, 50)
        t = self.sample_townships(rng, n)
        types = list(self.SENSOR_TYPES)
        p = np.array([v[1] for v in self.SENSOR_TYPES.values()])
        st = np.array(types)[rng.choice(len(types), n, p=p / p.sum())]
        lon, lat = geo.random_points(rng, t)
        df = pl.DataFrame({"t": t, "sensor_type": st, "longitude": lon, "latitude": lat,
                           "installed_on": _dates(-rng.integers(30, 8 * 365, n))})
        return df.with_columns(
            township_code=pl.lit(self.townships["township_code"]).gather(pl.col("t")),
            department_id=pl.col("sensor_type").replace_strict({k: v[0] for k, v in self.SENSOR_TYPES.items()}),
        ).with_columns(
            sensor_id=pl.lit("S") + pl.col("township_code") + pl.int_range(1, pl.len() + 1).over("t").cast(pl.String).str.zfill(6),
        )

    @cached_property
    def parcels(self) -> pl.DataFrame:
        k = max(2, int(round((PARCELS * self.scale / self.n_t) ** 0.5)))
        df = geo.subdivide(k)
        rng = self.rng("parcels")
        uses = np.array(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"])
        p = np.array([0.3, 0.05, 0.15, 0.05, 0.05, 0.08, 0.15, 0.05, 0.02, 0.05, 0.03, 0.02])
        return df.with_columns(
            parcel_id=pl.col("township_code") + "000GB" + pl.col("seq").add(1).cast(pl.String).str.zfill(5),
            land_use_code=pl.Series(uses[rng.choice(len(uses), df.height, p=p)]),
        )

    @cached_property
    def grid_cells(self) -> pl.DataFrame:
        df = geo.subdivide(GRID_K)
        return df.with_columns(
            grid_id=pl.col("township_code") + pl.col("seq").add(1).cast(pl.String).str.zfill(3),
            grid_name=pl.lit(self.townships["township_name"]).gather(pl.col("t")) + "第" + pl.col("seq").add(1).cast(pl.String) + "网格",
        )

    # ---------------------------------------------------------------- time
    def day(self, k: int) -> Day:
        """Life events of day k (computed in order from day 0, cached)."""
        if k < 0:
            raise ValueError(f"the synthetic city starts on {EPOCH} (day 0); got day {k}")
        while len(self._days) <= k:
            self._days.append(self._make_day(len(self._days)))
        return self._days[k]

    def _dead_before(self, k: int) -> np.ndarray:
        pids = [d.deaths["pid"].to_numpy() for d in self._days[:k]]
        return np.concatenate(pids) if pids else np.array([], dtype=np.int64)

    def alive_pids(self, k: int) -> np.ndarray:
        """Base residents alive on day k (events pick their people here)."""
        self.day(k)
        alive = np.ones(self.people.height, dtype=bool)
        alive[self._dead_before(k + 1)] = False
        return np.flatnonzero(alive)

    def _make_day(self, k: int) -> Day:
        rng = self.rng("day", k)
        p = self.people
        s = self.scale
        dead = np.zeros(p.height, dtype=bool)
        dead[self._dead_before(k)] = True
        age, sex, t = p["age"].to_numpy(), p["sex_code"].cast(pl.Int64).to_numpy(), p["t"].to_numpy()
        # births: mothers are living women aged 20-40
        n_b = max(1, rng.poisson(max(BIRTHS_PER_DAY * s, MIN_DAILY['births'])))
        mothers_pool = np.flatnonzero((sex == 2) & (age >= 20) & (age <= 40) & ~dead)
        mothers = mothers_pool[rng.integers(0, len(mothers_pool), n_b)]
        order = np.argsort(t[mothers], kind="stable")
        mothers = mothers[order]
        bsex = rng.integers(1, 3, n_b)
        county = self.townships["county_code"].cast(pl.Int64).to_numpy()[t[mothers]]
        babies = self._new_people(rng, t[mothers], np.full(n_b, k), bsex, county)
        m = p[mothers]
        eff = k + rng.integers(1, 8, n_b)
        births = babies.with_columns(
            pid=pl.int_range(pl.len()) + p.height + sum(d.births.height for d in self._days),
            mother_pid=pl.Series(mothers),
            person_name=m["person_name"].str.slice(0, 1) + babies["person_name"].str.slice(1),
            age=pl.lit(0), ethnic_code=m["ethnic_code"], household_id=m["household_id"],
            address_idx=m["address_idx"], education_code=pl.lit(None, pl.String), phone=pl.lit(None, pl.String),
            registered_on=_dates(eff), relation_to_head=pl.lit("20"),
            effective_k=pl.Series(eff),
            hospital_name=pl.Series(np.array(names.HOSPITALS)[rng.integers(0, len(names.HOSPITALS), n_b)]),
        )
        # deaths: mostly the old
        n_d = max(1, rng.poisson(max(DEATHS_PER_DAY * s, MIN_DAILY['deaths'])))
        old = np.flatnonzero((age >= 60) & ~dead)
        anyone = np.flatnonzero(~dead)
        cand = np.where(rng.random(n_d) < 0.85, old[rng.integers(0, len(old), n_d)], anyone[rng.integers(0, len(anyone), n_d)])
        cand = np.unique(cand)
        deaths = pl.DataFrame({"pid": cand.astype(np.int64), "death_date": _dates(k - rng.integers(0, 3, len(cand))),
                               "effective_k": k + rng.integers(1, 11, len(cand)),
                               "death_cause_code": np.array(["I21", "I64", "C34", "J44", "C22", "I10", "E11", "V89", "J18", "C16"])[rng.integers(0, 10, len(cand))]})
        # moves to another township (new address, new one-person household)
        n_m = rng.poisson(max(MOVES_PER_DAY * s, MIN_DAILY['moves']))
        movers = anyone[rng.integers(0, len(anyone), n_m)]
        movers = np.setdiff1d(np.unique(movers), cand)
        nt = rng.integers(0, self.n_t, len(movers))
        a_idx = pick_in_group(rng, self.addresses["t"].to_numpy(), nt, self.n_t)
        base_hh = 90_000_000 + sum(d.moves.height for d in self._days)
        moves = pl.DataFrame({"pid": movers, "t": nt, "address_idx": a_idx}).with_columns(
            household_id=pl.lit(self.townships["township_code"]).gather(pl.col("t"))
            + (pl.int_range(pl.len()) + base_hh).cast(pl.String).str.zfill(8))
        # marriages and divorces: one registration, two rows (one per party)
        n_r = max(1, rng.poisson(max(MARRIAGES_PER_DAY * s, MIN_DAILY['marriages'])))
        men = np.flatnonzero((sex == 1) & (age >= 22) & (age <= 60) & ~dead)
        women = np.flatnonzero((sex == 2) & (age >= 20) & (age <= 60) & ~dead)
        a, b = men[rng.integers(0, len(men), n_r)], women[rng.integers(0, len(women), n_r)]
        status = np.where(rng.random(n_r) < 0.85, "20", "40")
        reg_no = pl.Series([f"J{day_date(k):%Y%m%d}"] * n_r) + pl.Series(np.arange(1, n_r + 1)).cast(pl.String).str.zfill(5)
        reg_no = pl.Series(np.where(status == "40", np.char.replace(reg_no.to_numpy().astype("<U20"), "J", "L"), reg_no.to_numpy()))
        tc = self.townships["township_code"].to_numpy()[t[a]]
        marriages = pl.concat([
            pl.DataFrame({"reg_no": reg_no, "pid": a, "spouse_pid": b, "status": status, "township_code": tc}),
            pl.DataFrame({"reg_no": reg_no, "pid": b, "spouse_pid": a, "status": status, "township_code": tc}),
        ])
        # businesses opening and closing
        n_new = max(1, rng.poisson(max(NEW_ENTITIES_PER_DAY * s, MIN_DAILY['new_entities'])))
        n_ind = int(round(n_new * 0.7))
        start = self.entities.height + sum(d.new_entities.height for d in self._days)
        new_entities = self._make_entities(self.rng("new_entities", k), n_new - n_ind, n_ind, 0, start, k)
        n_cl = rng.poisson(max(CLOSED_ENTITIES_PER_DAY * s, MIN_DAILY['closed_entities']))
        closed = pl.DataFrame({"eid": rng.integers(0, self.entities.height, n_cl)}).unique()
        return Day(k, births, deaths, moves, marriages, new_entities, closed)

    def people_at(self, k: int) -> pl.DataFrame:
        """The household register on day k: base + registered births − deregistered deaths, moves applied."""
        self.day(k)
        days = self._days[: k + 1]
        p = self.people
        births = pl.concat([d.births.filter(pl.col("effective_k") <= k) for d in days], how="diagonal_relaxed")
        cols = p.columns
        df = pl.concat([p, births.select(cols)], how="vertical_relaxed")
        gone = pl.concat([d.deaths.filter(pl.col("effective_k") <= k).select("pid") for d in days])
        moves = pl.concat([d.moves for d in days]).unique("pid", keep="last")
        df = df.join(gone, on="pid", how="anti")
        df = df.join(moves.rename({"t": "mt", "address_idx": "ma", "household_id": "mh"}), on="pid", how="left")
        return df.with_columns(
            t=pl.coalesce("mt", "t"), address_idx=pl.coalesce("ma", "address_idx"),
            household_id=pl.coalesce("mh", "household_id"),
            relation_to_head=pl.when(pl.col("mh").is_not_null()).then(pl.lit("02")).otherwise("relation_to_head"),
        ).drop("mt", "ma", "mh")

    def entities_at(self, k: int) -> pl.DataFrame:
        self.day(k)
        days = self._days[: k + 1]
        df = pl.concat([self.entities] + [d.new_entities for d in days], how="vertical_relaxed")
        closed = pl.concat([d.closed_entities for d in days]).unique()
        return df.with_columns(
            registration_status=pl.when(pl.col("eid").is_in(closed["eid"].implode())).then(pl.lit("注销"))
            .otherwise("registration_status"))
