"""`citylake sql`: script-safe (exit 2 on a SQL error, csv/json with every row, several statements),
no silent cap in tables, time travel by snapshot and by night, and the interactive prompt."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from citylake.cli import sql as sqlshell
from citylake.cli.main import app


def sql(h, *args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["sql", *args], input=stdin,
                              env={"CITYLAKE_HOME": str(h.root), "COLUMNS": "200"})


def test_sql_error_exits_2_with_one_line(lake_home):
    r = sql(lake_home, "-c", "select * from base.nope")
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and "SQL error" in r.stderr and "nope" in r.stderr


def test_script_stops_at_the_first_error(lake_home):
    r = sql(lake_home, "--format", "csv", "-c", "select 1 as a; select * from base.nope; select 3 as c")
    assert r.exit_code == 2 and r.stdout.splitlines() == ["a", "1"]


def test_csv_and_json_print_every_row(lake_home):
    r = sql(lake_home, "--format", "csv", "-c", "select id, label from base.t order by id")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["id", "label"] and len(rows) == 501 and rows[-1] == ["499", "v499"]
    r = sql(lake_home, "--format", "json", "-c", "select id, label from base.t order by id")
    data = json.loads(r.stdout)
    assert len(data) == 500 and data[0] == {"id": 0, "label": "v0"}


def test_table_says_when_it_is_truncated(lake_home):
    r = sql(lake_home, "-c", "select id from base.t")
    assert r.exit_code == 0
    assert "200 of 500 rows shown" in r.stdout
    r = sql(lake_home, "--max-rows", "600", "-c", "select id from base.t")
    assert "(500 rows)" in r.stdout and "shown" not in r.stdout


def test_max_rows_caps_csv_and_says_so(lake_home):
    r = sql(lake_home, "--format", "csv", "--max-rows", "10", "-c", "select id from base.t")
    assert len(r.stdout.splitlines()) == 11 and "10 of 500 rows" in r.stderr


def test_several_statements_and_multiline_sql_on_stdin(lake_home):
    r = sql(lake_home, "--format", "csv", "-c", "select 1 as a; select 2 as b")
    assert r.stdout.splitlines() == ["a", "1", "b", "2"]
    script = "select count(*) as n\n  from base.t\n where id < 10;\nselect 'x;y' as s;\n"
    r = sql(lake_home, "--format", "csv", stdin=script)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["n", "10", "s", "x;y"]


def test_snapshot_that_does_not_exist_is_one_line_with_the_range(lake_home):
    r = sql(lake_home, "--snapshot", "9999", "-c", "select 1")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "snapshot 9999 does not exist" in r.stderr and "snapshots 0–" in r.stderr


def test_night_reads_the_lake_as_of_the_end_of_that_night(lake_home):
    count = "select count(*) as n from base.t"
    assert sql(lake_home, "--format", "csv", "--night", "2026-11-24", "-c", count).stdout.splitlines() == ["n", "300"]
    assert sql(lake_home, "--format", "csv", "--night", "2026-11-25", "-c", count).stdout.splitlines() == ["n", "500"]
    r = sql(lake_home, "--format", "csv", "-c", "select night::varchar, snapshot_id from catalog.nights order by 1")
    first = r.stdout.splitlines()[1].split(",")
    r = sql(lake_home, "--format", "csv", "--snapshot", first[1], "-c", count)
    assert r.stdout.splitlines() == ["n", "300"]


def test_night_marks_are_labelled_commits(lake_home):
    r = sql(lake_home, "--format", "csv", "-c",
            "select author, commit_message from lake.snapshots() where author is not null order by snapshot_id")
    assert r.stdout.splitlines()[1:] == ["citylake,night 2026-11-24: end of the nightly batch",
                                         "citylake,night 2026-11-25: end of the nightly batch"]


def test_unknown_night_lists_the_marked_ones(lake_home):
    r = sql(lake_home, "--night", "2026-11-20", "-c", "select 1")
    assert r.exit_code == 2 and "nights: 2026-11-24, 2026-11-25" in r.stderr


def test_statement_ends_at_semicolon():
    assert not sqlshell.complete("select 1")
    assert not sqlshell.complete("select 1\n  from t")
    assert sqlshell.complete("select 1\n  from t;  ")


def test_prompt_runs_multiline_statements_survives_errors_and_keeps_history(lake_home, monkeypatch, capsys):
    lines = iter(["select count(*)", "  from base.t;", "select * from nope;", "select 42 as answer;"])

    def fake_input(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    conn = sqlshell.open_lake(lake_home)
    history = lake_home.root / "work" / "sql_history_test"
    out = sqlshell.Output("csv", None, sqlshell.Console())
    sqlshell.interactive(conn, out, history)
    printed = capsys.readouterr().out
    assert "count_star()\n500" in printed and "SQL error" in printed and "answer\n42" in printed
    assert history.exists()


@pytest.mark.parametrize("flag", ["--print-attach", "--print-macros"])
def test_print_recipes(lake_home, flag):
    r = sql(lake_home, flag)
    assert r.exit_code == 0
    assert ("ATTACH 'ducklake:sqlite:" in r.stdout) == (flag == "--print-attach")
    assert ("cl_" in r.stdout) == (flag == "--print-macros")
