"""Landing: one delivery -> the raw zone (Parquet, all VARCHAR) + quarantine, atomically.

Contract (docs/architecture.md, "Raw zone"):
  raw/<department>/<feed>/dt=YYYY-MM-DD/part-0.parquet      landed rows, values as delivered
  raw/<department>/<feed>/dt=YYYY-MM-DD/_manifest.json      the current landing of that delivery
  raw/<department>/<feed>/_manifests.jsonl                  history of every landing attempt
  quarantine/<department>/<feed>/dt=YYYY-MM-DD/quarantine.parquet  refused rows with reason
Always rows_read == rows_landed + rows_quarantined (asserted).

Files are written to a temporary name and moved into place with os.replace; the
manifest is written last and is the commit marker of a landing. Landing the same
delivery again (same SHA-256) is a no-op ('unchanged'); a corrected re-delivery for
the same date replaces the previous landing ('replaced'); both stay in the history.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from citylake.core.paths import Home
from ingest import checks, readers, registry
from ingest.errors import DeliveryMissing, DeliveryRejected
from ingest.registry import Feed

STATUSES = ("landed", "unchanged", "replaced", "failed", "missing")
LANDED = ("landed", "unchanged", "replaced")  # the night's raw file is in place: the feed's gate runs on it
QUARANTINE_SCHEMA = {"feed_id": pl.String, "dt": pl.String, "source_file": pl.String, "row_number": pl.Int64,
                     "field": pl.String, "reason_code": pl.String, "reason": pl.String, "original": pl.String}


@dataclass
class LandingResult:
    feed_id: str
    date: str
    source_file: str
    sha256: str | None = None
    rows_read: int = 0
    rows_landed: int = 0
    rows_quarantined: int = 0
    status: str = "failed"
    message: str = ""
    schema_drift: list[str] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------- paths and small files
def raw_dir(feed: Feed, raw_root: Path, date: str) -> Path:
    return feed.raw_dir(raw_root, date)


def feed_root(feed: Feed, raw_root: Path) -> Path:
    return raw_root / feed.department.id / feed.id


def quarantine_path(feed: Feed, quarantine_root: Path, date: str) -> Path:
    return quarantine_root / feed.department.id / feed.id / f"dt={date}" / "quarantine.parquet"


def _tmp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write_json(path: Path, obj: dict) -> None:
    tmp = _tmp(path)
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _append_history(feed: Feed, raw_root: Path, entry: dict) -> None:
    path = feed_root(feed, raw_root) / "_manifests.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_manifest(feed: Feed, raw_root: Path, date: str) -> dict | None:
    p = raw_dir(feed, raw_root, date) / "_manifest.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else None


def read_history(feed: Feed, raw_root: Path) -> list[dict]:
    p = feed_root(feed, raw_root) / "_manifests.jsonl"
    if not p.exists():
        return []
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]


# ---------------------------------------------------------------- watermark state (sqlite feeds)
def state_path(feed: Feed, raw_root: Path) -> Path:
    return feed_root(feed, raw_root) / "_state.json"


def read_state(feed: Feed, raw_root: Path) -> dict:
    p = state_path(feed, raw_root)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"watermark": {"column": feed.watermark, "by_date": {}}}


def watermark_bounds(state: dict, date: str) -> tuple[str | None, str | None]:
    """Lower bound: the high mark of the latest landed date before `date` (re-landing a date
    reuses its own lower bound); upper bound: the lower bound of the next landed date."""
    by = state["watermark"]["by_date"]
    if date in by:
        low = by[date]["from"]
    else:
        before = [d for d in by if d < date]
        low = by[max(before)]["to"] if before else None
    after = [d for d in by if d > date]
    high = by[min(after)]["from"] if after else None
    return low, high


def later_mark(state: dict, date: str) -> str | None:
    """The high-water mark of the latest night landed after `date` (rows beyond the night up
    to it are those nights'; beyond it they are future rows of every earlier night)."""
    by = state["watermark"]["by_date"]
    return max((v["to"] for d, v in by.items() if d > date and v["to"]), default=None)


# ---------------------------------------------------------------- landing
def _connection() -> duckdb.DuckDBPyConnection:
    from citylake.core.db import LANDING_EXTENSIONS, connect
    from standards.macros import install_macros

    conn = connect(lake=False, extensions=LANDING_EXTENSIONS)
    install_macros(conn)  # the row checks use the standards' validators
    return conn


def _source_name(path: Path, inbox: Path) -> str:
    try:
        return str(path.resolve().relative_to(inbox.resolve()))
    except ValueError:
        return str(path)


def read_delivery(feed: Feed, path: Path, source_file: str, con, state: dict | None, date: str) -> readers.Delivery:
    if feed.format == "csv":
        return readers.read_csv(feed, path, source_file)
    if feed.format == "xlsx":
        return readers.read_xlsx(feed, path, source_file)
    if feed.format == "jsonl":
        return readers.read_jsonl(feed, path, source_file)
    state = state or read_state(feed, Path())
    return readers.read_sqlite(feed, path, source_file, con, (*watermark_bounds(state, date), later_mark(state, date)), date)


def read_or_refuse(feed: Feed, path: Path, source_file: str, con, state: dict | None, date: str) -> readers.Delivery:  # noqa: ANN001
    """The delivery, or DeliveryRejected naming the file: a reader that fails in an unforeseen
    way (a Polars/DuckDB/OS error on a malformed file) refuses this feed, never the night."""
    try:
        return read_delivery(feed, path, source_file, con, state, date)
    except DeliveryRejected:
        raise
    except Exception as e:  # noqa: BLE001 - any reader failure is this delivery's, reported with its file
        raise DeliveryRejected(f"{source_file}: the {feed.format} reader failed ({type(e).__name__}: "
                               f"{str(e).splitlines()[0] if str(e) else 'no detail'}); nothing landed. "
                               f"Check the file is a complete {feed.format} export and re-deliver") from e


def quarantine_frame(feed: Feed, date: str, d: readers.Delivery, data: pl.DataFrame, refused: pl.DataFrame) -> pl.DataFrame:
    """Reader rejects and rows refused by the checks, in the quarantine schema, by file and row.
    A refused row's `original` carries its registry columns (and `_extra` when the delivery had
    unknown columns)."""
    has_extra = data[readers.EXTRA].is_not_null().any()
    bad_rows = data.join(refused, on="_seq", how="inner")
    q_checks = bad_rows.select(
        feed_id=pl.lit(feed.id), dt=pl.lit(date), source_file=pl.col("_source_file"),
        row_number=pl.col("_row"), field="field", reason_code="reason_code", reason="reason",
        original=pl.struct(*feed.columns, *([readers.EXTRA] if has_extra else [])).struct.json_encode())
    q_reader = d.rejects.select(
        feed_id=pl.lit(feed.id), dt=pl.lit(date), source_file=pl.col("_source_file"), row_number=pl.col("_row"),
        field="field", reason_code="reason_code", reason="reason", original="original")
    return pl.concat([q_reader.cast(QUARANTINE_SCHEMA), q_checks.cast(QUARANTINE_SCHEMA)]).sort(
        "source_file", "row_number")


def keep_replaced(feed: Feed, raw_root: Path, quarantine_root: Path, date: str, previous: dict) -> dict:
    """Before a re-delivery replaces a landing, keep its files under `_replaced/` (the raw zone
    is immutable: the earlier landing stays readable; history lists where). Hard links: no copy,
    and the visible `part-0.parquet` is never missing. Returns the kept paths."""
    tag = previous["sha256"][:16]
    out_dir, qpath = raw_dir(feed, raw_root, date), quarantine_path(feed, quarantine_root, date)
    pairs = {"raw": (out_dir / "part-0.parquet", out_dir / "_replaced" / f"part-0.{tag}.parquet", raw_root),
             "quarantine": (qpath, qpath.parent / "_replaced" / f"quarantine.{tag}.parquet", quarantine_root),
             "manifest": (out_dir / "_manifest.json", out_dir / "_replaced" / f"_manifest.{tag}.json", raw_root)}
    kept = {}
    for what, (src, dst, root) in pairs.items():
        if src.exists() and not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dst)
            except OSError:  # a file system without hard links
                shutil.copy2(src, dst)
        if dst.exists():
            kept[what] = str(dst.relative_to(root))
    return {"sha256": previous["sha256"], "landed_at": previous.get("landed_at"), "files": kept}


