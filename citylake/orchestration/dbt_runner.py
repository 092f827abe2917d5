"""Run dbt in-process (dbtRunner) against the lake, with paths under the citylake home."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from citylake.core.paths import DBT_PROJECT_DIR, Home, home


@dataclass
class DbtRun:
    args: list[str]
    success: bool
    seconds: float
    results: list[dict] = field(default_factory=list)  # one per node: unique_id, status, seconds, rows

    def failed_nodes(self) -> list[str]:
        return [r["unique_id"] for r in self.results if r["status"] in ("error", "fail")]


def target_dir(h: Home) -> Path:
    return h.dbt_target


def engine() -> str:
    """The dbt engine: CITYLAKE_ENGINE = duckdb (default) | spark | spark-thrift (dbt_project/profiles.yml)."""
    value = os.environ.get("CITYLAKE_ENGINE", "duckdb")
    if value not in ("duckdb", "spark", "spark-thrift"):
        raise ValueError(f"CITYLAKE_ENGINE must be duckdb, spark or spark-thrift, not {value!r}")
    return value


def spark_codes_dir(h: Home) -> Path:
    return h.root / "work" / "spark" / "codes"


def dbt_env(h: Home, run_date: str | None) -> dict[str, str]:
    env = {
        "CITYLAKE_HOME": str(h.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
        "CITYLAKE_DBT_TARGET": str(target_dir(h)),
    }
    if run_date:
        env["CITYLAKE_RUN_DATE"] = run_date
    return env


def invoke(args: list[str], run_date: str | None = None, h: Home | None = None, quiet: bool = True) -> DbtRun:
    """Invoke dbt with `args` (e.g. ["build", "--select", "base"]) and collect run_results."""
    from dbt.cli.main import dbtRunner

    h = (h or home()).ensure()
    os.environ.update(dbt_env(h, run_date))
    if engine() != "duckdb":
        # the Spark on-run-start reads the code sets from one Parquet file (standards/macros_spark.py)
        from standards.macros_spark import write_codes

        write_codes(spark_codes_dir(h))
    full = [*args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target_dir(h)), "--log-path", str(h.root / "work" / "dbt_logs")]
    if quiet:
        full = ["--quiet", *full]
    t0 = time.perf_counter()
    res = dbtRunner().invoke(full)
    seconds = time.perf_counter() - t0
    results = []
    rr = target_dir(h) / "run_results.json"
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
