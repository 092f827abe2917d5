"""citylake's Airflow defaults, and that a city's own settings (PostgreSQL, Celery) win over them."""

from __future__ import annotations

import os
import subprocess
import sys

from citylake.core.paths import Home
from citylake.orchestration import airflow_env


def _get_value(env: dict, section: str, key: str) -> str:
    """Airflow's own config parser, in a fresh interpreter (as library: no DB engine is created,
    so a PostgreSQL URL parses without a driver or a server)."""
    code = ("import sys; from airflow.configuration import conf; "
            "print(conf.get(sys.argv[1], sys.argv[2]))")
    out = subprocess.run([sys.executable, "-c", code, section, key], env={**env, "_AIRFLOW__AS_LIBRARY": "1"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_embedded_defaults(tmp_path, monkeypatch):
    for k in list(os.environ):
        if k.startswith("AIRFLOW"):
            monkeypatch.delenv(k)
    env = airflow_env.airflow_env(h=Home(tmp_path))
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{tmp_path / 'airflow' / 'airflow.db'}"
    assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
    full = {**os.environ, **env}
    assert _get_value(full, "core", "executor") == "LocalExecutor"
    assert _get_value(full, "core", "dags_folder").endswith("/dags")


def test_postgres_and_celery_settings_win(tmp_path, monkeypatch):
    pg = "postgresql+psycopg2://airflow:secret@db.internal:5432/airflow"
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", pg)
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "CeleryExecutor")
    monkeypatch.setenv("CITYLAKE_HOME", str(tmp_path))
    airflow_env.apply(h=Home(tmp_path))
    assert os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == pg
    assert os.environ["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    env = dict(os.environ)
    assert _get_value(env, "database", "sql_alchemy_conn") == pg
    assert _get_value(env, "core", "executor") == "CeleryExecutor"
