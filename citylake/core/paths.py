"""Where everything lives: one home directory (CITYLAKE_HOME, default ./var).

Every path the platform reads or writes is derived here, from configuration,
never hard-coded elsewhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from citylake.core.errors import NoHome

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DAGS_DIR = REPO_ROOT / "dags"
SHARED_REFERENCE = Path(os.environ.get("CITYLAKE_REFERENCE", REPO_ROOT.parent / "shared" / "reference"))


@dataclass(frozen=True)
class Home:
    """The citylake home: raw zone, curated lake, reports, publications."""

    root: Path

    @classmethod
    def from_env(cls) -> Home:
        return cls(Path(os.environ.get("CITYLAKE_HOME", REPO_ROOT / "var")).resolve())

    @property
    def inbox(self) -> Path:
        """Where departments drop their nightly deliveries (the synthetic city writes here)."""
        return self.root / "inbox"

    @property
    def raw(self) -> Path:
        """Immutable raw zone: raw/<department>/<feed>/dt=YYYY-MM-DD/."""
        return self.root / "raw"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def lake(self) -> Path:
        """The curated DuckLake: catalog.sqlite plus Parquet data files."""
        return self.root / "lake"

    @property
    def lake_catalog(self) -> Path:
        """The lake's catalog in the home: the SQLite file, or the record of the PostgreSQL
        catalog the lake lives on (citylake.core.db.catalog); either exists once a lake was made."""
        return self.lake_catalog_record if self.lake_catalog_record.exists() else self.lake / "catalog.sqlite"

    @property
    def lake_catalog_record(self) -> Path:
        return self.lake / "catalog.json"

    @property
    def lake_data(self) -> Path:
        return self.lake / "data"

    @property
    def work(self) -> Path:
        """Scratch space of the platform's tools (dbt, Airflow glue, DuckDB spills, staging); the
        one place its folders are named."""
        return self.root / "work"

    @property
    def work_db(self) -> Path:
        """dbt's scratch DuckDB file (the lake itself is attached as `lake`)."""
        return self.work / "dbt.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target directory of the nights (manifest.json, run_results.json, compiled SQL)."""
        return self.work / "dbt_target"

    @property
    def dbt_logs(self) -> Path:
        return self.work / "dbt_logs"

    @property
    def cosmos_cache(self) -> Path:
        """dbt's partial-parse state shared by the cosmos dbt tasks."""
        return self.work / "cosmos_cache"

    @property
    def kept_lineage_manifest(self) -> Path:
        """The manifest a night's lineage check compiled, kept apart: the night's later dbt calls
        rewrite dbt_target/manifest.json with the compiled SQL of their own models only."""
        return self.work / "lineage" / "manifest.json"

    @property
    def duckdb_spill(self) -> Path:
        """DuckDB's spill directories of in-memory connections (one per connection)."""
        return self.work / "duckdb_tmp"

    @property
    def duckdb_extensions(self) -> Path:
        """The extension directory a plain DuckDB client is pointed at (`citylake sql --print-attach`)."""
        return self.work / "duckdb_extensions"

    @property
    def sql_history(self) -> Path:
        return self.work / "sql_history"

    @property
    def publish_staging(self) -> Path:
        """Where a publication is assembled and leak-checked before it is swapped in."""
        return self.work / "publish_staging"

    @property
    def service_exports(self) -> Path:
        """The data service's bulk export files (one folder per export id)."""
        return self.work / "service_exports"

    def dbt_manifest(self) -> dict:
        """The one reader of dbt's manifest.json (the last dbt call's); {} before any."""
        path = self.dbt_target / "manifest.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def publish(self) -> Path:
        return self.root / "publish"

    @property
    def gx(self) -> Path:
        return self.root / "gx"

    @property
    def airflow(self) -> Path:
        return self.root / "airflow"

    @property
    def state(self) -> Path:
        """Small run-state files (gate decisions of the night, etc.)."""
        return self.root / "state"

    def require_lake(self) -> Home:
        """This home, if a night has built its lake; else NoHome saying what to run first."""
        if not self.lake_catalog.exists():
            raise NoHome(f"no lake in {self.root}: run `citylake demo` or "
                         f"`citylake nightly --date YYYY-MM-DD` first")
        return self

    def require_inbox(self) -> Home:
        """This home, if it has an inbox for deliveries; else NoHome saying what to run first."""
        if not self.inbox.is_dir():
            raise NoHome(f"no inbox in {self.root} (an empty citylake home): run `citylake demo` or "
                         f"`citylake generate --date YYYY-MM-DD` first")
        return self

    def ensure(self) -> Home:
        for p in (self.inbox, self.raw, self.quarantine, self.lake_data, self.work_db.parent,
                  self.reports, self.publish, self.gx, self.state):
            p.mkdir(parents=True, exist_ok=True)
        return self


def home() -> Home:
    return Home.from_env()
