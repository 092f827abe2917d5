"""Test helpers of the service tests: a small lake home, the real server as a subprocess, apps by CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.servers import ports
from catalogs import sqlfiles as catalog_sql
from citylake.core.db import connect
from citylake.core.paths import Home

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


MISLABELLED = "102001002-000001"      # a catalog entry whose free-text column is not marked personal


def build_lake_mislabelled(root: Path) -> Home:
    """`build_lake` plus an entry the catalog got wrong: `contact_note` and `contact_person` are marked `none` (no
    masking rule); one row (uscc ...0003) holds a mobile number, another (...0004) a resident's full name (李4 of
    base.population), the others a masked name and ordinary words: only the exit's leak check stands in the way."""
    h = build_lake(root)
    conn = connect(h=h)
    try:
        conn.execute("create table base.entity_contact as select '91510600' || lpad(i::varchar, 10, '0') as uscc, "
                     "case when i = 3 then '联系人 13912345678' else '无' end as contact_note, "
                     "case i when 4 then '李4' when 1 then '李*' when 2 then '李' else '财务部' end as contact_person "
                     "from range(1, 6) t(i)")
        conn.execute("insert into catalog.entries (resource_code, model, schema_name, table_name, name_zh, name_en, "
                     "provider_id, provider_zh, share_type, share_condition, update_cycle, row_count) values "
                     "('102001002/000001', 'base.entity_contact', 'base', 'entity_contact', '法人联系信息', "
                     "'Entity contacts', 'samr', '市场监督管理局', 'unconditional', '', 'daily', 5)")
        conn.execute("insert into catalog.items (resource_code, position, column_name, name_zh, name_en, data_type, "
                     "pii, share_type, share_condition, mask) values "
                     "('102001002/000001', 1, 'uscc', '统一社会信用代码', 'USCC', 'string', 'none', 'unconditional', '', null), "
                     "('102001002/000001', 2, 'contact_note', '联系说明', 'Contact note', 'string', 'none', "
                     "'unconditional', '', null), ('102001002/000001', 3, 'contact_person', '联系人', 'Contact person', "
                     "'string', 'none', 'unconditional', '', null)")
    finally:
        conn.close()
    return h


def log_rows(h: Home, client_id: str) -> list:
    """The exchange log rows of one app, in order (the service's own table, read as the service reads it)."""
    import sqlalchemy as sa

    from catalogs.grants import db_url
    from service.metadb import exchange_log, open_engine

    engine = open_engine(db_url(h))
    try:
        with engine.connect() as c:
            return c.execute(sa.select(exchange_log).where(exchange_log.c.client_id == client_id)
                             .order_by(exchange_log.c.seq)).all()
    finally:
        engine.dispose()


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


def reviewed(h: Home, application_id: str) -> str:
    """Pass an application through the platform's conformity review (合规性审核): on to its provider."""
    cli(h, "service", "applications", "review", application_id, "--pass")
    return application_id


free_port = ports.free_port


class Server:
    """`citylake serve` on a free loopback port, stopped by its PID."""

    def __init__(self, h: Home, *args: str, wait: float = 90, settings: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (h.root / f"serve-{self.port}.log").open("w")
        self.proc = subprocess.Popen([str(CITYLAKE), "serve", "--port", str(self.port), *args],
                                     env=env(h) | (settings or {}),
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


def finished_export(url: str, auth: dict, export_id: str) -> dict:
    """GET /v1/exports/{id} until the export is neither queued nor running (within TIMEOUT)."""
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        r = get(f"{url}/v1/exports/{export_id}", headers=auth)
        assert r.status_code == 200, r.text
        if r.json()["status"] not in ("queued", "running"):
            return r.json()
        time.sleep(0.3)
    raise AssertionError(f"export {export_id} did not finish")


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
    PostgreSQL `seq` is SERIAL, as SQLAlchemy made it there), with three hash-chained log rows (two catalog calls, one records page of 7 rows)."""
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
    page = {k: None for k in log.FIELDS} | {   # a records page of 7 rows, chained as the first slice chained it
        "at": "2026-11-24T09:01:00+00:00", "client_id": "app_0123456789abcdef", "department": "civil",
        "method": "GET", "path": "/v1/datasets/102001001-000001/records", "rows": 7, "status": 200, "latency_ms": 2.0}
    with engine.begin() as c:
        prev = c.exec_driver_sql("select row_hash from exchange_log order by seq desc limit 1").scalar()
        c.execute(sa.insert(sa.table("exchange_log", *(sa.column(k) for k in (*log.FIELDS, "prev_hash", "row_hash")))),
                  [{**page, "prev_hash": prev, "row_hash": log.row_hash(prev, page)}])
    engine.dispose()
