"""The data service under load: wrk on loopback against `citylake serve`, each figure beside its in-process floor.

    python -m benchmarks.service --home /tmp/copy-of-a-home [--duration 15] [--connections 16] [--workers 2]
    make bench-service HOME_DIR=/tmp/copy-of-a-home

The home must hold a built lake (e.g. a copy of the demo home: the run registers an app and writes the
service's exchange log there). Measured, each for --duration seconds and at most --requests requests:
  - verify:  POST /v1/verify (person) — calls/s and p99 — next to verify() in-process on the same lake;
  - records: GET a 100-row records page of a 无条件共享 entry with an eq filter — next to
             records.page() in-process (the same query without HTTP);
  - both floors also without the serving copies (records: every query on the lake at its snapshot, the old path;
             verify: its index built from the lake instead of a copy);
  - export:  POST /v1/exports of base.population (all its applicable columns, granted to the benchmark app)
             to Parquet, from the call to the file being ready — next to a plain DuckDB COPY of the same
             columns at the same snapshot;
  - log:     the exchange log's cost per row: one commit per row, and group commit under --connections threads
             (on a scratch metadata database, so the home's log holds only real calls);
  - the generator's own CPU (wrk's user+system seconds per wall second), since it shares the cores.
Debian's wrk (apt-get install wrk) is the generator: a Lua script sets the body and the token.
Results: benchmarks/results/<time>-service.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from benchmarks.measure import exit_on_sigterm
from benchmarks.servers.ports import free_port

LUA = Path(__file__).with_name("lua") / "service.lua"
CITYLAKE = Path(sys.executable).with_name("citylake")
FILTERS = ("township_code", "county_code", "registration_status")


def _cli(env: dict, *args: str) -> str:
    return subprocess.run([str(CITYLAKE), *args], env=env, capture_output=True, text=True, check=True,
                          timeout=300).stdout


def start_server(env: dict, workers: int, log: Path, port: int = 0) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(CITYLAKE), "serve", "--port", str(port), "--workers", str(workers)], env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    end = time.monotonic() + 600        # a loaded shared machine starts it slowly
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"citylake serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("citylake serve did not answer within 600 s")


def parse_wrk(out: str) -> dict:
    """Requests/s, p50/p99 latency (ms), requests, non-2xx from wrk --latency output."""
    def ms(v: str) -> float:
        n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
        return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"calls_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": ms(lat["50"]), "p99_ms": ms(lat["99"]),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def run_wrk(url: str, token: str, args, method: str = "GET", body: str | None = None) -> dict:
    """One wrk run (loopback only), bounded by --duration and --requests; with wrk's own CPU."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the benchmark runs on loopback only")
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_METHOD": method,
           "BENCH_MAX_REQUESTS": str(max(1, args.requests))} | ({"BENCH_BODY": body} if body else {})   # one thread
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "5s",
                          "-s", str(LUA), url], env=env, capture_output=True, text=True, check=True,
                         timeout=args.duration + 60).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures = parse_wrk(out)
    # wrk divides by the whole --duration: a run stopped by the request bound gives a lower bound of the rate
    return {**figures, "stopped_at_request_bound": figures["requests"] >= args.requests, "wall_s": wall,
            "generator_cpu_s": cpu, "generator_cpu_share": cpu / wall}


