"""A Spark session for the tests (tests/spark/sparksession.py); skipped with a clear message where
the `spark` extra or Java is missing (`make test` installs both: `--extra spark`, `make java`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from citylake.core.paths import Home

sys.path.insert(0, str(Path(__file__).parent))

import sparksession  # noqa: E402


@pytest.fixture(scope="session")
def spark_home(tmp_path_factory) -> Home:
    """The one home Spark works in for the whole session (its Derby metastore admits one JVM)."""
    if not sparksession.available():
        pytest.skip(sparksession.SKIP_REASON)
    return Home(tmp_path_factory.mktemp("spark") / "home").ensure()


@pytest.fixture(scope="session")
def spark(spark_home):
    session = sparksession.start(spark_home)
    yield session
    session.stop()
