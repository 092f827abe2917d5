"""The synthetic city: determinism, consistency across feeds, valid codes, evolution, late/re-delivery."""

from __future__ import annotations

import hashlib

import polars as pl

from synth import LATE_FEED, REDELIVERY_FEED, World, generate_city
from synth.feeds import BUILDERS
from synth.world import EPOCH, day_date

DATE = str(EPOCH)


def digest(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".csv", ".jsonl")}


def test_deterministic_by_seed(tmp_path):
    feeds = ["psb_household", "samr_entities", "bdc_readings", "health_hospital_visits"]
    a = generate_city(tmp_path / "a", 0.0005, DATE, seed=5, feeds=feeds)
    b = generate_city(tmp_path / "b", 0.0005, DATE, seed=5, feeds=feeds)
    generate_city(tmp_path / "c", 0.0005, DATE, seed=6, feeds=feeds)
    assert a == b and digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    assert a["psb_household"] > 1500 and a["bdc_readings"] >= 200


def test_codes_valid_and_consistent_across_feeds(con):
    w = World(seed=5, scale=0.0005)
    hh = BUILDERS["psb_household"](w, 0)
    ents = BUILDERS["samr_entities"](w, 0)
    con.execute("create or replace temp table t as select * from (values (1)) v(x)")
    ids = pl.DataFrame({"x": hh["id_number"]})
    from ingest.duck import frames, query
    with frames(con, ids=ids, us=pl.DataFrame({"x": ents["uscc"]})):
        assert query(con, "select bool_and(cl_ric_valid(x)) as ok from ids")["ok"][0]
        assert query(con, "select bool_and(cl_uscc_valid(x)) as ok from us")["ok"][0]
    assert hh["id_number"].n_unique() == hh.height and ents["uscc"].n_unique() == ents.height
    # sex digit and birth date inside the ID agree with their fields
    assert (hh["id_number"].str.slice(16, 1).cast(pl.Int64) % 2 == (hh["sex_code"] == "1").cast(pl.Int64)).all()
    assert (hh["id_number"].str.slice(6, 8) == hh["birth_date"].str.replace_all("-", "")).all()
    # other departments reference existing people and companies
    people = set(hh["id_number"])
    assert set(BUILDERS["health_hospital_visits"](w, 0)["id_number"]) <= set(w.people["id_number"])
    assert set(BUILDERS["health_births"](w, 1)["mother_id_number"]) <= people
    assert set(BUILDERS["tax_taxpayers"](w, 0)["uscc"]) <= set(ents["uscc"])
    assert set(ents["legal_rep_id_number"]) <= set(w.people["id_number"])


def test_points_inside_deyang_and_their_township(con):
    w = World(seed=5, scale=0.0005)
    a = w.addresses.join(w.townships.select("t", "lon0", "lat0", "lon1", "lat1"), on="t")
    assert a["longitude"].is_between(104.0, 105.0).all() and a["latitude"].is_between(30.6, 31.5).all()
    assert ((a["longitude"] > a["lon0"]) & (a["longitude"] < a["lon1"])
            & (a["latitude"] > a["lat0"]) & (a["latitude"] < a["lat1"])).all()
    # grid cells tile the township rectangles: their areas add up to the city's bounding box
    cells = w.grid_cells
    assert cells["township_code"].n_unique() == 84 and cells["geometry_wkt"].str.starts_with("POLYGON((").all()
    area = ((cells["x1"] - cells["x0"]) * (cells["y1"] - cells["y0"])).sum()
    assert abs(area - 1.0 * 0.9) < 1e-9  # 84 townships fill a 12×7 grid of the 1.0°×0.9° box exactly


def test_next_night_evolves(tmp_path):
    w = World(seed=5, scale=0.0005)
    d0 = BUILDERS["psb_household"](w, 0)
    d9 = BUILDERS["psb_household"](w, 9)
    births = pl.concat([w.day(k).births for k in range(9)])
    assert 0 < abs(d9.height - d0.height) + births.height
    assert set(d9["id_number"]) != set(d0["id_number"])                 # births registered, deaths removed
    e0, e1 = BUILDERS["bdc_readings"](w, 0), BUILDERS["bdc_readings"](w, 1)
    assert not set(e0["reading_id"]) & set(e1["reading_id"])             # events: new ids each night
    assert str(day_date(1)).replace("-", "") in e1["reading_id"][0]


def test_late_file_and_redelivery(tmp_path):
    from ingest import registry

    inbox = tmp_path / "inbox"
    late, redo = registry.feed(LATE_FEED), registry.feed(REDELIVERY_FEED)
    feeds = [LATE_FEED, REDELIVERY_FEED]
    generate_city(inbox, 0.0005, str(day_date(0)), seed=5, feeds=feeds)
    night0 = redo.inbox_path(inbox, str(day_date(0))).read_bytes()
    generate_city(inbox, 0.0005, str(day_date(1)), seed=5, feeds=feeds)
    assert redo.inbox_path(inbox, str(day_date(0))).read_bytes() != night0   # corrected re-delivery of night 0
    rows2 = generate_city(inbox, 0.0005, str(day_date(2)), seed=5, feeds=feeds)
    assert rows2[LATE_FEED] == 0 and not late.inbox_path(inbox, str(day_date(2))).exists()  # late tonight
    generate_city(inbox, 0.0005, str(day_date(3)), seed=5, feeds=feeds)
    assert late.inbox_path(inbox, str(day_date(2))).exists()                 # arrived with night 3
    assert late.inbox_path(inbox, str(day_date(3))).exists()


def test_snapshot_feeds_change_only_where_the_city_did(tmp_path):
    """A record delivered unchanged keeps its dirt and traits (food licence, tax grade …) from night
    to night: two consecutive snapshots differ in a few lines (births, deaths, moves), not in bulk."""
    from ingest import registry

    feeds = ["psb_household", "gsb_licenses", "tax_taxpayers", "samr_entities", "edu_enrolments"]
    nights = (24, 25)  # the reference night (2026-11-25, the demo night) and the next one
    for k in nights:
        generate_city(tmp_path, 0.0005, str(day_date(k)), seed=5, feeds=feeds)
    changed = {}
    for f in feeds:
        feed = registry.feed(f)
        a, b = (set(feed.inbox_path(tmp_path, str(day_date(k))).read_bytes().splitlines()) for k in nights)
        changed[f] = len(a ^ b)
        assert changed[f] <= 0.02 * len(a), (f, changed[f], len(a))
    assert changed["psb_household"] > 0, "the household register follows births, deaths and moves"