def _write_landing(landed: pl.DataFrame, quarantine: pl.DataFrame, part: Path, qpath: Path) -> None:
    tmp_part, tmp_q = _tmp(part), _tmp(qpath)
    landed.write_parquet(tmp_part)
    quarantine.write_parquet(tmp_q)
    os.replace(tmp_q, qpath)
    os.replace(tmp_part, part)


def _manifest(feed: Feed, base_entry: dict, d: readers.Delivery, res: LandingResult, quarantine: pl.DataFrame,
              files: dict, timings: dict, previous: dict | None, replaced: dict | None) -> dict:
    by_reason = quarantine.group_by("reason_code").len().sort("reason_code")
    return {
        **base_entry, "status": "replaced" if previous else "landed", "sha256": d.sha256, "size_bytes": d.size_bytes,
        "format": feed.format, "encoding": feed.encoding,
        "rows_read": res.rows_read, "rows_landed": res.rows_landed, "rows_quarantined": res.rows_quarantined,
        "quarantine_by_reason": dict(zip(by_reason["reason_code"].to_list(), by_reason["len"].to_list(), strict=False)),
        "row_checks": checks.row_checks(feed),
        "schema": [{"name": c, "source": feed.field(c).source, "type": "VARCHAR"} for c in feed.columns]
        + [{"name": readers.EXTRA, "type": "VARCHAR"}, {"name": "_row", "type": "BIGINT"},
           {"name": "_source_file", "type": "VARCHAR"}, {"name": "_delivery_sha256", "type": "VARCHAR"},
           {"name": "_landed_at", "type": "TIMESTAMP"}],
        "schema_drift": d.drift, "landed_at": base_entry["attempted_at"], "files": files, "timings": timings,
        **({"replaces_sha256": previous["sha256"], "replaced": replaced} if previous else {}),
        **d.extra,
    }


