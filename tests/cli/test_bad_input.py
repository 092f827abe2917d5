"""One rule for bad input, for EVERY `citylake` subcommand (enumerated from the typer app, so a new
command is covered without editing this file): a bad date, an unknown id and an empty home each
give one line on stderr, exit 2, no traceback, and create nothing in the home."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from citylake.cli.main import app
from citylake.core.cliargs import KnownId, NightDate

BAD_DATES = ("2026/11/25", "2026-11-31", "25-11-2026", "yesterday", "2026-13-45")
# Commands that start a home (they are still checked for bad dates and ids, not on an empty home).
STARTS_A_HOME = {"demo", "generate"}
# Commands that read only the registries in the source tree: on an empty home they must work
# and create nothing.
NEEDS_NO_HOME = {"feeds list", "standards check resident-id", "standards check uscc", "standards elements"}
# Option names that are dates or registry ids: each must use the shared parser.
DATE_NAMES = {"date", "night", "expires"}
ID_NAMES = {"feed", "department", "scope", "format", "fmt", "domain", "schema", "app_id"}


def _leaves(group, path=()):
    for name, cmd in sorted(group.commands.items()):
        if hasattr(cmd, "commands"):
            yield from _leaves(cmd, (*path, name))
        else:
            yield " ".join((*path, name)), cmd


COMMANDS = dict(_leaves(get_command(app)))


def parser_of(param):
    """The NightDate/KnownId behind a typer option (its callback wraps our bound `check`)."""
    for cell in getattr(param.callback, "__closure__", None) or ():
        owner = getattr(cell.cell_contents, "__self__", None)
        if isinstance(owner, (NightDate, KnownId)):
            return owner
    return None


def _valid(param) -> str:
    parser = parser_of(param)
    if isinstance(parser, NightDate):
        return "2026-11-25"
    if isinstance(parser, KnownId):
        return sorted(parser.choices())[0]
    return "x"


def argv(name: str, cmd, override=None) -> list[str]:
    """The command with its required parameters (valid values), plus `override` = (param, value)."""
    args = name.split()
    for p in cmd.params:
        if override and p is override[0]:
            value = override[1]
        elif p.required:
            value = _valid(p)
        else:
            continue
        args += [value] if p.param_type_name == "argument" else [p.opts[0], value]
    return args


def invoke(args: list[str], home):
    return CliRunner().invoke(app, args, env={"CITYLAKE_HOME": str(home), "COLUMNS": "200"})


def assert_one_line_refusal(result, home) -> None:
    out = result.stdout + result.stderr
    assert result.exit_code == 2, (result.exit_code, out)
    assert "Traceback" not in out and result.exception is None or isinstance(result.exception, SystemExit), out
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert not home.exists() or not any(home.iterdir()), sorted(p.name for p in home.rglob("*"))


def _params(kind):
    for name, cmd in COMMANDS.items():
        for p in cmd.params:
            if isinstance(parser_of(p), kind):
                yield pytest.param(name, cmd, p, id=f"{name} {p.name}")


def test_every_command_is_enumerated():
    assert {"sql", "nightly", "ingest", "publish", "quality report", "catalog export",
            "standards lineage", "feeds list"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_date_and_id_options_use_the_shared_parsers(name):
    for p in COMMANDS[name].params:
        if p.name in DATE_NAMES:
            assert isinstance(parser_of(p), NightDate), f"{name} {p.opts}: use callback=NIGHT.check"
        if p.name in ID_NAMES:
            assert isinstance(parser_of(p), KnownId), f"{name} {p.opts}: use a KnownId's check"


@pytest.mark.parametrize(("name", "cmd", "param"), list(_params(NightDate)))
@pytest.mark.parametrize("bad", BAD_DATES)
def test_bad_date_is_one_line(name, cmd, param, bad, tmp_path):
    home = tmp_path / "home"
    result = invoke(argv(name, cmd, (param, bad)), home)
    assert_one_line_refusal(result, home)
    assert repr(bad) in result.stderr and "YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize(("name", "cmd", "param"), list(_params(KnownId)))
def test_unknown_id_lists_the_valid_choices(name, cmd, param, tmp_path):
    home = tmp_path / "home"
    result = invoke(argv(name, cmd, (param, "no-such-id")), home)
    assert_one_line_refusal(result, home)
    valid = sorted(set(parser_of(param).choices().values()))
    assert "'no-such-id'" in result.stderr and ", ".join(valid) in result.stderr


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - STARTS_A_HOME))
def test_empty_home(name, tmp_path):
    for home in (tmp_path / "missing", tmp_path / "empty"):
        if home.name == "empty":
            home.mkdir()
        result = invoke(argv(name, COMMANDS[name]), home)
        if name in NEEDS_NO_HOME:
            assert "Traceback" not in result.stdout + result.stderr and result.exit_code in (0, 1)
            assert not home.exists() or not any(home.iterdir())
        else:
            assert_one_line_refusal(result, home)
            assert "citylake demo" in result.stderr


def test_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path):
    home = tmp_path / "home"
    (home / "lake").mkdir(parents=True)
    (home / "lake" / "catalog.sqlite").write_text("not a sqlite file")
    plain = invoke(["sql", "-c", "select 1"], home)
    assert plain.exit_code == 1 and len(plain.stderr.strip().splitlines()) == 1, plain.stderr
    assert "internal error" in plain.stderr and "--debug" in plain.stderr
    debug = invoke(["--debug", "sql", "-c", "select 1"], home)
    assert debug.exit_code != 0 and debug.exception is not None and not isinstance(debug.exception, SystemExit)
