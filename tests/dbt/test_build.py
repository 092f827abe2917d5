"""The whole dbt project on a tiny generated city: every library has rows, >= 1,800 indicator
series, and re-running a night gives identical row counts (idempotent incremental models).

Two nights of the synthetic city (synth, scale 0.0005) are generated and landed in a
temp CITYLAKE_HOME; night 1 runs the domicile-change model (so night 2 has history to extend),
night 2 runs every model, then the incremental models and everything downstream of them are
run again for night 2 and every table must keep its row count. (dbt's data and unit tests run
in the nightly `dbt build`; here they would multiply the run time: ~1 s per node, one writer.)
"""

from __future__ import annotations

import pytest

from citylake.core.paths import Home

SCALE = 0.0005
BASE = ["population", "population_history", "legal_entity", "spatial_geography", "address", "e_license",
        "social_credit", "iot_sensing", "macro_economy"]
THEME = ["gov_services", "city_events", "smart_community", "public_health", "healthcare", "education",
         "civil_affairs", "social_security", "real_estate", "urban_management", "emergency", "transport",
         "culture_tourism", "enterprise_services", "ecology_water"]


def _counts(h: Home) -> dict[str, int]:
    from citylake.core import db

    con = db.connect(read_only=True, h=h)
    try:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_catalog = 'lake' and table_schema in ('intermediate', 'base', 'theme', 'indicator') "
            "and table_type = 'BASE TABLE' order by 1").fetchall()
        return {t: con.execute(f"select count(*) from lake.{t}").fetchone()[0] for (t,) in tables}
    finally:
        con.close()


@pytest.mark.slow
def test_whole_project_on_a_tiny_city(tmp_path):
    from citylake.core import db
    from citylake.orchestration.dbt_runner import invoke
    from ingest.land import land_all
    from synth import EPOCH, generate_city, next_date

    h = Home(tmp_path / "home").ensure()
    night1 = str(EPOCH)
    night2 = next_date(night1)
    for night in (night1, night2):
        generate_city(h.inbox, SCALE, night)
        land_all(night, h)

    first = invoke(["run", "--select", "+int_persons_domicile_changes"], run_date=night1, h=h)
    assert first.success, first.failures()
    built = invoke(["run"], run_date=night2, h=h)
    assert built.success, built.failures()
    before = _counts(h)

    for library in BASE:
        assert before.get(f"base.{library}", 0) > 0, f"base.{library} is empty"
    for library in THEME:
        assert before.get(f"theme.{library}", 0) > 0, f"theme.{library} is empty"

    con = db.connect(read_only=True, h=h)
    try:
        series = con.execute(
            "select count(*) from (select distinct indicator_id, dimension, dimension_member from lake.indicator.series)"
        ).fetchone()[0]
        declared = con.execute("select count(*) from lake.indicator.indicators").fetchone()[0]
        # money is exact: the published subsidy total (ENT020, 元) is a DECIMAL equal to the cents summed
        value_type, published, cents = con.execute(
            "select typeof(s.value), s.value, (select sum(round(subsidy_amount_cny * 100)) "
            "from lake.theme.enterprise_services) from lake.indicator.series s "
            "where s.indicator_id = 'ENT020' and s.dimension = 'all'").fetchone()
        amount_types = {r[0] for r in con.execute(
            "select data_type from information_schema.columns where table_catalog = 'lake' "
            "and column_name in ('amount_cny', 'subsidy_amount_cny', 'fee_amount_cny', 'revenue_cny')").fetchall()}
    finally:
        con.close()
    assert declared >= 100
    assert series >= 1800, f"only {series} indicator series"
    assert value_type.startswith("DECIMAL") and all(t.startswith("DECIMAL") for t in amount_types), (
        value_type, amount_types)
    assert published * 100 == cents and published > 0, (published, cents)

    rerun = invoke(["run", "--select", "config.materialized:incremental+"], run_date=night2, h=h)
    assert rerun.success, rerun.failures()
    assert _counts(h) == before

    # 一数一源 on the real project: every base column traces to its authoritative feed
    from citylake.orchestration.pipeline import check_lineage

    lineage = check_lineage(night2, h=h)
    assert lineage["violations"] == [] and lineage["with_element"] > 50
