"""The real dbt project on a PostgreSQL DuckLake catalog: a tiny synthetic city lands and every
model builds; every base and theme library has rows (slow: ~the whole project once)."""

from __future__ import annotations

import pytest

from citylake.core import db
from citylake.core.paths import Home

SCALE = 0.0005


@pytest.mark.slow
def test_the_dbt_project_builds_on_a_postgres_catalog(tmp_path, pg_url, monkeypatch):
    from citylake.orchestration.dbt_runner import invoke
    from ingest.land import land_all
    from standards import libraries
    from synth import EPOCH, generate_city

    monkeypatch.setenv(db.CATALOG_URL_ENV, pg_url)
    h = Home(tmp_path / "home").ensure()
    night = str(EPOCH)
    generate_city(h.inbox, SCALE, night)
    land_all(night, h)
    built = invoke(["run"], run_date=night, h=h)
    assert built.success, built.failures()
    assert not (h.lake / "catalog.sqlite").exists() and db.catalog(h).kind == "postgres"
    conn = db.connect(read_only=True, h=h)
    empty = [f"{lib.layer}.{lib.id}" for layer in ("base", "theme") for lib in libraries.libraries(layer)
             if conn.execute(f"select count(*) from lake.{layer}.{lib.id}").fetchone()[0] == 0]
    assert empty == []
