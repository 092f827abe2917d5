"""End to end: the real nightly DAGs over a tiny synthetic city (marked slow: a few minutes)."""

from __future__ import annotations

import json

import pytest

from citylake.orchestration.dag_spec import BASE_LIBRARIES, THEME_LIBRARIES
from tests.e2e.conftest import NIGHT_1, citylake, lake_counts

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]


def test_night_runs_and_fills_every_library(first_night):
    h, proc = first_night
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-5000:]
    counts = lake_counts(h)
    for lib in BASE_LIBRARIES:
        assert counts.get(f"base.{lib}", 0) > 0, f"base.{lib} is empty or missing"
    for lib in THEME_LIBRARIES:
        assert counts.get(f"theme.{lib}", 0) > 0, f"theme.{lib} is empty or missing"
    assert counts.get("indicator.series", 0) > 0
    # the summary tells the user where things are and how to query them
    assert 'citylake sql -c "select count(*) from base.population"' in proc.stdout
    assert "DAG citylake_nightly: success" in proc.stdout
    # one dbt build made the 8 base libraries and kept every node's outcome for their gates
    nodes = json.loads((h.state / NIGHT_1 / "dbt_build__dbt_base.json").read_text())["nodes"]
    built = {m for n in nodes if n["unique_id"].startswith("model.") for m in n["models"]}
    assert {f"base.{lib}" for lib in BASE_LIBRARIES} <= built
    assert all(n["status"] in ("success", "pass", "warn") for n in nodes), [n for n in nodes if n["status"] == "error"]
    spanning = ("relationships_e_license_holder_uscc", "relationships_social_credit__records_uscc",
                "relationships_address_grid_id", "relationships_iot_sensing_grid_id")  # tag:cross_library
    assert not [n for n in nodes if n["unique_id"].split(".")[2].startswith(spanning)]
    assert any(n["unique_id"].split(".")[2].startswith("relationships_population_history") for n in nodes)


def test_analyst_query_answers_from_the_lake(first_night):
    h, _ = first_night
    out = citylake(h, "sql", "-c", "select count(*) as n from base.population")
    assert str(lake_counts(h)["base.population"]) in out.stdout


def test_reports_catalogs_and_exchange_log_exist(first_night):
    h, _ = first_night
    from ingest import registry

    report_dir = h.reports / NIGHT_1
    assert (report_dir / "index.html").exists()
    for dept in registry.departments():
        assert (report_dir / f"{dept}.html").exists(), f"no quality report for {dept}"
    assert any((h.publish / "open").rglob("*.parquet")), "no open data published"
    from citylake.core import db

    conn = db.connect(read_only=True, h=h)
    kinds = dict(conn.execute("select kind, count(*) from catalog.exchange_log group by 1").fetchall())
    assert kinds.get("landing", 0) >= len(registry.load()) - 3
    assert kinds.get("gate", 0) > 0


def test_every_delivery_accounts_for_every_row(first_night):
    h, _ = first_night
    for path in (h.state / NIGHT_1).glob("landing__*.json"):
        landing = json.loads(path.read_text())
        if landing["status"] in ("landed", "replaced", "unchanged"):
            assert landing["rows_read"] == landing["rows_landed"] + landing["rows_quarantined"], path.name


def test_rerunning_the_same_night_is_idempotent(night_copy):
    h = night_copy
    before = lake_counts(h)
    proc = citylake(h, "nightly", "--date", NIGHT_1, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert lake_counts(h) == before
