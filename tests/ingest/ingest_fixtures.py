"""Small delivery files for the ingest tests, built from the synthetic city (clean) plus
hand-made broken variants. Run directly to write a sample set: python tests/ingest/ingest_fixtures.py DIR"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import polars as pl

from ingest import registry
from synth import World
from synth.feeds import BUILDERS
from synth.world import EPOCH
from synth.write import to_source, write_csv, write_jsonl, write_xlsx

DATE = str(EPOCH)
SCALE = 0.0005
_WORLD: World | None = None


def world() -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = World(seed=7, scale=SCALE)
    return _WORLD


def clean_frame(feed_id: str, n: int | None = None) -> pl.DataFrame:
    df = BUILDERS[feed_id](world(), 0)
    objs = [c for c, t in df.schema.items() if t == pl.Object]
    df = df.with_columns(pl.Series(c, df[c].to_list(), dtype=pl.String) for c in objs)
    return df.head(n) if n else df


def write_clean(feed_id: str, inbox: Path, n: int | None = None, date: str = DATE) -> Path:
    """The feed's clean delivery in its declared format at its inbox path."""
    feed = registry.feed(feed_id)
    df = clean_frame(feed_id, n)
    path = feed.inbox_path(inbox, date)
    if feed.format == "csv":
        write_csv(df, feed, path)
    elif feed.format == "jsonl":
        write_jsonl(df, feed, path)
    elif feed.format == "xlsx":
        write_xlsx(df, feed, path, title=f"{feed.name_zh} 测试")
    return path


def write_frame(feed_id: str, inbox: Path, df: pl.DataFrame, date: str = DATE) -> Path:
    """A frame (registry names) as the feed's csv/jsonl/xlsx delivery at its inbox path."""
    feed = registry.feed(feed_id)
    path = feed.inbox_path(inbox, date)
    path.parent.mkdir(parents=True, exist_ok=True)
    {"csv": lambda: write_csv(df, feed, path), "jsonl": lambda: write_jsonl(df, feed, path),
     "xlsx": lambda: write_xlsx(df, feed, path, title=f"{feed.name_zh} 测试")}[feed.format]()
    return path


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with the given rows per sheet (row 1 first), for hand-made xlsx deliveries."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
    wb.close()
    return path


def sheet_rows(feed_id: str, df: pl.DataFrame, title: str = "标题") -> list[list]:
    """Title rows, the header on the feed's header_row, then the frame's rows (source order)."""
    feed = registry.feed(feed_id)
    return [[title]] * (feed.header_row - 1) + [[f.source for f in feed.fields]] + \
        [list(r) for r in df.select(feed.columns).iter_rows()]


def sqlite_delivery(inbox: Path, feed_id: str = "civil_subsidies", date: str = DATE) -> Path:
    """The synthetic department database of a watermark feed, with `date`'s rows appended."""
    from synth import generate_city

    generate_city(inbox, SCALE, date, seed=7, feeds=[feed_id])
    return registry.feed(feed_id).inbox_path(inbox, date)


def csv_text(feed_id: str, n: int) -> str:
    """Clean CSV text (UTF-8 str) with the feed's source headers, to edit by hand in tests."""
    return to_source(clean_frame(feed_id, n), registry.feed(feed_id)).write_csv(null_value="")


def write_bytes(feed_id: str, inbox: Path, data: bytes, date: str = DATE) -> Path:
    path = registry.feed(feed_id).inbox_path(inbox, date)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


BOM = codecs.BOM_UTF8

if __name__ == "__main__":  # pragma: no cover - manual use
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "ingest-fixtures")
    for fid in ("psb_household", "samr_entities", "psb_house_numbers", "bdc_readings", "hrss_employment"):
        print(write_clean(fid, out, n=50))
