"""The floor: the nightly batch's work as plain DuckDB in one process — no Airflow, no dbt, no GX.

    python -m benchmarks.floor ingest  <inbox> <floor_home> <date>
    python -m benchmarks.floor checks  <floor_home> <date>
    python -m benchmarks.floor transform <floor_home> <product_home>
    python -m benchmarks.floor limit <inbox> <floor_home> <product_home> <date>

`transform` replays the product's own compiled dbt SQL (target/compiled) in dependency order,
with the raw paths pointed at the floor's raw zone, so both sides run the same transformations;
then it runs the product's compiled dbt data tests as plain `count(*)` queries, so both sides
run the same validations (dbt's unit tests check logic on fixtures, not the night's data: the
nightly build leaves them to CI, and so does the floor).

`limit` is the speed of light of the night on this machine: every delivered byte read once and
every library row (the base, theme and indicator tables the product built) written once, each as a
DuckDB `COPY … TO parquet` — no transformation, no check. No implementation of the night can do less.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from citylake.core.db import EXTENSIONS, connect, ducklake_attach_sql
from citylake.core.paths import Home
from citylake.core.sqlfiles import SqlDir, ident
from citylake.core.sqlfiles import literal as lit
from ingest import registry
from standards.macros import install_macros

SQL = SqlDir(Path(__file__).with_name("sql"))


def reader_sql(feed: registry.Feed, path: Path) -> str:
    """The plain DuckDB table function that reads one delivery."""
    p = lit(path)
    if feed.format == "csv":
        # GB18030 is a superset of GBK (DuckDB's encodings extension knows it as gb18030)
        enc = {"utf-8-sig": "utf-8", "gb18030": "gb18030", "gbk": "gb18030"}.get(feed.encoding, "utf-8")
        return f"read_csv({p}, all_varchar = true, header = true, encoding = {lit(enc)}, ignore_errors = true)"
    if feed.format == "jsonl":
        return f"read_json({p}, format = 'newline_delimited', records = true)"
    if feed.format == "xlsx":
        return (f"read_xlsx({p}, header = true, all_varchar = true, stop_at_empty = true, "
                f"range = {lit(f'A{feed.header_row}:ZZ1048576')})")
    return f"sqlite_scan({p}, {lit(feed.table)})"


def read_plain(conn, feed: registry.Feed, src: Path, out: Path) -> int:  # noqa: ANN001
    """One delivery read by plain DuckDB into Parquet, its header mapped (benchmarks/sql/floor_read.sql); rows."""
    fields = [{"src": ident(f.source), "name": ident(f.name)} for f in feed.fields]
    conn.execute(SQL.render("floor_read.sql", fields=fields, reader=reader_sql(feed, src), target=lit(out),
                            source_file=lit(src.name)))
    return conn.execute(f"select count(*) from read_parquet({lit(out)})").fetchone()[0]


def ingest(inbox: Path, floor: Path, date: str) -> dict:
    conn = connect(lake=False, extensions=EXTENSIONS)
    rows = 0
    for feed in registry.load().values():
        src = feed.inbox_path(inbox, date)
        if not src.exists():
            continue
        out = floor / "raw" / feed.department.id / feed.id / f"dt={date}" / "part-0.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        rows += read_plain(conn, feed, src, out)
    return {"rows": rows}


def checks(floor: Path, date: str) -> dict:
    conn = connect(lake=False)
    install_macros(conn)
    rows = 0
    for feed in registry.load().values():
        path = floor / "raw" / feed.department.id / feed.id / f"dt={date}" / "part-0.parquet"
        if not path.exists():
            continue
        kinds = {f.name: f.element for f in feed.fields}
        sql = SQL.render("floor_checks.sql",
            path=lit(path), pk=[ident(k) for k in feed.primary_key],
            required=[ident(f.name) for f in feed.fields if f.required],
            ric=[ident(n) for n, e in kinds.items() if e == "id_number"],
            uscc=[ident(n) for n, e in kinds.items() if e == "uscc"])
        rows += conn.execute(sql).fetchone()[0]
    return {"rows": rows}


def _model_order(manifest: dict) -> list[dict]:
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    done: list[str] = []
    seen: set[str] = set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for dep in nodes[uid]["depends_on"]["nodes"]:
            visit(dep)
        done.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    return [nodes[u] for u in done]


def transform(floor: Path, product: Path) -> dict:
    """Replay the product's compiled models in one DuckDB process against the floor's raw zone."""
    target = Home(product).dbt_target
    manifest = Home(product).dbt_manifest()
    db_file = floor / "floor.duckdb"
    db_file.unlink(missing_ok=True)
    conn = connect(lake=False, extensions=EXTENSIONS)
    install_macros(conn)                 # the product's dbt on-run-start hook installs them (citylake_on_run_start)
    conn.execute(f"attach {lit(db_file)} as lake")
    # incremental models read their own previous state: start them empty, with the product's columns
    conn.execute(ducklake_attach_sql(Home(product), read_only=True, alias="product"))
    for schema in ("staging", "intermediate", "base", "theme", "indicator"):
        conn.execute(f"create schema if not exists lake.{schema}")
    rows, timings = 0, {}
    for node in _model_order(manifest):
        compiled = target / "compiled" / "citylake" / node["original_file_path"]
        if not compiled.exists():
            continue
        sql = compiled.read_text().replace(str(product), str(floor))
        sql = re.sub(r";\s*$", "", sql.strip())
        rel = f"{node['schema']}.{ident(node.get('alias') or node['name'])}"
        name = f"lake.{rel}"
        materialized = node["config"]["materialized"]
        kind = "view" if materialized == "view" else "table"
        t0 = time.perf_counter()
        if materialized == "incremental":
            conn.execute(f"create or replace table {name} as select * from product.{rel} limit 0")
            conn.execute(f"insert into {name} by name {sql}")
        else:
            conn.execute(f"create or replace {kind} {name} as {sql}")
        timings[node["name"]] = time.perf_counter() - t0
        if kind == "table":
            rows += conn.execute(f"select count(*) from {name}").fetchone()[0]
    models_s = sum(timings.values())
    t0 = time.perf_counter()
    tests, failures = _data_tests(conn, manifest, target, product, floor)
    slowest = dict(sorted(timings.items(), key=lambda kv: -kv[1])[:10])
    return {"rows": rows, "models": len(timings), "models_s": models_s, "slowest": slowest,
            "tests": tests, "test_failures": failures, "tests_s": time.perf_counter() - t0}


def _data_tests(conn, manifest: dict, target: Path, product: Path, floor: Path) -> tuple[int, int]:  # noqa: ANN001
    """Run every compiled dbt data test (generic or singular) as `select count(*)`: (tests, failing)."""
    tests = failures = 0
    for node in sorted((n for n in manifest["nodes"].values() if n["resource_type"] == "test"),
                       key=lambda n: n["unique_id"]):
        compiled = target / "compiled" / "citylake" / node["original_file_path"]
        if compiled.suffix in (".yml", ".yaml"):   # generic test: compiled under its properties file
            compiled = compiled / node["path"]
        if not compiled.exists():
            continue
        sql = re.sub(r";\s*$", "", compiled.read_text().replace(str(product), str(floor)).strip())
        tests += 1
        failures += conn.execute(f"select count(*) > 0 from ({sql}) as dbt_internal_test").fetchone()[0]
    return tests, failures


def limit(inbox: Path, floor: Path, product: Path, date: str) -> dict:
    """Read every delivery once, write every library table once (both as Parquet); seconds per part."""
    from standards.libraries import LAYERS

    out_dir = floor / "limit"
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = connect(lake=False, extensions=EXTENSIONS)
    t0, read_bytes = time.perf_counter(), 0
    for feed in registry.load().values():
        src = feed.inbox_path(inbox, date)
        if src.exists():
            read_bytes += src.stat().st_size
            conn.execute(SQL.render("limit_read.sql", reader=reader_sql(feed, src),
                                    target=lit(out_dir / f"in__{feed.id}.parquet")))
    read_s = time.perf_counter() - t0
    conn.execute(ducklake_attach_sql(Home(product), read_only=True, alias="product"))
    tables = conn.execute(SQL.load("limit_tables.sql"), {"layers": list(LAYERS)}).fetchall()
    rows, per_table = 0, {}
    for schema, table in tables:
        t1 = time.perf_counter()
        copy = SQL.render("limit_write.sql", table=f"product.{ident(schema)}.{ident(table)}",
                          target=lit(out_dir / f"out__{schema}.{table}.parquet"))
        rows += conn.execute(copy).fetchone()[0]  # COPY returns the rows written
        per_table[f"{schema}.{table}"] = time.perf_counter() - t1
    return {"rows": rows, "read_bytes": read_bytes, "read_s": read_s, "write_s": sum(per_table.values()),
            "tables": len(per_table), "per_table_s": per_table}


def main(argv: list[str]) -> int:
    cmd, *args = argv
    t0 = time.perf_counter()
    if cmd == "ingest":
        out = ingest(Path(args[0]), Path(args[1]), args[2])
    elif cmd == "checks":
        out = checks(Path(args[0]), args[1])
    elif cmd == "transform":
        out = transform(Path(args[0]), Path(args[1]))
    elif cmd == "limit":
        out = limit(Path(args[0]), Path(args[1]), Path(args[2]), args[3])
    else:
        raise SystemExit(f"unknown floor stage {cmd}")
    out["seconds"] = time.perf_counter() - t0
    print("FLOOR_RESULT " + json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
