from __future__ import annotations

import pytest

from citylake.core.db import connect
from citylake.core.paths import Home
from citylake.orchestration.nightmarks import mark_night_end


@pytest.fixture(scope="module")
def lake_home(tmp_path_factory) -> Home:
    """A small real DuckLake in a temp home: `base.t` with 300 rows after night 2026-11-24 and
    500 after night 2026-11-25 (both marked the way the publish step marks a night)."""
    h = Home(tmp_path_factory.mktemp("cli") / "home")
    conn = connect(h=h)
    try:
        conn.execute("create schema lake.base")
        conn.execute("create table lake.base.t as select range as id, 'v' || range as label from range(300)")
    finally:
        conn.close()
    mark_night_end("2026-11-24", h=h)
    conn = connect(h=h)
    try:
        conn.execute("insert into lake.base.t select range, 'v' || range from range(300, 500)")
    finally:
        conn.close()
    mark_night_end("2026-11-25", h=h)
    return h
