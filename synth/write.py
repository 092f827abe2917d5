"""Writers: a feed's frame (registry names) -> the department's delivery file (source headers).

Every file is written to a temporary name and moved into place with os.replace, so a
reader never sees half a delivery.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from ingest.registry import Feed
from synth.dirt import malformed_lines

BOM = "\ufeff"


def _tmp(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def to_source(df: pl.DataFrame, feed: Feed) -> pl.DataFrame:
    return df.rename({f.name: f.source for f in feed.fields})


def write_csv(df: pl.DataFrame, feed: Feed, path: Path, rng: np.random.Generator | None = None) -> None:
    text = to_source(df, feed).with_columns(pl.all().cast(pl.String)).write_csv(null_value="")
    if rng is not None:
        lines = pl.Series(text.rstrip("\n").split("\n"))
        text = "\n".join(malformed_lines(lines, rng).to_list()) + "\n"
    enc = feed.encoding or "utf-8"
    data = (BOM + text).encode("utf-8") if enc == "utf-8-sig" else text.encode(enc)
    tmp = _tmp(path)
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_jsonl(df: pl.DataFrame, feed: Feed, path: Path) -> None:
    tmp = _tmp(path)
    to_source(df, feed).write_ndjson(tmp)
    os.replace(tmp, path)


def xlsx_sheets(df: pl.DataFrame, feed: Feed) -> list[tuple[str, pl.DataFrame]]:
    """Departments split big exports over sheets: addresses by county, statistics city/county."""
    if feed.sheets:
        parts = np.array_split(np.arange(df.height), len(feed.sheets))
        return [(s, df[int(p[0]):int(p[-1]) + 1] if len(p) else df.clear()) for s, p in zip(feed.sheets, parts, strict=False)]
    from synth.dirt import FULL, HALF
    if "township_code" in df.columns:
        key = df["township_code"].str.replace_many(list(FULL), list(HALF)).str.strip_chars(" \u3000").str.slice(0, 6)
    elif "division_code" in df.columns:
        key = pl.Series(np.where(df["division_code"].str.contains("510600").to_numpy(), "全市", "区县"))
    else:
        return [("Sheet1", df)]
    from synth.geo import counties
    names = dict(zip(counties()["county_code"], counties()["county_name"], strict=False))
    out = []
    for k in key.unique(maintain_order=True).to_list():
        out.append((names.get(k, k), df.filter(key == k)))
    return out


def write_xlsx(df: pl.DataFrame, feed: Feed, path: Path, title: str) -> None:
    tmp = _tmp(path)
    wb = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_numbers": False})
    headers = [f.source for f in feed.fields]
    for sheet, part in xlsx_sheets(df, feed):
        ws = wb.add_worksheet(sheet[:31])
        ws.write_row(0, 0, [title])
        if feed.header_row > 2:
            ws.write_row(1, 0, [f"导出时间：{datetime.now():%Y-%m-%d %H:%M}", "单位：德阳市"])
        ws.write_row(feed.header_row - 1, 0, headers)
        r0 = feed.header_row
        for i, row in enumerate(part.iter_rows()):
            ws.write_row(r0 + i, 0, row)
    wb.close()
    os.replace(tmp, path)


def write_sqlite(df: pl.DataFrame, feed: Feed, path: Path, day_key: str, initial: pl.DataFrame | None) -> int:
    """Append the day's rows to the department's database (created with `initial` rows if new).
    Idempotent per day: a day already written is skipped. Returns rows added."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = [f.source for f in feed.fields]
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS _synth_days (day TEXT PRIMARY KEY)")
        con.execute(f'CREATE TABLE IF NOT EXISTS "{feed.table}" ({", ".join(f"{c!r} TEXT" for c in cols)})'.replace("'", '"'))
        if con.execute("SELECT 1 FROM _synth_days WHERE day = ?", (day_key,)).fetchone():
            return 0
        added = 0
        frames = [df] if initial is None or con.execute(f'SELECT count(*) FROM "{feed.table}"').fetchone()[0] else [initial, df]
        sql = f'INSERT INTO "{feed.table}" VALUES ({", ".join("?" * len(cols))})'
        for frame in frames:
            con.executemany(sql, to_source(frame, feed).with_columns(pl.all().cast(pl.String)).iter_rows())
            added += frame.height
        con.execute("INSERT INTO _synth_days VALUES (?)", (day_key,))
    return added
