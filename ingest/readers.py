"""Readers: one delivery file -> a frame of registry columns (all VARCHAR as delivered).

Each reader returns a `Delivery`: the rows it could split into fields (`data`, with the
1-based `_row` in the source file), the rows it could not (`rejects`: malformed lines,
invalid JSON, wrong column count — they go to quarantine, never dropped), the file's
SHA-256 and schema-drift notes. A delivery that cannot be read at all raises
`DeliveryRejected` with a message naming the file and what to fix.

Polars and DuckDB do the parsing; Python only touches header lines and the (rare)
quoted CSV lines.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from citylake.hashing import sha256_file
from ingest.duck import frames, query
from ingest.errors import DeliveryRejected
from ingest.registry import Feed
from ingest.sql import render

REJECT_SCHEMA = {"_row": pl.Int64, "_source_file": pl.String, "field": pl.String, "reason_code": pl.String,
                 "reason": pl.String, "original": pl.String}


@dataclass
class Delivery:
    data: pl.DataFrame            # registry names (String) + _row (Int64) + _source_file (String)
    rejects: pl.DataFrame         # REJECT_SCHEMA
    sha256: str
    size_bytes: int
    drift: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return self.data.height + self.rejects.height


def empty_rejects() -> pl.DataFrame:
    return pl.DataFrame(schema=REJECT_SCHEMA)


def _norm_header(h: str) -> str:
    return str(h).replace("\ufeff", "").strip().strip("\u3000")


def map_columns(feed: Feed, headers: list[str], where: str) -> tuple[dict[str, str], list[str]]:
    """Source header -> registry name for the headers present; drift notes.

    A missing required column is fatal; a missing optional one lands as NULL (noted);
    an unknown column is ignored (noted); one missing + one unknown is reported as a
    possible rename."""
    present = {_norm_header(h): h for h in headers if h is not None}
    dupes = {h for h in (_norm_header(x) for x in headers) if [_norm_header(x) for x in headers].count(h) > 1}
    if dupes:
        raise DeliveryRejected(f"{where}: duplicate column header(s) {sorted(dupes)}; each column must appear once")
    mapping, drift = {}, []
    missing_req, missing_opt = [], []
    for f in feed.fields:
        if f.source in present:
            mapping[present[f.source]] = f.name
        elif f.required:
            missing_req.append(f.source)
        else:
            missing_opt.append(f.source)
    known = {f.source for f in feed.fields}
    extra = [h for h in present if h not in known and h and not h.startswith("__UNNAMED")]
    if missing_req:
        expected = ", ".join(f.source for f in feed.fields)
        hint = f" (header row {feed.header_row} of each sheet)" if feed.format == "xlsx" else ""
        raise DeliveryRejected(
            f"{where}: missing mandatory column(s) {missing_req}{hint}; found {list(present)}. "
            f"Expected header: {expected}. Re-deliver with these columns, or fix the feed registry "
            f"ingest/feeds/{feed.department.id}.yaml if the source system renamed them.")
    for m in missing_opt:
        drift.append(f"missing optional column {m!r}: landed as NULL")
    for x in extra:
        drift.append(f"new column {x!r} not in the registry: ignored")
    if len(missing_opt) == 1 and len(extra) == 1:
        drift.append(f"possible rename {missing_opt[0]!r} -> {extra[0]!r}")
    return mapping, drift


def _select_registry(df: pl.DataFrame, feed: Feed, mapping: dict[str, str], keep: list[str]) -> pl.DataFrame:
    cols = {v: k for k, v in mapping.items()}
    return df.select(
        *keep,
        *[(pl.col(cols[f.name]).cast(pl.String) if f.name in cols else pl.lit(None, pl.String)).alias(f.name)
          for f in feed.fields])


# ---------------------------------------------------------------- CSV
def decode(raw: bytes, encoding: str, where: str, drift: list[str]) -> str:
    """Decode with the *declared* encoding, verifying it; never guess silently."""
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            hint = ""
            try:
                raw.decode("gb18030")
                hint = " The bytes are valid GBK/GB18030: re-export the file as UTF-8, or declare encoding: gbk in the registry."
            except UnicodeDecodeError:
                pass
            raise DeliveryRejected(f"{where}: declared encoding {encoding} but byte {e.start} is not valid UTF-8 "
                                   f"({raw[e.start:e.start + 4]!r}).{hint}") from None
        if encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            drift.append("file starts with a UTF-8 BOM although declared utf-8 (accepted, BOM removed)")
        return text
    if raw.startswith(codecs.BOM_UTF8):
        raise DeliveryRejected(f"{where}: declared encoding {encoding} but the file starts with a UTF-8 BOM; "
                               f"re-export as {encoding.upper()} or declare encoding: utf-8-sig")
    if not raw.isascii():
        try:
            raw.decode("utf-8")
            raise DeliveryRejected(f"{where}: declared encoding {encoding} but the file is valid UTF-8 (its Chinese text "
                                   f"would be garbled as {encoding.upper()}); re-export as {encoding.upper()} or "
                                   f"declare encoding: utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as e:
        raise DeliveryRejected(f"{where}: declared encoding {encoding} but byte {e.start} "
                               f"({raw[e.start:e.start + 4]!r}) is not valid {encoding.upper()}") from None


def read_csv(feed: Feed, path: Path, source_file: str) -> Delivery:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    drift: list[str] = []
    if not raw.strip():
        raise DeliveryRejected(f"{source_file}: empty file (0 data rows, no header); re-deliver the export")
    text = decode(raw, feed.encoding or "utf-8", source_file, drift)
    lines = pl.Series("line", text.split("\n"), dtype=pl.String).str.strip_suffix("\r")
    header = next(csv.reader([lines[0]]))
    mapping, d2 = map_columns(feed, header, source_file)
    drift += d2
    width = len(header)
    body = pl.DataFrame({"_row": pl.int_range(1, lines.len() + 1, eager=True), "line": lines}).slice(1)
    body = body.filter(pl.col("line").str.strip_chars() != "")
    if body.height == 0:
        raise DeliveryRejected(f"{source_file}: header only, no data rows; re-deliver the export with its rows")
    quoted = body["line"].str.contains('"', literal=True)
    fast = body.filter(~quoted).with_columns(fields=pl.col("line").str.split(","))
    slow = body.filter(quoted)
    if slow.height:
        parsed = list(csv.reader(slow["line"].to_list()))
        slow = slow.with_columns(fields=pl.Series(parsed, dtype=pl.List(pl.String)))
        fields = pl.concat([fast, slow]).sort("_row")
    else:
        fields = fast
    fields = fields.with_columns(n=pl.col("fields").list.len())
    bad = fields.filter(pl.col("n") != width)
    good = fields.filter(pl.col("n") == width)
    rejects = bad.select(
        "_row", _source_file=pl.lit(source_file), field=pl.lit(None, pl.String), reason_code=pl.lit("malformed_line"),
        reason=pl.format("wrong column count: expected {} fields (as in the header), found {}", pl.lit(width), pl.col("n")),
        original=pl.struct(pl.col("line")).struct.json_encode())
    wide = good.select("_row", pl.col("fields").list.to_struct(fields=[f"c{i}" for i in range(width)])) \
        .unnest("fields") if good.height else pl.DataFrame({"_row": [], **{f"c{i}": [] for i in range(width)}},
                                                             schema={"_row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    idx_map = {f"c{header.index(src)}": name for src, name in mapping.items()}
    data = _select_registry(wide.with_columns(pl.col(c).replace("", None) for c in idx_map), feed, idx_map, ["_row"])
    data = data.with_columns(_source_file=pl.lit(source_file))
    return Delivery(data, rejects.cast(REJECT_SCHEMA), sha, len(raw), drift)


# ---------------------------------------------------------------- XLSX
def read_xlsx(feed: Feed, path: Path, source_file: str) -> Delivery:
    import fastexcel

    raw_size = path.stat().st_size
    sha = sha256_file(path)
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as e:  # fastexcel raises its own error types for corrupt workbooks
        raise DeliveryRejected(f"{source_file}: not a readable .xlsx workbook ({e}); re-export as Excel 2007+ .xlsx") from None
    sheets = list(feed.sheets) if feed.sheets else reader.sheet_names
    missing = [s for s in sheets if s not in reader.sheet_names]
    if missing:
        raise DeliveryRejected(f"{source_file}: sheet(s) {missing} declared in the registry are missing; "
                               f"found {reader.sheet_names}")
    parts, drift = [], []
    for s in sheets:
        where = f"{source_file} sheet {s!r}"
        sheet = reader.load_sheet(s, header_row=feed.header_row - 1, dtypes="string")
        df = sheet.to_polars()
        if df.width == 0:
            raise DeliveryRejected(f"{where}: no header found on row {feed.header_row}; the registry declares header_row: "
                                   f"{feed.header_row}")
        mapping, d2 = map_columns(feed, df.columns, where)
        drift += [f"sheet {s!r}: {d}" for d in d2]
        df = df.with_columns(_row=pl.int_range(feed.header_row + 1, feed.header_row + 1 + pl.len()))
        df = df.filter(~pl.all_horizontal(pl.exclude("_row").is_null() | (pl.exclude("_row").cast(pl.String).str.strip_chars() == "")))
        df = _select_registry(df, feed, mapping, ["_row"]).with_columns(_source_file=pl.lit(f"{source_file}#{s}"))
        parts.append(df)
    data = pl.concat(parts) if parts else pl.DataFrame()
    if data.height == 0:
        raise DeliveryRejected(f"{source_file}: no data rows below the header row {feed.header_row} in sheets {sheets}")
    return Delivery(data, empty_rejects(), sha, raw_size, drift, {"sheets": sheets})


# ---------------------------------------------------------------- JSON Lines
def read_jsonl(feed: Feed, path: Path, source_file: str, con) -> Delivery:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    drift: list[str] = []
    if not raw.strip():
        raise DeliveryRejected(f"{source_file}: empty file (no JSON lines); re-deliver the export")
    text = decode(raw, "utf-8", source_file, drift)  # JSON Lines are UTF-8 by definition
    lines = pl.DataFrame({"line": pl.Series(text.split("\n"), dtype=pl.String)}).with_columns(
        _row=pl.int_range(1, pl.len() + 1)).filter(pl.col("line").str.strip_chars() != "")
    with frames(con, jsonl_lines=lines):
        keys = query(con, render("jsonl_keys.sql"))["key"].to_list()
        mapping, d2 = map_columns(feed, keys, source_file)
        drift += d2
        sources = list(mapping)
        extracted = query(con, render("jsonl_extract.sql", columns=sources), [[f'$."{s}"' for s in sources]])
    rename = {f"c{i}": mapping[s] for i, s in enumerate(sources)}
    data = _select_registry(extracted.filter(pl.col("ok")).rename(rename), feed, {v: v for v in rename.values()},
                            ["_row"]).with_columns(_source_file=pl.lit(source_file))
    bad = extracted.filter(~pl.col("ok"))
    rejects = bad.select("_row", _source_file=pl.lit(source_file), field=pl.lit(None, pl.String),
                         reason_code=pl.lit("malformed_line"), reason=pl.lit("not a valid JSON object"),
                         original=pl.struct(line=pl.col("bad_line")).struct.json_encode())
    return Delivery(data, rejects.cast(REJECT_SCHEMA), sha, len(raw), drift)


# ---------------------------------------------------------------- SQLite (incremental by watermark)
def read_sqlite(feed: Feed, path: Path, source_file: str, con, low: str | None, high: str | None) -> Delivery:
    """Rows with low < watermark <= high (either bound optional), ordered by the watermark."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as s:
            cols = [r[1] for r in s.execute(f'PRAGMA table_info("{feed.table}")')]
    except sqlite3.DatabaseError as e:
        raise DeliveryRejected(f"{source_file}: not a readable SQLite database ({e})") from None
    if not cols:
        raise DeliveryRejected(f"{source_file}: table {feed.table!r} not found; the registry declares table: {feed.table}")
    mapping, drift = map_columns(feed, cols, f"{source_file} table {feed.table}")
    wm = feed.field(feed.watermark).source
    con.execute("SET sqlite_all_varchar = true")
    df = query(con, render("sqlite_extract.sql", watermark=wm, has_low=low is not None, has_high=high is not None),
               [str(path), feed.table] + ([low] if low is not None else []) + ([high] if high is not None else []))
    df = df.with_columns(_row=pl.int_range(1, pl.len() + 1))
    data = _select_registry(df, feed, mapping, ["_row"]).with_columns(
        _source_file=pl.lit(f"{source_file}#{feed.table}"))
    # the extract is the delivery: hash its content, not the ever-growing database file
    digest = hashlib.sha256(data.drop("_source_file").write_csv().encode("utf-8")).hexdigest()
    hi = data[feed.watermark].max() if data.height else None
    return Delivery(data, empty_rejects(), digest, int(np.int64(path.stat().st_size)), drift,
                    {"watermark": {"column": feed.watermark, "from": low, "to": hi if hi is not None else low}})


def original_json(df: pl.DataFrame, columns: list[str]) -> pl.Expr:
    return pl.struct(columns).struct.json_encode()


__all__ = ["Delivery", "read_csv", "read_xlsx", "read_jsonl", "read_sqlite", "decode", "map_columns", "json"]
