"""Divisions and a schematic geography of Deyang (德阳, 5106) for the synthetic city.

Real division codes come from the standards' GB/T 2260 code set (standards/codesets/
admin_divisions.csv, built from the NBS 2023 reference by `python -m standards.build_codesets`),
so the city can be generated anywhere the repository is checked out. The shapes are
*schematic*: the city's bounding box (104.0–105.0 E, 30.6–31.5 N) is cut into a grid of
equal rectangles, one per township, townships ordered by code so a county's townships
are neighbours. Grid cells and parcels subdivide each township rectangle into k×k
rectangles, so every generated point (address, estate, sensor, event) lies inside
exactly one township, grid cell and parcel: point-in-polygon joins work.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import polars as pl

from standards.codesets import path as codeset_path

CITY_CODE = "5106"
CITY_NAME = "德阳市"
PROVINCE_NAME = "四川省"
BBOX = (104.0, 30.6, 105.0, 31.5)  # lon0, lat0, lon1, lat1
GRID_COLS = 12

# relative population weight of each county (approximate 2020 census shares)
COUNTY_WEIGHTS = {"510603": 0.23, "510604": 0.07, "510623": 0.33, "510681": 0.17,
                  "510682": 0.10, "510683": 0.10}


@cache
def _divisions() -> pl.DataFrame:
    return pl.read_csv(codeset_path("admin_divisions"), infer_schema=False)


@cache
def counties() -> pl.DataFrame:
    df = _divisions().filter((pl.col("level") == "county") & pl.col("code").str.starts_with(CITY_CODE))
    return df.select(county_code=pl.col("code"), county_name=pl.col("name_zh")).sort("county_code")


@cache
def other_areas() -> np.ndarray:
    """Division codes of other Sichuan counties (birth places of people who moved in)."""
    df = _divisions().filter((pl.col("level") == "county") & pl.col("code").str.starts_with("51")
                             & ~pl.col("code").str.starts_with(CITY_CODE))
    return df.sort("code")["code"].to_numpy()


@cache
def townships() -> pl.DataFrame:
    """The 84 townships/streets of Deyang with a schematic rectangle each."""
    df = (_divisions().filter((pl.col("level") == "township") & pl.col("code").str.starts_with(CITY_CODE))
          .select(township_code=pl.col("code"), township_name=pl.col("name_zh"), county_code=pl.col("parent_code"))
          .sort("township_code")
          .join(counties(), on="county_code", how="left"))
    n = df.height
    rows = math.ceil(n / GRID_COLS)
    lon0, lat0, lon1, lat1 = BBOX
    w, h = (lon1 - lon0) / GRID_COLS, (lat1 - lat0) / rows
    i = np.arange(n)
    col, row = i % GRID_COLS, i // GRID_COLS
    # population weight: county share split over its townships with a fixed spread
    rng = np.random.default_rng(5106)
    spread = rng.gamma(2.0, 1.0, n)
    df = df.with_columns(
        t=pl.Series(i),
        lon0=pl.Series(lon0 + col * w), lat0=pl.Series(lat0 + row * h),
        lon1=pl.Series(lon0 + (col + 1) * w), lat1=pl.Series(lat0 + (row + 1) * h),
        spread=pl.Series(spread),
    )
    df = df.with_columns(
        weight=pl.col("county_code").replace_strict(COUNTY_WEIGHTS, default=0.05, return_dtype=pl.Float64)
        * pl.col("spread") / pl.col("spread").sum().over("county_code"))
    return df.with_columns(weight=pl.col("weight") / pl.col("weight").sum()).drop("spread")


def random_points(rng: np.random.Generator, t: np.ndarray, margin: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random points strictly inside the rectangles of township indices `t`."""
    ts = townships()
    lon0, lat0 = ts["lon0"].to_numpy()[t], ts["lat0"].to_numpy()[t]
    lon1, lat1 = ts["lon1"].to_numpy()[t], ts["lat1"].to_numpy()[t]
    u, v = rng.uniform(margin, 1 - margin, len(t)), rng.uniform(margin, 1 - margin, len(t))
    return lon0 + u * (lon1 - lon0), lat0 + v * (lat1 - lat0)


def subdivide(k: int) -> pl.DataFrame:
    """Each township rectangle cut into k×k rectangles: township_code, i, j, seq, WKT polygon, area."""
    ts = townships()
    n = ts.height
    t = np.repeat(np.arange(n), k * k)
    cell = np.tile(np.arange(k * k), n)
    ci, cj = cell % k, cell // k
    lon0, lat0 = ts["lon0"].to_numpy()[t], ts["lat0"].to_numpy()[t]
    dw = (ts["lon1"].to_numpy()[t] - lon0) / k
    dh = (ts["lat1"].to_numpy()[t] - lat0) / k
    x0, y0 = lon0 + ci * dw, lat0 + cj * dh
    x1, y1 = x0 + dw, y0 + dh

    def f(a):
        return pl.Series(np.round(a, 6)).cast(pl.String)

    X0, Y0, X1, Y1 = f(x0), f(y0), f(x1), f(y1)
    wkt = pl.concat_str([pl.lit("POLYGON(("), X0, pl.lit(" "), Y0, pl.lit(", "), X1, pl.lit(" "), Y0, pl.lit(", "),
                         X1, pl.lit(" "), Y1, pl.lit(", "), X0, pl.lit(" "), Y1, pl.lit(", "), X0, pl.lit(" "), Y0,
                         pl.lit("))")])
    # area in square metres (equirectangular approximation at the cell's latitude)
    area = (dw * 111_320 * np.cos(np.radians((y0 + y1) / 2))) * (dh * 110_574)
    return pl.DataFrame({"t": t, "seq": cell, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "area_sqm": area}).with_columns(
        township_code=ts["township_code"].gather(pl.Series(t)), geometry_wkt=wkt)
