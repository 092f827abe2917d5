"""Fixtures of the exit's tests: the catalog tests' tiny lake (tests/catalogs/catalog_fixture.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "catalogs"))

import catalog_fixture  # noqa: E402


@pytest.fixture(scope="session")
def shared(tmp_path_factory):
    """A lake with its catalog generated once: (home, connection, catalog)."""
    from catalogs.generate import generate
    from citylake.db import connect
    from citylake.paths import Home

    root = tmp_path_factory.mktemp("shared_home")
    h = Home(root).ensure()
    conn = connect(h=h)
    catalog_fixture.build(conn)
    cat = generate("2026-11-24", h, conn=conn, manifest=catalog_fixture.manifest(), elements=catalog_fixture.ELEMENTS,
                   feeds=catalog_fixture.FEEDS, codes_file=root / "resource_codes.yml")
    yield h, conn, cat
    conn.close()
