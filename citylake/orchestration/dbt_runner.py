"""Run dbt in-process (dbtRunner) against the lake, with paths under the citylake home."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from citylake.core.paths import DBT_PROJECT_DIR, Home

FAILED = ("error", "fail")  # the statuses of a dbt node (model, test, seed) that failed
# CITYLAKE_ENGINE -> the output of dbt_project/profiles.yml that runs the models (its `target:` line says the same)
TARGETS = {"duckdb": "lake", "spark": "spark", "spark-thrift": "spark_thrift"}


@dataclass
class DbtRun:
    args: list[str]
    success: bool
    seconds: float
    results: list[dict] = field(default_factory=list)  # one per node: unique_id, status, seconds, rows

    def failures(self) -> list[tuple[str, str]]:
        """(node, first 300 characters of dbt's message) of every node that errored or failed."""
        return [(r["unique_id"], (r["message"] or "")[:300]) for r in self.results if r["status"] in FAILED]


def engine() -> str:
    """The dbt engine: CITYLAKE_ENGINE = duckdb (default) | spark | spark-thrift (dbt_project/profiles.yml)."""
    value = os.environ.get("CITYLAKE_ENGINE", "duckdb")
    if value not in TARGETS:
        raise ValueError(f"CITYLAKE_ENGINE must be duckdb, spark or spark-thrift, not {value!r}")
    return value


def target(name: str) -> str:
    """The profile's output (dbt `--target`) that runs the models on engine `name`."""
    return TARGETS[name]


def spark_missing() -> str | None:
    """Why the in-process Spark engine cannot start here (the `spark` extra or Java is missing), else None."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("dbt.adapters.spark") is None:
        return "the Spark engine needs the optional extra: uv sync --extra spark"
    if shutil.which("java") is None:
        return "the Spark engine needs a Java runtime on PATH: make java (apt-get install openjdk-17-jre-headless)"
    return None


def spark_settings(h: Home) -> dict[str, str]:
    """The `spark` output's server_side_parameters of dbt_project/profiles.yml, rendered for home `h`
    (environment variables as dbt's `env_var` reads them): the settings of the Spark session dbt-spark
    starts in this process, for a session that must be the same one (the embedded Derby metastore
    admits one JVM)."""
    import jinja2
    import yaml

    env = {**os.environ, "CITYLAKE_HOME": str(h.root)}

    def env_var(name: str, default: str | None = None) -> str:
        if name not in env and default is None:
            raise KeyError(name)
        return env.get(name, default)

    text = jinja2.Environment().from_string((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    rendered = yaml.safe_load(text.render(env_var=env_var))
    return {str(k): str(v) for k, v in rendered["citylake"]["outputs"]["spark"]["server_side_parameters"].items()}


def spark_codes_dir(h: Home) -> Path:
    """Where the Spark setup (macros/spark_setup.sql) reads the code sets: one Parquet file."""
    return h.root / "work" / "spark" / "codes"


def dbt_env(h: Home, run_date: str | None, on: str | None = None) -> dict[str, str]:
    env = {
        "CITYLAKE_HOME": str(h.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
        "CITYLAKE_DBT_TARGET": str(h.dbt_target),
    }
    if on:
        env["CITYLAKE_ENGINE"] = on
    if run_date:
        env["CITYLAKE_RUN_DATE"] = run_date
    return env


def prepare(on: str, *, h: Home) -> None:
    """What a dbt run on engine `on` reads besides the project: on Spark, the code sets as one Parquet file."""
    if on != "duckdb":
        from standards.macros_spark import write_codes

        write_codes(spark_codes_dir(h))


@contextmanager
def scoped_environ(values: dict[str, str]) -> Iterator[None]:
    """`values` in the environment for one in-process dbt call, then the environment as it was.
    dbt's only channel for them is `env_var()` (profiles.yml, dbt_project.yml, the plugin) and
    dbtRunner takes no environment of its own."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def invoke(args: list[str], run_date: str | None = None, *, h: Home, quiet: bool = True,
           on: str | None = None) -> DbtRun:
    """Invoke dbt with `args` (e.g. ["build", "--select", "base"]) and collect run_results; `on` an
    engine for this call only (else CITYLAKE_ENGINE's)."""
    from dbt.cli.main import dbtRunner

    h = h.ensure()
    prepare(on or engine(), h=h)
    full = [*args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(h.dbt_target), "--log-path", str(h.dbt_logs)]
    if quiet:
        full = ["--quiet", *full]
    t0 = time.perf_counter()
    with scoped_environ(dbt_env(h, run_date, on)):
        res = dbtRunner().invoke(full)
    seconds = time.perf_counter() - t0
    results = []
    rr = h.dbt_target / "run_results.json"
    if args and args[0] in ("build", "run", "test", "seed") and rr.exists():
        for r in json.loads(rr.read_text()).get("results", []):
            if r["unique_id"].startswith("operation.") and r["status"] == "success":
                continue  # the engine's on-run-start (macros/spark_setup.sql): only its failure matters
            results.append({"unique_id": r["unique_id"], "status": r["status"],
                            "seconds": r.get("execution_time", 0.0),
                            "rows": (r.get("adapter_response") or {}).get("rows_affected"),
                            "message": r.get("message")})
    if res.exception is not None:
        raise RuntimeError(f"dbt {' '.join(args)} crashed: {res.exception}") from res.exception
    return DbtRun(args=args, success=bool(res.success), seconds=seconds, results=results)
