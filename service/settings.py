"""Settings of the data service, chosen once from the home and the environment.

    CITYLAKE_METADATA_URL       URL of the metadata database (applications, apps, secrets, exchange log):
                                postgresql://user@host:port/db (psycopg 3) or any SQLAlchemy URL; default
                                sqlite:///<home>/service/service.sqlite (CITYLAKE_SERVICE_DB: the older name)
    CITYLAKE_SERVICE_TOKEN_TTL  access-token lifetime in seconds, 900-3600 (15-60 min); default 900
    CITYLAKE_SERVICE_REPLY_DAYS working days a provider has to answer a sharing application; default 5
                                (a city's own rule, e.g. 5 working days for data already on the platform);
                                the clock starts when the platform's conformity review passes it
    CITYLAKE_SERVICE_REVIEW_DAYS working days the platform has for its conformity review (合规性审核) of an
                                application, before the provider sees it; default 2
    CITYLAKE_SERVICE_QUOTA_RPM  default requests per minute per app (60000); per app: `apps quota`
    CITYLAKE_SERVICE_QUOTA_ROWS default records rows per day per app (10000000)
    CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS  how often each worker expires the export files past their time to
                                live (service.export_expiry.sweep); default 300
    CITYLAKE_SERVICE_ANCHOR_URL  an http(s) URL each anchor of the exchange log is POSTed to as JSON (off the
                                machine: a notary, a write-once store); default none
    CITYLAKE_SERVICE_DUCKDB_THREADS  DuckDB threads per worker process; default 1: the workers already
                                use the cores, and a point lookup on one thread is ≈ 1.35× faster
                                than on two (service/lake.py)
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from catalogs.grants import db_url
from citylake.core.paths import Home

TTL_ENV = "CITYLAKE_SERVICE_TOKEN_TTL"
TTL_RANGE = (900, 3600)
REPLY_ENV = "CITYLAKE_SERVICE_REPLY_DAYS"
REVIEW_ENV = "CITYLAKE_SERVICE_REVIEW_DAYS"
REPLY_DAYS, REVIEW_DAYS = 5, 2          # the defaults of the two working-day limits


def working_days(name: str, value: str | None, default: int) -> int:
    """A time limit in working days: a whole number, 1 or more (`default` when unset)."""
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}={value!r}: give a whole number of working days, 1 or more")
    return int(value)


def token_ttl(value: str | None) -> int:
    """The token lifetime in seconds; refuses anything outside 15-60 minutes."""
    ttl = int(value) if value else TTL_RANGE[0]
    if not TTL_RANGE[0] <= ttl <= TTL_RANGE[1]:
        raise ValueError(f"{TTL_ENV}={ttl}: tokens live 900-3600 s (15-60 min)")
    return ttl


SWEEP_ENV = "CITYLAKE_SERVICE_EXPORT_SWEEP_SECONDS"
SWEEP_SECONDS = 300


def sweep_seconds(value: str | None) -> int:
    """Seconds between a worker's sweeps of expired export files: a whole number, 1 or more (300 when unset)."""
    if not value:
        return SWEEP_SECONDS
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{SWEEP_ENV}={value!r}: give a whole number of seconds, 1 or more")
    return int(value)


ANCHOR_URL_ENV = "CITYLAKE_SERVICE_ANCHOR_URL"


def anchor_url(value: str | None) -> str | None:
    """Where anchors are shipped: an http:// or https:// URL with a host, or None when unset."""
    if not value:
        return None
    u = urlsplit(value)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ValueError(f"{ANCHOR_URL_ENV}={value!r}: give an http:// or https:// URL with a host")
    return value


THREADS_ENV = "CITYLAKE_SERVICE_DUCKDB_THREADS"


def duckdb_threads(value: str | None) -> int:
    """DuckDB threads of one worker's lake connection: a positive whole number, 1 by default."""
    if not value:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{THREADS_ENV}={value!r}: give a whole number of threads, 1 or more")
    return int(value)


@dataclass(frozen=True)
class Settings:
    home: Home
    db_url: str
    token_ttl: int
    reply_working_days: int = REPLY_DAYS
    review_working_days: int = REVIEW_DAYS
    quota_per_minute: int = 60_000
    quota_rows_per_day: int = 10_000_000
    duckdb_threads: int = 1
    export_sweep_seconds: int = SWEEP_SECONDS
    anchor_url: str | None = None

    @classmethod
    def from_home(cls, h: Home) -> Settings:
        return cls(home=h, db_url=db_url(h), token_ttl=token_ttl(os.environ.get(TTL_ENV)),
                   reply_working_days=working_days(REPLY_ENV, os.environ.get(REPLY_ENV), REPLY_DAYS),
                   review_working_days=working_days(REVIEW_ENV, os.environ.get(REVIEW_ENV), REVIEW_DAYS),
                   quota_per_minute=int(os.environ.get("CITYLAKE_SERVICE_QUOTA_RPM") or 60_000),
                   quota_rows_per_day=int(os.environ.get("CITYLAKE_SERVICE_QUOTA_ROWS") or 10_000_000),
                   duckdb_threads=duckdb_threads(os.environ.get(THREADS_ENV)),
                   export_sweep_seconds=sweep_seconds(os.environ.get(SWEEP_ENV)),
                   anchor_url=anchor_url(os.environ.get(ANCHOR_URL_ENV)))

    @property
    def root(self) -> Path:
        """The service's own files under the home (metadata DB, keys)."""
        return self.home.root / "service"

    def key(self, purpose: str) -> bytes:
        """A 32-byte secret key for `purpose` (jwt, cursor), made once under the home (mode 0600)."""
        path = self.root / f"{purpose}.key"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:   # another worker made it first
                return path.read_bytes()
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        return path.read_bytes()