def _save_watermark(feed: Feed, raw_root: Path, date: str, d: readers.Delivery) -> None:
    state = read_state(feed, raw_root)
    state["watermark"]["by_date"][date] = {k: d.extra["watermark"][k] for k in ("from", "to")}
    state["watermark"]["last"] = max((v["to"] for v in state["watermark"]["by_date"].values() if v["to"]),
                                     default=None)
    _write_json(state_path(feed, raw_root), state)


def _message(previous: dict | None, res: LandingResult, manifest: dict) -> str:
    msg = f"replaced delivery {previous['sha256'][:12]}… (kept in _replaced/)" if previous else ""
    if res.rows_read == 0:
        msg = (msg + "; " if msg else "") + "no rows tonight (allowed for this feed)"
    if res.rows_quarantined:
        msg = (msg + "; " if msg else "") + f"{res.rows_quarantined} row(s) quarantined: " + \
            ", ".join(f"{k}={v}" for k, v in manifest["quarantine_by_reason"].items())
    return msg


@dataclass
class _Attempt:
    """One landing attempt: where it reads and writes, what it records."""

    feed: Feed
    date: str
    path: Path
    raw_root: Path
    quarantine_root: Path
    res: LandingResult
    base_entry: dict
    landed_at: datetime


def land_feed(feed: Feed, date: str, inbox: Path, raw_root: Path, quarantine_root: Path,
              file: Path | None = None, strict: bool = False,
              con: duckdb.DuckDBPyConnection | None = None) -> LandingResult:
    """Land one feed's delivery for `date`. With strict=True a rejected delivery raises
    DeliveryRejected (and a missing one DeliveryMissing) instead of returning 'failed'/'missing'."""
    t0 = time.perf_counter()
    if isinstance(feed, str):
        feed = registry.feed(feed)
    path = Path(file) if file else feed.inbox_path(inbox, date)
    source_file = _source_name(path, inbox)
    landed_at = datetime.now(UTC).replace(tzinfo=None)
    base_entry = {"feed_id": feed.id, "department": feed.department.id, "date": date, "source_file": source_file,
                  "attempted_at": landed_at.isoformat(timespec="seconds")}
    a = _Attempt(feed, date, path, raw_root, quarantine_root, LandingResult(feed.id, date, source_file),
                 base_entry, landed_at)
    if not path.exists():
        msg = f"no delivery {source_file} for {date} in the inbox (late or not sent)"
        if strict:
            raise DeliveryMissing(msg)
        _append_history(feed, raw_root, {**base_entry, "status": "missing", "message": msg})
        status = ("missing", msg)
    else:
        own_con = con is None
        con = con or _connection()
        try:
            status = _land(a, con, strict)
        finally:
            if own_con:
                con.close()
    a.res.status, a.res.message = status
    a.res.seconds = round(time.perf_counter() - t0, 3)
    return a.res


