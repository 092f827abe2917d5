"""The one SQL loader and identifier rule (citylake.core.sqlfiles)."""

from __future__ import annotations

import duckdb
import pytest

from citylake.core.sqlfiles import SqlDir, ident, literal, qualified


def test_identifiers_are_quoted_and_cannot_break_out():
    con = duckdb.connect()
    evil = 'x" ; drop table t; --'
    con.execute(f"create table {ident(evil)} as select 1 as {ident('列 a')}")
    assert con.execute(f"select {ident('列 a')} from {ident(evil)}").fetchall() == [(1,)]
    assert qualified("memory.main.t") == '"memory"."main"."t"'
    assert literal("it's") == "'it''s'"


@pytest.mark.parametrize("bad", ["", "a\nb", "a\x00b"])
def test_unusable_identifiers_are_refused(bad):
    with pytest.raises(ValueError, match="not a usable SQL identifier"):
        ident(bad)


def test_a_folder_renders_templates_with_its_own_filters(tmp_path):
    (tmp_path / "q.sql.j2").write_text("select {{ c | ident }} from {{ t | qualified }} where x = {{ v | shout }}")
    (tmp_path / "p.sql").write_text("select 1")
    sql = SqlDir(tmp_path, filters={"shout": lambda s: literal(str(s).upper())})
    assert sql.render("q.sql.j2", c="a", t="s.t", v="b") == "select \"a\" from \"s\".\"t\" where x = 'B'"
    assert sql.load("p.sql") == "select 1"
    with pytest.raises(Exception, match="undefined"):
        sql.render("q.sql.j2", c="a")
