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
    yield from catalog_fixture.shared_lake(tmp_path_factory.mktemp("shared_home"))