def _land(a: _Attempt, con: duckdb.DuckDBPyConnection, strict: bool) -> tuple[str, str]:
    """Read, check and write a delivery that is in the inbox; (status, message)."""
    feed, res = a.feed, a.res
    fn = checks.install(con)
    state = read_state(feed, a.raw_root) if feed.format == "sqlite" else None
    t_read = time.perf_counter()
    try:
        d = read_or_refuse(feed, a.path, res.source_file, con, state, a.date)
    except DeliveryRejected as e:
        _append_history(feed, a.raw_root, {**a.base_entry, "status": "failed", "message": str(e)})
        if strict:
            raise
        return "failed", str(e)
    t_read = time.perf_counter() - t_read
    res.sha256, res.schema_drift, res.rows_read = d.sha256, d.drift, d.rows_read
    previous = read_manifest(feed, a.raw_root, a.date)
    if previous and previous.get("sha256") == d.sha256:
        res.rows_landed, res.rows_quarantined = previous["rows_landed"], previous["rows_quarantined"]
        return "unchanged", f"same delivery as landed at {previous['landed_at']}: nothing to do"

    t_check = time.perf_counter()
    data = d.data.with_columns(_seq=pl.int_range(pl.len(), dtype=pl.Int64))
    refused = checks.check(con, feed, data, fn)
    t_check = time.perf_counter() - t_check
    good = data.join(refused.select("_seq"), on="_seq", how="anti")
    quarantine = quarantine_frame(feed, a.date, d, data, refused)
    res.rows_landed, res.rows_quarantined = good.height, quarantine.height
    if res.rows_read != res.rows_landed + res.rows_quarantined:
        raise RuntimeError(f"{feed.id} {a.date}: rows read {res.rows_read} != landed {res.rows_landed} + "
                           f"quarantined {res.rows_quarantined}")

    landed = good.select(*feed.columns, readers.EXTRA, pl.col("_row").cast(pl.Int64), "_source_file",
                         _delivery_sha256=pl.lit(d.sha256), _landed_at=pl.lit(a.landed_at))
    t_write = time.perf_counter()
    out_dir = raw_dir(feed, a.raw_root, a.date)
    part, qpath = out_dir / "part-0.parquet", quarantine_path(feed, a.quarantine_root, a.date)
    replaced = keep_replaced(feed, a.raw_root, a.quarantine_root, a.date, previous) if previous else None
    _write_landing(landed, quarantine, part, qpath)
    t_write = time.perf_counter() - t_write

    files = {"raw": str(part.relative_to(a.raw_root)), "quarantine": str(qpath.relative_to(a.quarantine_root))}
    timings = {"read": round(t_read, 3), "check": round(t_check, 3), "write": round(t_write, 3)}
    manifest = _manifest(feed, a.base_entry, d, res, quarantine, files, timings, previous, replaced)
    _write_json(out_dir / "_manifest.json", manifest)
    _append_history(feed, a.raw_root, manifest)
    if feed.format == "sqlite":
        _save_watermark(feed, a.raw_root, a.date, d)
    return manifest["status"], _message(previous, res, manifest)


def land_all(date: str, home: Home, feeds: list[str] | None = None,
             progress: Callable[[LandingResult], None] | None = None) -> list[LandingResult]:
    """Land every (or the given) feed's delivery for `date` from the home's inbox. Each feed
    stands alone: a refused or unreadable delivery is that feed's `failed` result, and the
    other feeds go on."""
    all_feeds = registry.load()
    selected = [registry.feed(f) for f in feeds] if feeds else list(all_feeds.values())
    results = []
    con = _connection()
    try:
        for feed in selected:
            r = land_feed(feed, date, home.inbox, home.raw, home.quarantine, con=con)
            results.append(r)
            if progress:
                progress(r)
    finally:
        con.close()
    return results
