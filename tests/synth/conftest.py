from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def con():
    """One DuckDB connection with the standards macros, to check the generated codes in SQL."""
    from ingest.land import _connection

    c = _connection()
    c.execute("SET enable_progress_bar = false")
    yield c
    c.close()
