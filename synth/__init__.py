"""The synthetic city (合成城市): every department's nightly deliveries for Deyang at any scale.

`generate_city(out_dir, scale, date)` writes each feed's delivery for `date` into the
inbox at `feed.inbox_path(out_dir, date)`, in the feed's declared format and encoding,
with a controlled rate of realistic dirt (`synth.dirt`). Deterministic in
(seed, scale, date). Scale 1.0 = Deyang. See docs/ingest.md.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import polars as pl

from ingest import registry
from synth.dirt import ROW_REF, dirty
from synth.feeds import BUILDERS, civil_subsidies_initial, hrss_insurance_initial
from synth.world import EPOCH, REFERENCE_DAY, World, day_date, day_index, rng_for
from synth.write import write_csv, write_jsonl, write_sqlite, write_xlsx

__all__ = ["generate_city", "EPOCH", "LATE_FEED", "REDELIVERY_FEED", "World"]

# one feed arrives a night late every LATE_EVERY nights; another is re-delivered corrected
LATE_FEED = "water_river_levels"
LATE_EVERY = 3            # days k with k % 3 == 2 arrive with the next night's files
REDELIVERY_FEED = "emergency_incidents"
REDELIVERY_EVERY = 2      # the delivery of day k with k % 2 == 0 is re-sent corrected on night k+1
# snapshot feeds: the night whose dirt the unchanged records keep on every other night (the demo night)
DIRT_NIGHT = REFERENCE_DAY


def _correct(df: pl.DataFrame) -> pl.DataFrame:
    """The correction in a re-delivery: dirt removed and the economic losses re-assessed (+10 %)."""
    return df.with_columns((pl.col("economic_loss").cast(pl.Float64) * 1.1).round(2).cast(pl.String))

INITIAL_ROWS = {"hrss_insurance": hrss_insurance_initial, "civil_subsidies": civil_subsidies_initial}

_WORLDS: dict[tuple[int, float], World] = {}


def world(seed: int, scale: float) -> World:
    key = (seed, scale)
    if key not in _WORLDS:
        _WORLDS.clear()  # one city in memory at a time (scale 1.0 is large)
        _WORLDS[key] = World(seed, scale)
    return _WORLDS[key]


def is_late(feed_id: str, k: int) -> bool:
    return feed_id == LATE_FEED and k % LATE_EVERY == 2


def _strings_for_objects(df: pl.DataFrame) -> pl.DataFrame:
    """NumPy arrays with None become Object columns; make them nullable strings."""
    objs = [c for c, t in df.schema.items() if t == pl.Object]
    return df.with_columns(pl.Series(c, df[c].to_list(), dtype=pl.String) for c in objs) if objs else df


def write_delivery(w: World, feed: registry.Feed, k: int, out_dir: Path, *, clean: bool = False) -> int:
    """Build, dirty and write one feed's delivery of day k; returns data rows written."""
    date = str(day_date(k))
    df = _strings_for_objects(BUILDERS[feed.id](w, k))
    if not clean and feed.delivery == "snapshot":
        df = dirty_snapshot(w, feed, k, df)
    elif not clean:
        df = dirty(df, feed, rng_for(w.seed, "dirt", feed.id, k))
    elif feed.id == REDELIVERY_FEED:
        df = _correct(df)
    path = feed.inbox_path(out_dir, date)
    if feed.format == "csv":
        dirt_k = DIRT_NIGHT if feed.delivery == "snapshot" else k
        write_csv(df, feed, path, None if clean else rng_for(w.seed, "malformed", feed.id, dirt_k))
    elif feed.format == "jsonl":
        write_jsonl(df, feed, path)
    elif feed.format == "xlsx":
        write_xlsx(df, feed, path, title=f"{feed.department.name_zh}{feed.name_zh}（{date}）")
    elif feed.format == "sqlite":
        init = INITIAL_ROWS.get(feed.id)
        initial = dirty(init(w), feed, rng_for(w.seed, "dirt-initial", feed.id)) if init else None
        return write_sqlite(df, feed, path, date, initial)
    else:  # pragma: no cover - the registry validates formats
        raise ValueError(feed.format)
    return df.height


def dirty_snapshot(w: World, feed: registry.Feed, k: int, df: pl.DataFrame) -> pl.DataFrame:
    """Tonight's dirty snapshot: a record delivered unchanged keeps its dirt from night to night.

    A department's dirt lives in its records (a mistyped date stays mistyped), so a full
    snapshot repeats it every night: the rows of the snapshot of the reference night DIRT_NIGHT
    carry their dirt (drawn on that night) into every night on which they are unchanged; only
    new or changed records get dirt drawn tonight. Night DIRT_NIGHT itself is drawn as before.
    """
    if k == DIRT_NIGHT:
        return dirty(df, feed, rng_for(w.seed, "dirt", feed.id, k))
    cols = [f.name for f in feed.fields]
    df = df.select(cols)
    ref = _strings_for_objects(BUILDERS[feed.id](w, DIRT_NIGHT)).select(cols).with_row_index(ROW_REF)
    ref_dirty = dirty(ref, feed, rng_for(w.seed, "dirt", feed.id, DIRT_NIGHT))
    refs = ref.unique(subset=cols, keep="first", maintain_order=True)
    matched = df.join(refs, on=cols, how="left", nulls_equal=True, maintain_order="left")
    kept = ref_dirty.filter(pl.col(ROW_REF).is_in(matched[ROW_REF].drop_nulls().implode())).drop(ROW_REF)
    new = matched.filter(pl.col(ROW_REF).is_null()).drop(ROW_REF)
    return pl.concat([kept, dirty(new, feed, rng_for(w.seed, "dirt", feed.id, k))])


def generate_city(out_dir: Path, scale: float, date: str, seed: int = 20231019,
                  feeds: list[str] | None = None) -> dict[str, int]:
    """Write every feed's delivery for `date` (YYYY-MM-DD) into the inbox `out_dir`.

    Returns data rows written per feed for `date` (0 for a feed whose file is late
    tonight). Also writes last night's late file and corrected re-delivery when due.
    """
    k = day_index(date)
    if k < 0:
        raise ValueError(f"the synthetic city starts on {EPOCH}; choose a date on or after it (got {date})")
    out_dir = Path(out_dir)
    w = world(seed, scale)
    all_feeds = registry.load()
    selected = [all_feeds[f] if f in all_feeds else registry.feed(f) for f in (feeds or list(all_feeds))]
    rows: dict[str, int] = {}
    for feed in selected:
        if is_late(feed.id, k):
            rows[feed.id] = 0
            continue
        rows[feed.id] = write_delivery(w, feed, k, out_dir)
        if k >= 1 and is_late(feed.id, k - 1):
            write_delivery(w, feed, k - 1, out_dir)
        if feed.id == REDELIVERY_FEED and k >= 1 and (k - 1) % REDELIVERY_EVERY == 0:
            write_delivery(w, feed, k - 1, out_dir, clean=True)
    return rows


def next_date(date: str) -> str:
    return str(day_date(day_index(date) + 1)) if date else str(EPOCH + timedelta(days=1))
