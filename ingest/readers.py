"""Readers: one delivery file -> a frame of registry columns (all VARCHAR as delivered).

Each reader returns a `Delivery`: the rows it could split into fields (`data`, with the
1-based `_row` in the source file), the rows it could not (`rejects`: malformed lines,
invalid JSON, wrong column count, a truncated last line, a missing or future watermark —
they go to quarantine, never dropped), the file's SHA-256 and schema-drift notes.
Source columns the registry does not know are kept, as delivered, in `_extra` (a JSON
object per row, NULL when the row has none): nothing delivered is lost, columns included.
A delivery that cannot be read at all raises `DeliveryRejected` with a message naming
the file (and row) and what to fix.

Polars and DuckDB do the parsing; Python only touches header lines, the quoted CSV
records (RFC 4180, embedded line breaks included) and JSON Lines (strict JSON, numbers
kept as their delivered text).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

import numpy as np
import polars as pl

from citylake.core.hashing import sha256_file
from ingest.duck import query
from ingest.errors import DeliveryRejected
from ingest.registry import Feed
from ingest.sql import render

REJECT_SCHEMA = {"_row": pl.Int64, "_source_file": pl.String, "field": pl.String, "reason_code": pl.String,
                 "reason": pl.String, "original": pl.String}
EXTRA = "_extra"


@dataclass
class Delivery:
    data: pl.DataFrame            # registry names (String) + _extra + _row (Int64) + _source_file (String)
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


def empty_data(feed: Feed) -> pl.DataFrame:
    return pl.DataFrame(schema={"_row": pl.Int64, **{c: pl.String for c in feed.columns}, EXTRA: pl.String,
                                "_source_file": pl.String})


def _norm_header(h: str) -> str:
    return str(h).replace("\ufeff", "").strip().strip("\u3000")


def map_columns(feed: Feed, headers: list[str], where: str) -> tuple[dict[str, str], list[str], list[str]]:
    """Source header -> registry name for the headers present; the unknown headers (kept in
    `_extra`); drift notes.

    A missing required column is fatal; a missing optional one lands as NULL (noted); an
    unknown column is kept in `_extra` (noted); one missing + one unknown is reported as a
    possible rename."""
    normed = [_norm_header(x) for x in headers if x is not None]
    dupes = {h for h in normed if normed.count(h) > 1}
    if dupes:
        raise DeliveryRejected(f"{where}: duplicate column header(s) {sorted(dupes)}; each column must appear once")
    present = {_norm_header(h): h for h in headers if h is not None}
    mapping, missing_req, missing_opt = {}, [], []
    for f in feed.fields:
        if f.source in present:
            mapping[present[f.source]] = f.name
        elif f.required:
            missing_req.append(f.source)
        else:
            missing_opt.append(f.source)
    known = {f.source for f in feed.fields}
    unknown = [present[h] for h in present if h not in known]
    if missing_req:
        expected = ", ".join(f.source for f in feed.fields)
        hint = f" (header row {feed.header_row} of each sheet)" if feed.format == "xlsx" else ""
        raise DeliveryRejected(
            f"{where}: missing mandatory column(s) {missing_req}{hint}; found {list(present)}. "
            f"Expected header: {expected}. Re-deliver with these columns, or fix the feed registry "
            f"ingest/feeds/{feed.department.id}.yaml if the source system renamed them.")
    drift = [f"missing optional column {m!r}: landed as NULL" for m in missing_opt]
    named = [_norm_header(x) for x in unknown if _norm_header(x) and not _norm_header(x).startswith("__UNNAMED")]
    drift += [f"new column {x!r} not in the registry: kept in {EXTRA}" for x in named]
    if len(missing_opt) == 1 and len(named) == 1:
        drift.append(f"possible rename {missing_opt[0]!r} -> {named[0]!r} (its values are in {EXTRA})")
    return mapping, unknown, drift


def extra_json(columns: dict[str, str]) -> pl.Expr:
    """`_extra`: a JSON object {source header: value as delivered} of the non-empty unknown
    columns (`columns`: frame column -> source header); NULL when a row has none."""
    if not columns:
        return pl.lit(None, pl.String).alias(EXTRA)
    pairs = [pl.when(pl.col(c).is_not_null()).then(pl.concat_str(
        pl.lit(json.dumps(_norm_header(h), ensure_ascii=False) + ":"), _json_value(pl.col(c))))
        for c, h in columns.items()]
    body = pl.concat_list(pairs).list.drop_nulls().list.join(",")
    return pl.when(body != "").then(pl.concat_str(pl.lit("{"), body, pl.lit("}"))).alias(EXTRA)


def _json_value(e: pl.Expr) -> pl.Expr:
    """A text value as a JSON string literal (escaped by Polars' JSON encoder)."""
    return pl.struct(e.cast(pl.String).alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")


def _select_registry(df: pl.DataFrame, feed: Feed, mapping: dict[str, str], keep: list[str],
                     unknown: dict[str, str] | None = None) -> pl.DataFrame:
    """The registry columns (renamed from `mapping`: frame column -> registry name), `_extra`
    from `unknown` (frame column -> source header) and the `keep` columns."""
    cols = {v: k for k, v in mapping.items()}
    return df.select(
        *keep,
        *[(pl.col(cols[f.name]).cast(pl.String) if f.name in cols else pl.lit(None, pl.String)).alias(f.name)
          for f in feed.fields],
        extra_json(unknown or {}))


def no_rows(feed: Feed, where: str, what: str) -> None:
    """A delivery without data rows: refused unless the registry allows a quiet night."""
    if not feed.allow_no_rows:
        raise DeliveryRejected(f"{where}: {what}; re-deliver the export with its rows (or, if this event feed "
                               f"may have no rows on a quiet night, set allow_no_rows: true for {feed.id} in "
                               f"ingest/feeds/{feed.department.id}.yaml)")


# ---------------------------------------------------------------- CSV
def _line_of(raw: bytes, pos: int) -> str:
    """'line L, byte B' of a byte offset (1-based line, as an editor shows it)."""
    line = raw.count(b"\n", 0, pos) + 1
    return f"line {line}, byte {pos}"


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
            raise DeliveryRejected(f"{where}: declared encoding {encoding} but {_line_of(raw, e.start)} is not valid "
                                   f"UTF-8 ({raw[e.start:e.start + 4]!r}).{hint}") from None
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
        raise DeliveryRejected(f"{where}: declared encoding {encoding} but {_line_of(raw, e.start)} "
                               f"({raw[e.start:e.start + 4]!r}) is not valid {encoding.upper()}") from None


def csv_records(text: str, source_file: str) -> pl.DataFrame:
    """The file's records (RFC 4180): _row (line where the record starts), record (its text,
    embedded line breaks kept), quoted (whether it needs the csv module), last (ends the file).

    A quoted field may span lines: a record goes on while its count of `"` is odd. A quote
    that is never closed swallows the rest of the file: the delivery is refused, naming the
    line where it opens."""
    lines = pl.Series("line", text.split("\n"), dtype=pl.String)
    df = pl.DataFrame({"_row": pl.int_range(1, lines.len() + 1, eager=True), "line": lines})
    if '"' not in text:
        recs = df.select("_row", record=pl.col("line").str.strip_suffix("\r"), quoted=pl.lit(False))
    else:
        q = pl.col("line").str.count_matches('"', literal=True)
        df = df.with_columns(open_after=(q.cum_sum() % 2) == 1)
        df = df.with_columns(rec=(~pl.col("open_after").shift(1, fill_value=False)).cum_sum())
        if df["open_after"][-1]:
            start = df.filter(pl.col("rec") == df["rec"][-1])["_row"][0]
            raise DeliveryRejected(
                f"{source_file}: line {start}: a quoted field opens here and is never closed (a stray \"), so the "
                f"rest of the file cannot be split into rows; nothing landed. Fix the quoting (RFC 4180: a field "
                f"with \" , or a line break is enclosed in \"…\", a \" inside it is doubled) and re-deliver.")
        recs = df.group_by("rec", maintain_order=True).agg(
            pl.col("_row").first(), record=pl.col("line").str.join("\n").str.strip_suffix("\r")
        ).select("_row", "record", quoted=pl.col("record").str.contains('"', literal=True))
    return recs.with_columns(last=pl.int_range(pl.len()) == pl.len() - 1)


def split_records(recs: pl.DataFrame) -> pl.DataFrame:
    """`fields` (list of text) per record, NULL where the quoting is broken (RFC 4180, strict)."""
    fast = recs.filter(~pl.col("quoted")).with_columns(fields=pl.col("record").str.split(","))
    slow = recs.filter(pl.col("quoted"))
    if not slow.height:
        return fast
    texts = slow["record"].to_list()
    try:
        parsed = list(csv.reader(texts, strict=True))
        if len(parsed) != len(texts):
            raise csv.Error("records and rows differ")
    except csv.Error:
        parsed = [_parse_one(t) for t in texts]
    slow = slow.with_columns(fields=pl.Series(parsed, dtype=pl.List(pl.String)))
    return pl.concat([fast, slow]).sort("_row")


def _parse_one(text: str) -> list[str] | None:
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _csv_rejects(fields: pl.DataFrame, width: int, truncated: bool, source_file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(good, rejects): a record is refused for broken quoting, a wrong field count, or as the
    unterminated last line of a file that does not end with a line break (cut in transfer)."""
    n = pl.col("fields").list.len()
    cut = pl.col("last") & pl.lit(truncated)
    reason = (pl.when(cut).then(pl.lit("the file ends inside this row (no line break after the last line): "
                                       "truncated in transfer? Re-deliver the complete file"))
              .when(pl.col("fields").is_null()).then(pl.lit("broken quoting (RFC 4180): a quoted field must be "
                                                            "followed by , or the end of the line"))
              .when(n != width).then(pl.format("wrong column count: expected {} fields (as in the header), found {}",
                                               pl.lit(width), n)))
    fields = fields.with_columns(_why=reason)
    rejects = fields.filter(pl.col("_why").is_not_null()).select(
        "_row", _source_file=pl.lit(source_file), field=pl.lit(None, pl.String), reason_code=pl.lit("malformed_line"),
        reason="_why", original=pl.struct(line=pl.col("record")).struct.json_encode())
    return fields.filter(pl.col("_why").is_null()), rejects.cast(REJECT_SCHEMA)


def read_csv(feed: Feed, path: Path, source_file: str) -> Delivery:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    drift: list[str] = []
    if not raw.strip():
        raise DeliveryRejected(f"{source_file}: empty file (0 data rows, no header); re-deliver the export")
    text = decode(raw, feed.encoding or "utf-8", source_file, drift)
    recs = csv_records(text, source_file)
    header = _parse_one(recs["record"][0]) or []
    mapping, unknown, d2 = map_columns(feed, header, source_file)
    drift += d2
    body = recs.slice(1).filter(pl.col("record").str.strip_chars() != "")
    if body.height == 0:
        no_rows(feed, source_file, "header only, no data rows")
        return Delivery(empty_data(feed), empty_rejects(), sha, len(raw), drift)
    good, rejects = _csv_rejects(split_records(body), len(header), not text.endswith("\n"), source_file)
    width = len(header)
    wide = good.select("_row", pl.col("fields").list.to_struct(fields=[f"c{i}" for i in range(width)])).unnest("fields") \
        if good.height else pl.DataFrame(schema={"_row": pl.Int64, **{f"c{i}": pl.String for i in range(width)}})
    idx_map = {f"c{header.index(src)}": name for src, name in mapping.items()}
    extra_cols = {f"c{header.index(src)}": src for src in unknown}
    wide = wide.with_columns(pl.col(c).replace("", None) for c in [*idx_map, *extra_cols])
    data = _select_registry(wide, feed, idx_map, ["_row"], extra_cols).with_columns(_source_file=pl.lit(source_file))
    return Delivery(data, rejects, sha, len(raw), drift)


# ---------------------------------------------------------------- XLSX
def _open_workbook(path: Path, source_file: str):  # noqa: ANN202 - fastexcel.ExcelReader
    import fastexcel

    try:
        return fastexcel.read_excel(str(path))
    except Exception as e:  # fastexcel raises its own error types for corrupt workbooks
        raise DeliveryRejected(f"{source_file}: not a readable .xlsx workbook ({e}); re-export as Excel 2007+ .xlsx") from None


def _load_sheet(reader, feed: Feed, s: str, where: str) -> pl.DataFrame:  # noqa: ANN001 - fastexcel.ExcelReader
    try:
        return reader.load_sheet(s, header_row=feed.header_row - 1, dtypes="string").to_polars()
    except Exception as e:  # fastexcel: a sheet shorter than the header row, unreadable cells
        raise DeliveryRejected(f"{where}: cannot be read with the header on row {feed.header_row} ({e})") from None


def is_data_sheet(feed: Feed, s: str, df: pl.DataFrame) -> bool:
    """A sheet is a data sheet if the registry declares it (`sheets:`) or, without a
    declaration, if its header row carries at least one of the feed's source columns."""
    if feed.sheets:
        return s in feed.sheets
    known = {f.source for f in feed.fields}
    return any(_norm_header(c) in known for c in df.columns)


def _data_sheets(feed: Feed, reader, source_file: str) -> tuple[list[tuple[str, pl.DataFrame]], list[str]]:  # noqa: ANN001
    """The data sheets and their frames; other sheets are refused unless `allow_extra_sheets`."""
    missing = [s for s in feed.sheets or () if s not in reader.sheet_names]
    if missing:
        raise DeliveryRejected(f"{source_file}: sheet(s) {missing} declared in the registry are missing; "
                               f"found {reader.sheet_names}")
    sheets = [(s, _load_sheet(reader, feed, s, f"{source_file} sheet {s!r}")) for s in reader.sheet_names]
    extra = [s for s, df in sheets if not is_data_sheet(feed, s, df)]
    if len(extra) == len(sheets):  # no data sheet at all: the header is not where declared
        _sheet_frame(feed, *sheets[0], source_file)
    if extra and not feed.allow_extra_sheets:
        raise DeliveryRejected(
            f"{source_file}: sheet(s) {extra} are not data sheets of {feed.id} (no registry column on header row "
            f"{feed.header_row}); remove them and re-deliver, or, if the department's workbooks carry notes sheets, "
            f"set allow_extra_sheets: true for {feed.id} in ingest/feeds/{feed.department.id}.yaml")
    return [(s, df) for s, df in sheets if s not in extra], [f"sheet {s!r} skipped: not a data sheet (allow_extra_sheets)" for s in extra]


def _sheet_frame(feed: Feed, s: str, df: pl.DataFrame, source_file: str) -> tuple[pl.DataFrame, list[str]]:
    where = f"{source_file} sheet {s!r}"
    if df.width == 0:
        raise DeliveryRejected(f"{where}: no header found on row {feed.header_row}; the registry declares header_row: "
                               f"{feed.header_row}")
    mapping, unknown, drift = map_columns(feed, df.columns, where)
    df = df.with_columns(_row=pl.int_range(feed.header_row + 1, feed.header_row + 1 + pl.len()))
    df = df.filter(~pl.all_horizontal(pl.exclude("_row").is_null() | (pl.exclude("_row").cast(pl.String).str.strip_chars() == "")))
    df = _select_registry(df, feed, mapping, ["_row"], {c: c for c in unknown})
    return df.with_columns(_source_file=pl.lit(f"{source_file}#{s}")), [f"sheet {s!r}: {d}" for d in drift]


def read_xlsx(feed: Feed, path: Path, source_file: str) -> Delivery:
    raw_size = path.stat().st_size
    sha = sha256_file(path)
    reader = _open_workbook(path, source_file)
    sheets, drift = _data_sheets(feed, reader, source_file)
    parts = []
    for s, df in sheets:
        part, d2 = _sheet_frame(feed, s, df, source_file)
        parts.append(part)
        drift += d2
    data = pl.concat(parts)
    if data.height == 0:
        no_rows(feed, source_file, f"no data rows below the header row {feed.header_row} in sheets {[s for s, _ in sheets]}")
    return Delivery(data, empty_rejects(), sha, raw_size, drift, {"sheets": [s for s, _ in sheets]})


# ---------------------------------------------------------------- JSON Lines
class _Number(str):
    """A JSON number kept as its delivered text (`1.10` stays `1.10`)."""


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON (RFC 8259 has no NaN/Infinity)")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"duplicate key {dup!r} in one object (which value is meant?)")
    return out


# numbers as their delivered text; the nested decoder also marks them, to write nested values back
_DECODER = json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
_NESTED = json.JSONDecoder(parse_float=_Number, parse_int=_Number, parse_constant=_no_constant,
                           object_pairs_hook=_unique_keys)


def json_text(v: object) -> str | None:
    """A parsed JSON value as delivered text: strings as is, numbers as written, true/false,
    null -> NULL, arrays/objects as compact JSON (their numbers as written)."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _json_item(x) for k, x in v.items()) + "}"
    return "[" + ",".join(_json_item(x) for x in v) + "]"


def _json_item(v: object) -> str:
    if isinstance(v, _Number) or isinstance(v, (dict, list, bool)) or v is None:
        return json_text(v) if v is not None else "null"
    return json.dumps(v, ensure_ascii=False)


def _json_extra(obj: dict, unknown: list[str], line: str) -> str | None:
    """`_extra` of a JSON line: its non-null unknown keys, values as written (numbers, nesting)."""
    if not any(obj.get(k) is not None for k in unknown):
        return None
    obj = _NESTED.decode(line)                                  # numbers marked, to be written unquoted
    items = [json.dumps(k, ensure_ascii=False) + ":" + _json_item(obj[k]) for k in unknown if obj.get(k) is not None]
    return "{" + ",".join(items) + "}" if items else None


def parse_json_line(line: str) -> tuple[dict | None, str | None]:
    """(object, None) for a strict JSON object, else (None, why)."""
    try:
        obj = _DECODER.decode(line)
    except ValueError as e:
        return None, f"not valid JSON: {e}"
    if not isinstance(obj, dict):
        kind = {list: "array", str: "string or number", bool: "true/false"}.get(type(obj), "null")
        return None, f"not a JSON object (the line is a JSON {kind})"
    if any(isinstance(v, (dict, list)) for v in obj.values()):   # rare: keep nested numbers as written
        obj = _NESTED.decode(line)
    return obj, None


def _jsonl_frames(lines: pl.DataFrame) -> tuple[list[dict], list[tuple[int, str]], pl.DataFrame]:
    """Parsed objects with their (line number, text), and the lines that are not strict JSON objects."""
    objs, where, bad = [], [], []
    for row, line in lines.iter_rows():
        obj, why = parse_json_line(line)
        if obj is None:
            bad.append((row, why, line))
        else:
            objs.append(obj)
            where.append((row, line))
    rejects = pl.DataFrame(bad, schema={"_row": pl.Int64, "reason": pl.String, "line": pl.String}, orient="row")
    return objs, where, rejects


def read_jsonl(feed: Feed, path: Path, source_file: str) -> Delivery:
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    drift: list[str] = []
    text = decode(raw, "utf-8", source_file, drift)  # JSON Lines are UTF-8 by definition
    lines = pl.DataFrame({"line": pl.Series(text.split("\n"), dtype=pl.String)}).with_columns(
        _row=pl.int_range(1, pl.len() + 1)).filter(pl.col("line").str.strip_chars() != "").select("_row", "line")
    if lines.height == 0:
        no_rows(feed, source_file, "empty file (no JSON lines)")
        return Delivery(empty_data(feed), empty_rejects(), sha, len(raw), drift)
    objs, where, bad = _jsonl_frames(lines)
    keys = list(dict.fromkeys(k for o in objs for k in o))
    mapping, unknown, d2 = (map_columns(feed, keys, source_file) if objs else ({f.source: f.name for f in feed.fields}, [], []))
    drift += d2
    cols = {k: pl.Series(k, [json_text(o.get(k)) for o in objs], dtype=pl.String) for k in mapping}
    frame = pl.DataFrame({"_row": pl.Series([r for r, _ in where], dtype=pl.Int64), **cols})
    extra = [_json_extra(o, unknown, line) for o, (_, line) in zip(objs, where, strict=True)] if unknown else None
    data = _select_registry(frame, feed, mapping, ["_row"]).with_columns(
        _source_file=pl.lit(source_file), _extra=pl.Series(extra or [None] * len(objs), dtype=pl.String))
    rejects = bad.select("_row", _source_file=pl.lit(source_file), field=pl.lit(None, pl.String),
                         reason_code=pl.lit("malformed_line"), reason="reason",
                         original=pl.struct(line=pl.col("line")).struct.json_encode())
    return Delivery(data, rejects.cast(REJECT_SCHEMA), sha, len(raw), drift)


# ---------------------------------------------------------------- SQLite (incremental by watermark)
WATERMARK_PROBLEMS = {
    "missing": ("missing_required", "watermark {col} is empty: the row cannot be placed in a night; "
                                    "fill it in the source system"),
    "unparseable": ("wrong_type", "watermark {col} is not a date-time: {value}"),
    "future": ("future_watermark", "watermark {col} {value} is after the night being landed ({night}): a typo "
                                   "(e.g. the year)? Fix it in the source system; the high-water mark stays in {night}"),
}


def _sqlite_columns(path: Path, feed: Feed, source_file: str) -> list[str]:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as s:
            cols = [r[1] for r in s.execute(f'PRAGMA table_info("{feed.table}")')]
    except sqlite3.DatabaseError as e:
        raise DeliveryRejected(f"{source_file}: not a readable SQLite database ({e})") from None
    if not cols:
        raise DeliveryRejected(f"{source_file}: table {feed.table!r} not found; the registry declares table: {feed.table}")
    return cols


def _sqlite_extract(con, path: Path, feed: Feed, source_file: str, bounds: tuple[str | None, str | None, str | None],  # noqa: ANN001
                    night: str) -> pl.DataFrame:
    """Rows with low < watermark <= high inside the night, plus the rows whose watermark is
    missing, unparseable or after the night (`_wm_problem`), ordered by the watermark."""
    import duckdb

    wm = feed.field(feed.watermark).source
    low, high, later = bounds
    next_day = str(Date.fromisoformat(night) + timedelta(days=1))
    params = [str(path), feed.table, next_day, later] + [b for b in (low, high) if b is not None]
    con.execute("SET sqlite_all_varchar = true")
    try:
        df = query(con, render("sqlite_extract.sql", watermark=wm, has_low=low is not None,
                               has_high=high is not None), params)
    except duckdb.Error as e:  # a damaged database file fails on the pages it reads
        raise DeliveryRejected(f"{source_file}: table {feed.table} cannot be read ({type(e).__name__}: {e}); "
                               f"re-deliver the database") from None
    return df.sort(["_wm_problem", wm, *[c for c in df.columns if c not in ("_wm_problem", wm)]], nulls_last=False)


def _watermark_rejects(df: pl.DataFrame, feed: Feed, wm: str, source_file: str, night: str) -> pl.DataFrame:
    bad = df.filter(pl.col("_wm_problem").is_not_null())
    reasons = [pl.when(pl.col("_wm_problem") == k).then(pl.format(
        why.replace("{col}", wm).replace("{night}", night).replace("{value}", "{}"),
        *([pl.col(wm)] if "{value}" in why else []))) for k, (_, why) in WATERMARK_PROBLEMS.items()]
    codes = pl.col("_wm_problem").replace_strict({k: c for k, (c, _) in WATERMARK_PROBLEMS.items()})
    cols = [c for c in df.columns if not c.startswith("_")]
    return bad.select("_row", _source_file=pl.lit(source_file), field=pl.lit(feed.watermark), reason_code=codes,
                      reason=pl.coalesce(reasons), original=pl.struct(cols).struct.json_encode()).cast(REJECT_SCHEMA)


def read_sqlite(feed: Feed, path: Path, source_file: str, con, bounds: tuple[str | None, str | None, str | None],  # noqa: ANN001
                night: str) -> Delivery:
    """Rows with low < watermark <= high (`bounds` = low, high, later: either bound optional;
    `later` = the mark of the latest later night landed) and inside `night`; rows with a
    missing, unparseable or future watermark are quarantined, never silently skipped."""
    cols = _sqlite_columns(path, feed, source_file)
    mapping, unknown, drift = map_columns(feed, cols, f"{source_file} table {feed.table}")
    wm = feed.field(feed.watermark).source
    where = f"{source_file}#{feed.table}"
    low = bounds[0]
    df = _sqlite_extract(con, path, feed, source_file, bounds, night).with_columns(_row=pl.int_range(1, pl.len() + 1))
    rejects = _watermark_rejects(df, feed, wm, where, night)
    good = df.filter(pl.col("_wm_problem").is_null())
    data = _select_registry(good, feed, mapping, ["_row"], {c: c for c in unknown}).with_columns(
        _source_file=pl.lit(where))
    # the extract is the delivery: hash its content, not the ever-growing database file
    digest = hashlib.sha256(df.drop("_wm_problem").write_csv().encode("utf-8")).hexdigest()
    hi = data[feed.watermark].max() if data.height else None
    return Delivery(data, rejects, digest, int(np.int64(path.stat().st_size)), drift,
                    {"watermark": {"column": feed.watermark, "from": low, "to": hi if hi is not None else low}})


__all__ = ["Delivery", "read_csv", "read_xlsx", "read_jsonl", "read_sqlite", "decode", "map_columns"]
