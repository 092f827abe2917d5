"""Airflow configuration for citylake, as environment variables (set before Airflow is imported).

Defaults are the embedded ones: SQLite metadata under $CITYLAKE_HOME/airflow, LocalExecutor,
small parallelism for a 2-core machine, telemetry off. `CITYLAKE_AIRFLOW_DB_URL` puts Airflow's
metadata on PostgreSQL (psycopg 3, docs/scale-out.md). Anything already set in the environment
wins in `apply`, so a city can also switch to the Celery or Kubernetes executor without touching
code (see docs/operations.md).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

from citylake.core.errors import UserError
from citylake.core.paths import DAGS_DIR, REPO_ROOT, Home, home

AIRFLOW_DB_URL_ENV = "CITYLAKE_AIRFLOW_DB_URL"
_PG_SCHEMES = ("postgresql://", "postgresql+psycopg://")
MIGRATED_MARKER = ".citylake_db_migrated"  # under $AIRFLOW_HOME: a digest of the database migrated


def has_metadata(h: Home) -> bool:
    """Has citylake prepared Airflow's metadata database for this home (SQLite or PostgreSQL)?"""
    return (h.airflow / MIGRATED_MARKER).exists() or (h.airflow / "airflow.db").exists()


def metadata_db(af: Path) -> dict[str, str]:
    """Airflow's metadata database as its two settings: the embedded SQLite file under the home's
    airflow/, or the PostgreSQL database `CITYLAKE_AIRFLOW_DB_URL` names
    (`postgresql://user@host:port/dbname`). PostgreSQL goes through psycopg 3 for the synchronous
    and the asynchronous engine alike (Airflow would otherwise pick asyncpg for the latter)."""
    url = os.environ.get(AIRFLOW_DB_URL_ENV, "").strip()
    if not url:
        return {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{af / 'airflow.db'}"}
    if not url.startswith(_PG_SCHEMES):
        raise UserError(f"{AIRFLOW_DB_URL_ENV}={url.split('@')[-1]!r}: expected "
                        "'postgresql://user@host:port/dbname' (unset: the embedded SQLite file)")
    url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": url, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": url}


def airflow_env(*, h: Home) -> dict[str, str]:
    af = h.airflow
    return {
        "AIRFLOW_HOME": str(af),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": os.environ.get("CITYLAKE_TIMEZONE", "Asia/Shanghai"),
        **metadata_db(af),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(af / "simple_auth_manager_passwords.json"),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(af / "logs"),
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__API__PORT": os.environ.get("CITYLAKE_AIRFLOW_PORT", "8080"),
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "CITYLAKE_HOME": str(h.root),
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
        # `airflow standalone` starts its parts through PATH; make the venv's bin come first.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }


def apply(*, h: Home) -> dict[str, str]:
    """Set the Airflow variables in this process (existing values win, except PATH/PYTHONPATH)."""
    env = airflow_env(h=h)
    for k, v in env.items():
        if k in ("PATH", "PYTHONPATH") or k not in os.environ:
            os.environ[k] = v
    Path(os.environ["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    return env


def ensure_metadata_db(*, h: Home) -> None:
    """Create or upgrade Airflow's metadata database (idempotent; a few seconds on SQLite)."""
    apply(h=h)
    af = Path(os.environ["AIRFLOW_HOME"])
    passwords = Path(os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
    if not passwords.exists():  # the documented local login: admin / admin
        passwords.write_text('{"admin": "admin"}', encoding="utf-8")
    airflow = str(Path(sys.executable).parent / "airflow")
    # migrated once per database: the marker holds a digest of the URL (never the URL: a password)
    marker = af / MIGRATED_MARKER
    conn = os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    digest = hashlib.sha256(conn.encode()).hexdigest()
    done = {digest, ""} if conn.startswith("sqlite") else {digest}  # "": a marker from before digests
    if not (marker.exists() and marker.read_text() in done):
        subprocess.run([airflow, "db", "migrate"], check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
        marker.write_text(digest)
        (af / ".citylake_writer_pool").unlink(missing_ok=True)  # a new database has no pool yet
    ensure_writer_pool(h, airflow)


def ensure_writer_pool(h: Home, airflow: str) -> None:
    """Size the `lake_writer` pool for the lake's catalog (citylake.orchestration.dag_spec.lake_writer_slots);
    set again only when that size changes (the catalog moved, or Airflow's parallelism)."""
    from citylake.core.db import catalog
    from citylake.orchestration.dag_spec import LAKE_WRITER_POOL, lake_writer_slots

    cat = catalog(h)
    slots = lake_writer_slots(cat.concurrent_writers)
    marker = Path(os.environ["AIRFLOW_HOME"]) / ".citylake_writer_pool"
    if marker.exists() and marker.read_text() == str(slots):
        return
    subprocess.run([airflow, "pools", "set", LAKE_WRITER_POOL, str(slots),
                    f"Tasks that write the lake ({cat.kind} catalog: {slots} at a time)"],
                   check=True, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    marker.write_text(str(slots))


def shell_exports(*, h: Home) -> str:
    """`export` lines for a shell, so that Airflow's own CLI works on the citylake home:
    `eval "$(python -m citylake.orchestration.airflow_env)"` (docs/operations.md)."""
    return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in airflow_env(h=h).items())


if __name__ == "__main__":
    print(shell_exports(h=home()))
