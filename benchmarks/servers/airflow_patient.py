"""The real Airflow services of benchmarks/servers/airflow.py, for the PostgreSQL runs: on
loopback ports from this machine's share when CITYLAKE_TEST_PORTS names one (`lo-hi`), and
patient with an API server that a loaded machine slows past one request's timeout."""

from __future__ import annotations

import time
import urllib.error
from dataclasses import dataclass

from benchmarks.servers.airflow import AirflowServices
from benchmarks.servers.pgserver import free_port

PORTS_ENV = "CITYLAKE_TEST_PORTS"


def services_port() -> int:
    return free_port(PORTS_ENV)


@dataclass
class Services(AirflowServices):
    attempts: int = 5  # a REST call that timed out is asked again this many times in all

    def env(self) -> dict[str, str]:
        env = super().env()
        env["AIRFLOW__API__HOST"] = "127.0.0.1"
        for k in ("AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT", "AIRFLOW__TRIGGERER__TRIGGERER_HEALTH_CHECK_SERVER_PORT"):
            env[k] = str(free_port(PORTS_ENV))
        return env

    def start(self, timeout: float = 600.0) -> Services:
        """Start the services (an API server on a loaded machine may take minutes); the ones
        started are stopped again when they do not all come up."""
        try:
            return super().start(timeout)
        except BaseException:
            self.stop()
            raise

    def api(self, method: str, path: str, payload: dict | None = None) -> dict:
        for attempt in range(1, self.attempts + 1):
            try:
                return super().api(method, path, payload)
            except urllib.error.HTTPError:
                raise
            except (TimeoutError, urllib.error.URLError):
                if attempt == self.attempts or method != "GET":
                    raise
                time.sleep(2.0 * attempt)
        raise AssertionError("unreachable")