def _timed(fn, n: int, seconds: float) -> dict:
    """calls/s and p99 of `fn` called in a loop (up to n calls or `seconds`), after a first call timed apart
    (it makes this process's serving copy of the table)."""
    t = time.perf_counter()
    fn()
    first = (time.perf_counter() - t) * 1000
    lat, end = [], time.perf_counter() + seconds
    start = time.perf_counter()
    while len(lat) < n and time.perf_counter() < end:
        t = time.perf_counter()
        fn()
        lat.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - start
    lat.sort()
    return {"calls_per_s": len(lat) / wall, "p50_ms": lat[len(lat) // 2], "p99_ms": lat[int(len(lat) * 0.99)],
            "requests": len(lat), "first_call_ms": first}


def shapes(h, token_url: str, token: str) -> tuple[dict, str]:
    """The verify body (a real person of the lake) and the records URL (a readable entry, an eq filter)."""
    from service.lake import Lake

    lake = Lake(h)
    with lake.cursor() as cur:
        pid, name = cur.execute("select id_number, person_name from lake.base.population "
                                "where id_number is not null and person_name is not null limit 1").fetchone()
    auth = {"Authorization": f"Bearer {token}"}
    cat = httpx.get(f"{token_url}/v1/catalog", headers=auth, timeout=60).json()["entries"]
    for e in sorted(cat, key=lambda e: e["resource_code"] != "102001001/000001"):
        if e["access"] != "readable":
            continue
        items = httpx.get(f"{token_url}/v1/catalog/{e['path_code']}", headers=auth, timeout=60).json()["items"]
        col = next((i["name"] for i in items if i["name"] in FILTERS and i["readable"] and not i["masked"]), None)
        if col:
            first = httpx.get(f"{token_url}/v1/datasets/{e['path_code']}/records", params={"select": col, "limit": 1},
                              headers=auth, timeout=60).json()["records"][0][col]
            return ({"kind": "person", "id_number": pid, "name": name},
                    f"{token_url}/v1/datasets/{e['path_code']}/records?{col}=eq.{first}&limit=100")
    raise RuntimeError("no readable catalog entry with a filterable column")


def _warm(url: str, token: str, body: dict, workers: int) -> list[float]:
    """ms of the first verify calls (each worker builds its verification index of the source on its first call)."""
    out = []
    for _ in range(2 * workers):
        t = time.perf_counter()
        httpx.post(f"{url}/v1/verify", json=body, headers={"Authorization": f"Bearer {token}"},
                   timeout=600).raise_for_status()
        out.append((time.perf_counter() - t) * 1000)
    return out


def floors(h, verify_body: dict, records_url: str, args, copies: bool = True) -> dict:
    """The same queries in-process, no HTTP: a cursor, the snapshot, the query — as a route does
    (`copies`: with this process's serving copies, else every query on the lake at its snapshot)."""
    from urllib.parse import parse_qsl, urlparse

    from service import grants, records
    from service.lake import Lake
    from service.settings import Settings
    from service.verify import PersonQuery, Verifier

    # DuckDB as a server worker runs it (the same threads setting)
    lake, q = Lake(h, copies=copies, threads=Settings.from_home(h).duckdb_threads), PersonQuery(**verify_body)
    verifier = Verifier(lake)

    def verify_call() -> None:
        with lake.cursor() as cur:
            verifier.verify(cur, q, lake.snapshot(cur))

    u = urlparse(records_url)
    code, params = u.path.split("/")[-2], dict(parse_qsl(u.query))

    def records_call() -> None:
        with lake.cursor() as cur:
            snap = lake.snapshot(cur)
            e = lake.entry(cur, snap, code)
            a = grants.readable(e, None, date.today())
            fs = records.filters([(k, v) for k, v in params.items() if k != "limit"])
            req = records.Request("bench", e, a, list(a.columns), fs, int(params["limit"]), None)
            records.page(lake, cur, b"k" * 32, req, snap)

    seconds = min(args.duration, 10)
    return {"verify": _timed(verify_call, args.requests, seconds), "records": _timed(records_call, args.requests, seconds)}


POPULATION = "101001001/000001"


def export_http(env: dict, url: str, token: str) -> dict:
    """Seconds from POST /v1/exports of base.population (Parquet) to the file being ready, its rows and columns;
    the benchmark app applies for every applicable column, the platform passes its review and the provider
    approves (by CLI). Two exports: the figure is the second's (`first_seconds`: the first, which also opens
    the worker's bulk connection)."""
    auth = {"Authorization": f"Bearer {token}", "X-Purpose": "benchmark"}
    code = POPULATION.replace("/", "-")
    items = httpx.get(f"{url}/v1/catalog/{code}", headers=auth, timeout=60).json()
    cols = [i["name"] for i in items["items"] if i["share_type"] != "not_shared"]
    app = httpx.post(f"{url}/v1/applications", headers=auth, timeout=60, json={
        "resource_code": POPULATION, "columns": cols, "purpose": "benchmark of the bulk export",
        "legal_basis": "benchmark", "valid_until": date.today().replace(year=date.today().year + 1).isoformat()})
    if app.status_code != 201:
        raise RuntimeError(f"the benchmark's application was refused: {app.text[:300]}")
    application_id = app.json()["application_id"]
    _cli(env, "service", "applications", "review", application_id, "--pass")  # the platform's review first
    _cli(env, "service", "applications", "approve", application_id, "--department", items["provider"])
    with httpx.Client(base_url=url, headers=auth, timeout=60) as client:     # one connection: one worker
        first = _one_export(client)
        return {**_one_export(client), "first_seconds": first["seconds"]}


def _one_export(client: httpx.Client) -> dict:
    """One export, timed from the call to the file being ready (polled every 20 ms)."""
    t = time.perf_counter()
    job = client.post("/v1/exports", json={"resource_code": POPULATION, "format": "parquet"}).json()
    while (row := client.get(f"/v1/exports/{job['export_id']}").json())["status"] == "running":
        time.sleep(0.02)
    seconds = time.perf_counter() - t
    if row["status"] != "ready":
        raise RuntimeError(f"the export failed: {row['detail']}")
    return {"seconds": seconds, "rows": row["rows"], "bytes": row["bytes"], "columns": row["columns"],
            "snapshot_id": row["snapshot_id"]}


def export_copy(h, columns: list[str], snapshot: int, work: Path) -> dict:
    """A plain DuckDB COPY of the same columns of base.population at the same snapshot to Parquet (the floor)."""
    from citylake.core.db import connect

    conn = connect(read_only=True, h=h)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        t = time.perf_counter()
        conn.execute(f"copy (select {cols} from lake.base.population at (version => {int(snapshot)})) "
                     f"to '{work / 'copy.parquet'}' (format parquet)")
        return {"seconds": time.perf_counter() - t, "bytes": (work / "copy.parquet").stat().st_size}
    finally:
        conn.close()


def log_cost(connections: int, work: Path, n: int = 400) -> dict:
    """ms per exchange-log row: one commit per row (serially), and group commit from `connections` threads."""
    from concurrent.futures import ThreadPoolExecutor

    from service import log as exchange_log
    from service.metadb import open_engine

    row = {"at": "2026-01-01T00:00:00+00:00", "client_id": "bench", "method": "POST", "path": "/v1/verify",
           "status": 200, "latency_ms": 1.0, "bytes": 60}
    engine = open_engine(f"sqlite:///{work / 'log-bench.sqlite'}")
    t = time.perf_counter()
    for _ in range(n):
        exchange_log.append(engine, row)
    single = (time.perf_counter() - t) * 1000 / n
    writer = exchange_log.Writer(engine)
    t = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda _: writer.submit(row).result(), range(n * 4)))
    group = (time.perf_counter() - t) * 1000 / (n * 4)
    writer.close()
    checked, problems = exchange_log.verify(engine)
    engine.dispose()
    return {"commit_per_row_ms": single, "group_commit_ms_per_row": group, "threads": connections,
            "chain_rows": checked, "chain_intact": not problems}


