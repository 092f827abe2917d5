"""One in-process Spark session for the tests, with exactly the settings of the dbt profile's `spark`
output (dbt_project/profiles.yml rendered for a given home), so the tests and `dbt --target spark`
share one JVM: the embedded Derby metastore admits one."""

from __future__ import annotations

from citylake.core.paths import Home
from citylake.orchestration.dbt_runner import spark_missing
from citylake.orchestration.spark_sync import session

SKIP_REASON = ("Spark tests need the optional extra and a Java runtime: `uv sync --extra spark` "
               "and `make java` (apt-get install openjdk-17-jre-headless)")


def available() -> bool:
    return spark_missing() is None


def start(h: Home):
    """The session dbt-spark's `session` method would build for home `h` (the night's copy into the lake uses it too)."""
    return session(h)
