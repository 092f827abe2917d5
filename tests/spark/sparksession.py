"""One in-process Spark session for the tests, with exactly the settings of the dbt profile's `spark`
output (dbt_project/profiles.yml rendered for a given home), so the tests and `dbt --target spark`
share one JVM: the embedded Derby metastore admits one."""

from __future__ import annotations

import importlib.util
import shutil

import jinja2
import yaml

from citylake.core.paths import DBT_PROJECT_DIR, Home

SKIP_REASON = ("Spark tests need the optional extra and a Java runtime: `uv sync --extra spark` "
               "and `make java` (apt-get install openjdk-17-jre-headless)")


def available() -> bool:
    return shutil.which("java") is not None and importlib.util.find_spec("pyspark") is not None \
        and importlib.util.find_spec("dbt.adapters.spark") is not None


def profile_settings(h: Home) -> dict[str, str]:
    """The `spark` output's server_side_parameters, rendered for home `h`."""
    env = {"CITYLAKE_HOME": str(h.root)}

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(name)
        return default

    text = jinja2.Environment().from_string((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    rendered = yaml.safe_load(text.render(env_var=env_var))
    return {str(k): str(v) for k, v in rendered["citylake"]["outputs"]["spark"]["server_side_parameters"].items()}


def start(h: Home):
    """The session dbt-spark's `session` method would build for home `h` (plus ansi off, as dbt-spark forces)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in {**profile_settings(h), "spark.sql.ansi.enabled": "false"}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
