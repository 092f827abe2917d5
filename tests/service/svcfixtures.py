"""Test helpers of the service tests: a small lake home, the real server as a subprocess, apps by CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from catalogs import sqlfiles as catalog_sql
from citylake.core.db import connect
from citylake.core.paths import Home
from tests import ports

HERE = Path(__file__).parent
CITYLAKE = Path(sys.executable).with_name("citylake")
TIMEOUT = 60          # seconds: the machine may be shared and loaded
ENTITIES = 2500
PEOPLE = 40


def build_lake(root: Path) -> Home:
    """A home with a small DuckLake lake: base tables and their published catalog."""
    h = Home(root).ensure()
    conn = connect(h=h)
    try:
        conn.execute(catalog_sql.load("catalog_ddl.sql"))
        for stmt in (HERE / "lake.sql").read_text(encoding="utf-8").split(";\n"):
            if stmt.strip():
                params = {k: v for k, v in {"entities": ENTITIES, "people": PEOPLE}.items() if f"${k}" in stmt}
                conn.execute(stmt, params)
    finally:
        conn.close()
    return h


FORMULA = '=HYPERLINK("http://x")'     # a value a spreadsheet would run: CSV must defuse it
FORMULA_USCC = "915106009999999998"


def build_lake_with_formula(root: Path) -> Home:
    """`build_lake` plus one legal entity whose name is a spreadsheet formula (township 510603999)."""
    h = build_lake(root)
    conn = connect(h=h)
    try:
        conn.execute("insert into base.legal_entity (uscc, entity_name, registration_status, township_code, "
                     "contact_phone) values ($u, $f, 'active', '510603999', '13912345678')",
                     {"u": FORMULA_USCC, "f": FORMULA})
    finally:
        conn.close()
    return h


def env(h: Home) -> dict[str, str]:
    return {**os.environ, "CITYLAKE_HOME": str(h.root)}


def cli(h: Home, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([str(CITYLAKE), *args], env=env(h), capture_output=True, text=True, timeout=120,
                          check=check)


def add_app(h: Home, department: str = "civil", name: str = "低保核对系统") -> dict:
    out = cli(h, "service", "apps", "add", "--department", department, "--name", name, "--json")
    return json.loads(out.stdout)


free_port = ports.free_port


class Server:
    """`citylake serve` on a free loopback port, stopped by its PID."""

    def __init__(self, h: Home, *args: str, wait: float = 90):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (h.root / f"serve-{self.port}.log").open("w")
        self.proc = subprocess.Popen([str(CITYLAKE), "serve", "--port", str(self.port), *args], env=env(h),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._wait(wait)

    def _wait(self, timeout: float = 300) -> None:     # a loaded shared machine starts it slowly
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"citylake serve exited with {self.proc.returncode}: {Path(self.log.name).read_text()}")
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"citylake serve did not answer within {timeout} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def get(url: str, **kw) -> httpx.Response:
    return httpx.get(url, timeout=TIMEOUT, **kw)


def post(url: str, **kw) -> httpx.Response:
    return httpx.post(url, timeout=TIMEOUT, **kw)


def delete(url: str, **kw) -> httpx.Response:
    return httpx.delete(url, timeout=TIMEOUT, **kw)


def token(url: str, creds: dict) -> str:
    r = post(f"{url}/v1/token", data={"grant_type": "client_credentials", **creds})
    r.raise_for_status()
    return r.json()["access_token"]


def assert_problem(r: httpx.Response, status: int) -> dict:
    """A refusal: the status, RFC 9457 problem+json on one line."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers["content-type"]
    assert "\n" not in r.text
    body = r.json()
    assert body["status"] == status and body["detail"]
    return body


def first_slice_db(url: str) -> None:
    """A metadata database laid out as the service's first slice made it (first_slice_metadb.sql; on
    PostgreSQL `seq` is SERIAL, as SQLAlchemy made it there), with two hash-chained log rows."""
    import sqlalchemy as sa

    from service import log

    sql = (HERE / "first_slice_metadb.sql").read_text(encoding="utf-8")
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        sql = sql.replace("seq INTEGER NOT NULL", "seq SERIAL NOT NULL")
    body = "\n".join(ln for ln in sql.splitlines() if not ln.startswith("--"))
    with engine.begin() as c:
        for stmt in filter(str.strip, body.split(";\n")):
            c.exec_driver_sql(stmt)
    for status in (200, 403):
        log.append(engine, {"at": "2026-11-24T09:00:00+00:00", "client_id": "app_0123456789abcdef", "department": "civil",
                            "method": "GET", "path": "/v1/catalog", "status": status, "latency_ms": 1.5})
    engine.dispose()
