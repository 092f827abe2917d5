"""Fixtures: a temp CITYLAKE_HOME whose lake holds the fixture's library tables.

Loading the DuckDB extensions costs seconds, so one extension-loaded connection
(citylake.core.db.connect) serves the session and each test attaches its own fresh lake.
"""

from __future__ import annotations

from pathlib import Path

import catalog_fixture
import pytest

from citylake.core.db import LAKE_ALIAS, connect, ducklake_attach_sql
from citylake.core.paths import Home


@pytest.fixture(scope="session")
def duck():
    conn = connect(lake=False)
    yield conn
    conn.close()


@pytest.fixture
def home(tmp_path, monkeypatch, duck) -> Home:
    root = tmp_path / "home"
    monkeypatch.setenv("CITYLAKE_HOME", str(root))
    h = Home(root).ensure()
    duck.execute(ducklake_attach_sql(h))
    duck.execute(f"USE {LAKE_ALIAS}")
    catalog_fixture.build(duck)
    yield h
    duck.execute("USE memory")
    duck.execute(f"DETACH {LAKE_ALIAS}")


@pytest.fixture
def conn(home, duck):
    """The session connection with this test's lake attached (as `lake`, in use)."""
    return duck


@pytest.fixture(scope="session")
def shared(tmp_path_factory):
    """A read-mostly lake with its catalog generated once: (home, connection, catalog)."""
    yield from catalog_fixture.shared_lake(tmp_path_factory.mktemp("shared_home"))


@pytest.fixture
def codes_file(tmp_path) -> Path:
    return tmp_path / "resource_codes.yml"
