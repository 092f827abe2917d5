from __future__ import annotations

import pytest

from citylake.core.paths import Home


@pytest.fixture(scope="session")
def con():
    """One DuckDB connection (extensions + standards macros) for the whole ingest test session."""
    from ingest.land import _connection

    c = _connection()
    c.execute("SET enable_progress_bar = false")
    yield c
    c.close()


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Home:
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path / "home"))
    return Home.from_env().ensure()


@pytest.fixture()
def land(home, con):
    """land(feed_id, date=DATE, **kw) against the temp home, sharing the session connection."""
    from ingest_fixtures import DATE

    from ingest import registry
    from ingest.land import land_feed

    def _land(feed_id: str, date: str = DATE, **kw):
        return land_feed(registry.feed(feed_id), date, home.inbox, home.raw, home.quarantine, con=con, **kw)

    return _land
