"""Handing Polars frames to DuckDB without the pyarrow.dataset import.

`con.register(polars_df)` makes DuckDB import pyarrow.dataset (which imports pandas:
~10 s cold on the reference machine, once per process). Ingest instead spills the
frame to a temporary Parquet file and exposes it as a view via the relation API.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl


@contextlib.contextmanager
def frames(con: duckdb.DuckDBPyConnection, **named: pl.DataFrame) -> Iterator[None]:
    """Expose Polars frames as temporary DuckDB views for the duration of the block."""
    with tempfile.TemporaryDirectory(prefix="citylake-ingest-") as tmp:
        for name, df in named.items():
            path = Path(tmp) / f"{name}.parquet"
            df.write_parquet(path, compression="uncompressed", statistics=False)
            con.read_parquet(str(path)).create_view(name, replace=True)
        try:
            yield
        finally:
            for name in named:
                con.execute(f"drop view if exists {name}")  # noqa: S608 - internal view names


def to_polars(rel: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """A query result as a Polars frame (columns as returned, rows via fetchall: small results)."""
    cols = [d[0] for d in rel.description]
    rows = rel.fetchall()
    return pl.DataFrame(rows, schema=cols, orient="row") if rows else pl.DataFrame(schema={c: pl.String for c in cols})


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a (parameterised) query and return its result as Polars via a temporary Parquet file."""
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    with tempfile.TemporaryDirectory(prefix="citylake-ingest-") as tmp:
        path = Path(tmp) / "result.parquet"
        rel.write_parquet(str(path), compression="uncompressed")
        return pl.read_parquet(path)
