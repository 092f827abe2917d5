"""One throw-away PostgreSQL server for the session (benchmarks/servers/pgserver.py); skipped with a
clear message where PostgreSQL is not installed (`make postgresql` installs it when root)."""

from __future__ import annotations

import itertools
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))   # pgworkers, the tests' child processes

from benchmarks.servers import pgserver  # noqa: E402

_dbs = itertools.count()


@pytest.fixture(scope="session")
def pg():
    if pgserver.pg_bin() is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl): "
                    "`make postgresql` installs it as root (apt-get install postgresql)")
    server = pgserver.start()
    yield server
    server.stop()
    shutil.rmtree(server.data.parent, ignore_errors=True)


@pytest.fixture
def pg_url(pg):
    """A fresh database on the session's server, as a catalog URL."""
    return pg.createdb(f"lake{next(_dbs)}")


@pytest.fixture
def pg_metadata_url(pg):
    """A fresh database on the session's server, as a metadata-DB URL (CITYLAKE_METADATA_URL)."""
    name = f"meta{next(_dbs)}"
    pg.createdb(name)
    return f"postgresql://postgres@127.0.0.1:{pg.port}/{name}"
