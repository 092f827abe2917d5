"""Start and drive a real Airflow (scheduler, dag-processor, API server, triggerer) from Python.

Used by the scheduler tests and the scheduler benchmark: the processes are
Airflow's own CLI commands with citylake's environment; only the processes started here are
stopped afterwards. The REST API (v2, JWT from /auth/token) triggers and watches runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.servers.ports import free_port
from citylake.core.paths import Home
from citylake.orchestration import airflow_env

COMPONENTS = ("scheduler", "dag-processor", "api-server", "triggerer")
PAGE = 100  # items per page of the REST API's lists


@dataclass
class AirflowServices:
    h: Home
    port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    components: tuple[str, ...] = COMPONENTS  # e.g. ("api-server",) to read what a night left
    _token: str | None = None
    _saved_environ: dict[str, str] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = os.environ.copy()
        env.update(airflow_env.airflow_env(h=self.h))
        env["AIRFLOW__API__PORT"] = str(self.port)
        env["AIRFLOW__API__BASE_URL"] = self.base_url
        env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] = f"{self.base_url}/execution/"
        env["AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL"] = "5"
        env["AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC"] = "2"
        # Worker logs/ports of each component must not collide with another Airflow on this machine.
        env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] = str(free_port())
        env["AIRFLOW__TRIGGERER__TRIGGERER_HEALTH_CHECK_SERVER_PORT"] = str(free_port())
        return env

    def start(self, timeout: float = 120.0) -> AirflowServices:
        env = self.env()
        self._saved_environ = dict(os.environ)  # given back in stop(): later tests see their own
        os.environ.update({k: v for k, v in env.items() if k.startswith(("AIRFLOW", "CITYLAKE"))})
        airflow_env.ensure_metadata_db(h=self.h)
        logs = self.h.airflow / "service-logs"
        logs.mkdir(parents=True, exist_ok=True)
        exe = str(Path(sys.executable).parent / "airflow")
        for comp in self.components:
            args = [exe, comp] + (["--port", str(self.port)] if comp == "api-server" else [])
            out = open(logs / f"{comp}.log", "ab")  # noqa: SIM115 - kept open for the child's lifetime
            self.procs[comp] = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT,
                                                start_new_session=True)
        try:
            return self._wait_for_api(timeout)
        except BaseException:
            self.stop()  # `with` does not call __exit__ when __enter__ raises
            raise

    def _wait_for_api(self, timeout: float) -> AirflowServices:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                self.token()
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(1.0)
        raise TimeoutError(f"Airflow API server did not come up on {self.base_url} in {timeout}s")

    def _check_alive(self) -> None:
        for comp, p in self.procs.items():
            if p.poll() is not None:
                raise RuntimeError(f"airflow {comp} exited with {p.returncode}; see "
                                   f"{self.h.airflow / 'service-logs' / (comp + '.log')}")

    def stop(self) -> None:
        """Stop only the processes started here (their whole process groups)."""
        for p in self.procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        self.procs.clear()
        if self._saved_environ is not None:
            os.environ.clear()
            os.environ.update(self._saved_environ)
            self._saved_environ = None

    def __enter__(self) -> AirflowServices:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- REST API -------------------------------------------------------------------------
    def token(self) -> str:
        if self._token is None:
            body = json.dumps({"username": "admin", "password": "admin"}).encode()
            req = urllib.request.Request(f"{self.base_url}/auth/token", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as r:
                self._token = json.loads(r.read())["access_token"]
        return self._token

    def api(self, method: str, path: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(f"{self.base_url}/api/v2{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {self.token()}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")

    def wait_for_dag(self, dag_id: str, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                self.api("GET", f"/dags/{dag_id}")
                return
            except urllib.error.HTTPError:
                time.sleep(2.0)
        raise TimeoutError(f"DAG {dag_id} was not parsed within {timeout}s")

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/dags/{dag_id}", {"is_paused": False})

    def trigger(self, dag_id: str, conf: dict, logical_date: str | None = None) -> str:
        run = self.api("POST", f"/dags/{dag_id}/dagRuns", {"conf": conf, "logical_date": logical_date})
        return run["dag_run_id"]

    def runs(self, dag_id: str) -> list[dict]:
        return self.api("GET", f"/dags/{dag_id}/dagRuns?order_by=-run_after").get("dag_runs", [])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 600.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            run = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in ("success", "failed"):
                return run
            time.sleep(2.0)
        raise TimeoutError(f"{dag_id} {run_id} did not finish within {timeout}s")

    def first_run(self, dag_id: str, timeout: float) -> dict | None:
        """The first run of `dag_id` (e.g. one its Assets start), once it has finished; None if none started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if runs := self.runs(dag_id):
                return self.wait_for_run(dag_id, runs[0]["dag_run_id"], timeout=max(1.0, deadline - time.monotonic()))
            time.sleep(3.0)
        return None

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        """Every task instance of a run, page by page (the API gives at most [api] maximum_page_limit,
        default 100, per page)."""
        out: list[dict] = []
        while True:
            page = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit={PAGE}&offset={len(out)}")
            items = page.get("task_instances", [])
            out += items
            if not items or len(out) >= page.get("total_entries", 0):
                return out
