"""POST /v1/verify from the worker's memory (service.verify.Index, Verifier): the index finds what the lake's
`key = $key` finds, for every kind of key, and follows the lake when the source table is written."""

from __future__ import annotations

import pytest
import svcfixtures as sf

from citylake.core.db import connect
from service.access import NotKept
from service.lake import Lake
from service.verify import EntityQuery, PersonQuery, Verifier

# keys that a binary search on padded bytes could get wrong: prefixes of each other, blanks, non-ASCII,
# an empty key, a duplicated key, a record without a name
TRICKY = [("5106", "短"), ("51060", "短二"), ("5106 ", "空格"), ("５１０６", "全角"), ("", "空"),
          ("DUP", "甲"), ("DUP", "乙"), ("NONAME", None), ("身份证号", "中文键")]
ASKED = ["5106", "51060", "5106 ", "５１０６", "", "DUP", "NONAME", "身份证号", "510", "51061", "5106\x00",
         "Z" * 40, "510603199001000010X", "510603199001000010x", "x"]


def _write(h, sql: str, params: dict | None = None) -> None:
    conn = connect(h=h)
    try:
        conn.execute(sql, params or {})
    finally:
        conn.close()


@pytest.fixture()
def home(tmp_path):
    h = sf.build_lake(tmp_path / "home")
    for key, name in TRICKY:
        _write(h, "insert into base.population (id_number, person_name) values ($k, $n)", {"k": key, "n": name})
    _write(h, "insert into base.population (id_number, person_name) values (null, '无号')")
    return h


def _lake_finds(cur, key: str, snapshot: int) -> list[tuple]:
    """The reference: the lake's own equality on the key (what the index replaces)."""
    return cur.execute("select person_name::varchar from lake.base.population at (version => $s) where id_number = $k",
                       {"s": snapshot, "k": key}).fetchall()


@pytest.mark.parametrize("copies", [True, False])
def test_the_index_finds_what_the_lake_finds(home, copies):
    lake = Lake(home, copies=copies)
    v = Verifier(lake)
    with lake.cursor() as cur:
        snap = lake.snapshot(cur)
        ix = v.index(cur, "person", snap)
        assert len(ix.keys) == sf.PEOPLE + len(TRICKY)            # the record without a key is not indexed
        for key in ASKED:
            # a NUL matches no record (and DuckLake cannot push such a value down to its catalog)
            expected = [] if "\x00" in key else _lake_finds(cur, key, snap)
            assert sorted(ix.found(key), key=str) == sorted(expected[:2], key=str), key
    assert ix.built_from.startswith("serve_" if copies else "lake@")


def test_answers_through_the_normalisation_and_the_rules(home):
    lake = Lake(home)
    v = Verifier(lake)
    with lake.cursor() as cur:
        snap = lake.snapshot(cur)

        def ask(**q):
            query = PersonQuery(kind="person", **q) if "id_number" in q else EntityQuery(kind="entity", **q)
            return v.verify(cur, query, snap)

        assert ask(id_number=" 51060319900100001x", name="李1").match              # as people write it
        assert ask(id_number="５１０６", name="短").match                           # full-width: NFKC
        assert ask(id_number="51060319900100001X", name="李2").mismatch == ["name"]
        assert ask(id_number="DUP", name="甲").mismatch == ["id_number"]           # two records: no answer
        assert ask(id_number="NONAME", name="x").mismatch == ["name"]
        assert ask(id_number="nobody", name="x").mismatch == ["id_number"]
        assert ask(uscc="915106000000000001", name="德阳测试企业1").match
        assert ask(uscc="915106000000000010", name="德阳测试企业10").mismatch == ["registration_status"]


def test_the_index_follows_its_table_and_only_its_table(home):
    lake = Lake(home)
    v = Verifier(lake)
    with lake.cursor() as cur:
        before = lake.snapshot(cur)
        person, entity = v.index(cur, "person", before), v.index(cur, "entity", before)
    _write(home, "insert into base.population (id_number, person_name) values ('NEW1', '新人')")
    with lake.cursor() as cur:
        now = lake.snapshot(cur)
        assert now > before
        assert v.index(cur, "entity", now) is entity                      # its table did not change: kept
        moved = v.index(cur, "person", now)
        assert moved is not person and moved.found("NEW1") == [("新人",)] and person.found("NEW1") == []
        assert v.verify(cur, PersonQuery(kind="person", id_number="NEW1", name="新人"), now).match



def test_kept_only_answers_from_a_built_index_and_asks_for_a_thread_otherwise(home):
    """The event-loop path of /v1/verify: no cursor, no query — NotKept until the index is built, and again
    once the table it was built from changed."""
    lake = Lake(home)
    v = Verifier(lake)
    q = PersonQuery(kind="person", id_number="51060319900100001X", name="李1")
    with lake.cursor() as cur:
        snap = lake.snapshot(cur)
    assert lake.known_snapshot() == snap
    with pytest.raises(NotKept):
        v.verify(None, q, snap, kept_only=True)                        # nothing built yet
    with lake.cursor() as cur:
        assert v.verify(cur, q, snap).match                            # the thread path builds it
    assert v.verify(None, q, snap, kept_only=True).match
    _write(home, "update base.population set person_name = '李一' where id_number = '51060319900100001X'")
    assert lake.known_snapshot() is None                               # a commit: the snapshot must be read
    with lake.cursor() as cur:
        now = lake.snapshot(cur)
    with pytest.raises(NotKept):
        v.verify(None, q, now, kept_only=True)                         # its table changed: built again first
    with lake.cursor() as cur:
        assert v.verify(cur, q, now).mismatch == ["name"]
    assert v.verify(None, q, now, kept_only=True).mismatch == ["name"]
