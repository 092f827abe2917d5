from __future__ import annotations

from typer.testing import CliRunner

from standards.cli import app


def test_check_resident_id():
    ok = CliRunner().invoke(app, ["check", "resident-id", "11010519491231002x"])
    assert ok.exit_code == 0 and "11010519491231002X: valid" in ok.output
    bad = CliRunner().invoke(app, ["check", "resident-id", "11010519491231002X", "110105194912310021", " "])
    assert bad.exit_code == 1
    lines = bad.output.strip().splitlines()
    assert lines[0].endswith("valid") and "check_char" in lines[1] and "empty" in lines[2]


def test_check_uscc():
    ok = CliRunner().invoke(app, ["check", "uscc", "91110000600037341L"])
    assert ok.exit_code == 0
    bad = CliRunner().invoke(app, ["check", "uscc", "91110000600037342L"])
    assert bad.exit_code == 1 and "check_char" in bad.output


def test_elements_table():
    out = CliRunner().invoke(app, ["elements", "--domain", "person"])
    assert out.exit_code == 0
    assert "公民身份号码" in out.output and "psb/psb_household.id_number" in out.output
