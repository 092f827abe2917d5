"""Serving copies (service.lake.Copies): reads at the current snapshot come from the worker's in-memory copy,
give what the lake gives, follow the lake when it is written, and older snapshots still read the lake."""

from __future__ import annotations

import duckdb
import pytest
import svcfixtures as sf

from citylake.core.db import connect
from service.lake import Lake

NEW = "915106007777777777"


def _write(h, sql: str) -> None:
    conn = connect(h=h)
    try:
        conn.execute(sql)
    finally:
        conn.close()


def _read(lake: Lake, snapshot: int, where: str = "true") -> list[tuple]:
    with lake.cursor() as cur:
        src = lake.source(cur, "base", "legal_entity", snapshot)
        sql = f"select {src.row}, uscc from {'memory.main.' + src.copy if src.copy else 'lake.base.legal_entity at (version => $snapshot)'} where {where} order by 1"
        return cur.execute(sql, src.params(snapshot)).fetchall()


@pytest.fixture()
def home(tmp_path):
    return sf.build_lake(tmp_path / "home")


def test_the_current_snapshot_is_served_from_a_copy_equal_to_the_lake(home):
    served, plain = Lake(home), Lake(home, copies=False)
    with served.cursor() as cur:
        snap = served.snapshot(cur)
        assert served.source(cur, "base", "legal_entity", snap).copy
    with plain.cursor() as cur:
        assert plain.snapshot(cur) == snap and plain.source(cur, "base", "legal_entity", snap).copy is None
    assert _read(served, snap) == _read(plain, snap) and len(_read(served, snap)) == sf.ENTITIES


def test_a_write_moves_the_served_snapshot_and_only_the_changed_table_is_copied_again(home):
    lake = Lake(home)
    with lake.cursor() as cur:
        before = lake.snapshot(cur)
        entity = lake.source(cur, "base", "legal_entity", before).copy
        people = lake.source(cur, "base", "population", before).copy
    _write(home, f"insert into base.legal_entity (uscc, entity_name, registration_status) values ('{NEW}', '新', 'active')")
    with lake.cursor() as cur:
        now = lake.snapshot(cur)              # the catalog had a commit: read again
        assert now > before
        assert lake.source(cur, "base", "population", now).copy == people        # unchanged: kept
        moved = lake.source(cur, "base", "legal_entity", now).copy
        assert moved and moved != entity
        assert lake.source(cur, "base", "legal_entity", before).copy is None     # older: the lake
    assert _read(lake, now, f"uscc = '{NEW}'") and not _read(lake, before, f"uscc = '{NEW}'")
    assert len(_read(lake, now)) == len(_read(lake, before)) + 1


def test_a_table_not_in_the_lake_is_no_copy(home):
    lake = Lake(home)
    with lake.cursor() as cur:
        snap = lake.snapshot(cur)
        src = lake.source(cur, "base", "nothing_here", snap)
        assert src.copy is None
        with pytest.raises(duckdb.CatalogException):
            cur.execute("select * from lake.base.nothing_here at (version => $snapshot)", src.params(snap))