def measure(h, args, work: Path) -> dict:
    env = {**os.environ, "CITYLAKE_HOME": str(h.root)}
    app = json.loads(_cli(env, "service", "apps", "add", "--department", args.department, "--name", "benchmark",
                          "--json"))
    _cli(env, "service", "apps", "quota", app["client_id"], "--per-minute", "100000000", "--rows-per-day",
         "1000000000")
    proc, url = start_server(env, args.workers, work / "serve.log", args.port)
    try:
        token = httpx.post(f"{url}/v1/token", data={"grant_type": "client_credentials", **app},
                           timeout=60).json()["access_token"]
        verify_body, records_url = shapes(h, url, token)
        first = _warm(url, token, verify_body, args.workers)
        http = {"verify": run_wrk(f"{url}/v1/verify", token, args, "POST", json.dumps(verify_body)),
                "records": run_wrk(records_url, token, args)}
        try:
            export = export_http(env, url, token) if not args.no_export else None
        except RuntimeError as e:          # the figures above are kept; the report says why not this one
            export = {"error": str(e)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        _cli(env, "service", "apps", "revoke", app["client_id"])
    floor, lake = floors(h, verify_body, records_url, args), floors(h, verify_body, records_url, args, copies=False)
    out = {"verify": {"http": http["verify"] | {"first_calls_ms": first}, "floor": floor["verify"],
                      "floor_lake": lake["verify"]},
           "records": {"http": http["records"], "floor": floor["records"], "floor_lake": lake["records"],
                       "url": records_url.split("/v1/", 1)[1]},
           "log": log_cost(args.connections, work)}
    if export and "error" in export:
        out["export"] = export
    elif export:
        copy = export_copy(h, export["columns"], export["snapshot_id"], work)
        out["export"] = {"http": export, "copy": copy, "ratio": export["seconds"] / copy["seconds"]}
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import machine, write_result
    from citylake.core.paths import Home, home

    ap = argparse.ArgumentParser(prog="python -m benchmarks.service")
    ap.add_argument("--home", type=Path, default=None, help="a home with a built lake (default CITYLAKE_HOME)")
    ap.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    ap.add_argument("--requests", type=int, default=2_000_000, help="at most this many requests per wrk run")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="uvicorn workers (default: cores)")
    ap.add_argument("--port", type=int, default=0, help="loopback port of the server (default: a free one)")
    ap.add_argument("--no-export", action="store_true", help="skip the bulk export of base.population")
    ap.add_argument("--department", default="civil", help="the department of the benchmark's app")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (Debian's HTTP load generator)", file=sys.stderr)
        return 2
    h = (Home(args.home) if args.home else home()).require_lake()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        figures = measure(h, args, Path(tmp))
    report = {"machine": machine(), "home": str(h.root), "load_avg_before": load, "load_avg_after": os.getloadavg(),
              "settings": {k: getattr(args, k) for k in ("duration", "requests", "connections", "workers")},
              "generator": "wrk -t1 (Debian), loopback", **figures}
    for k in ("verify", "records"):
        r = figures[k]
        print(f"{k:8} HTTP {r['http']['calls_per_s']:8.0f}/s p99 {r['http']['p99_ms']:7.1f} ms "
              f"(non-2xx {r['http']['non_2xx']}, wrk CPU {r['http']['generator_cpu_share']:.0%})   "
              f"floor {r['floor']['calls_per_s']:8.0f}/s p99 {r['floor']['p99_ms']:6.2f} ms   "
              f"lake floor {r['floor_lake']['calls_per_s']:6.0f}/s")
    lg = figures["log"]
    print(f"log      {lg['commit_per_row_ms']:.2f} ms/row committed alone, {lg['group_commit_ms_per_row']:.2f} ms/row "
          f"by group commit ({lg['threads']} threads)")
    if "export" in figures and "error" in figures["export"]:
        print(f"export   not measured: {figures['export']['error']}")
    elif "export" in figures:
        x = figures["export"]
        print(f"export   {x['http']['rows']:,} rows in {x['http']['seconds']:.2f} s vs COPY {x['copy']['seconds']:.2f} s "
              f"({x['ratio']:.2f}×; the worker's first export {x['http']['first_seconds']:.2f} s)")
    print(f"wrote {write_result(report, 'service')}")
    return 0


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())
