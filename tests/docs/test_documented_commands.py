"""Every shell command the README and the docs show, run against a home after one real night.

The fenced ```bash / ```sh blocks of README.md and docs/*.md are read; each command line runs in
bash from the repository root, with the venv's bin first on PATH (as after `make demo`, in
`uv run` or an activated venv) and CITYLAKE_HOME set to a copy of the tiny night's home (the
commands write: ingest, publish, Airflow runs). `export` and `eval` lines carry over to the later
lines of their block, as they would in one shell session (so do plain `NAME=value` assignments);
a line ending in `\\` continues on the next. A command that starts a server (`make serve`) is
started in the background, waited for, and stopped by its PID when the session ends. Files the
commands write into the working directory (`> app.json`) are removed at the end. A command must
exit 0.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from citylake.core.paths import REPO_ROOT, Home

DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?:bash|sh)[ \t]*\n(.*?)^```", re.M | re.S)
ENVIRONMENT_LINE = re.compile(r"^(export|eval)\s|^[A-Za-z_][A-Za-z0-9_]*=\S")
# Documented commands that serve until stopped, and the address that says they are up.
SERVERS = {"make serve": "http://127.0.0.1:8090/v1/health",
           ".venv/bin/citylake serve --host 127.0.0.1 --port 8091": "http://127.0.0.1:8091/v1/health"}

# Documented commands this test does not run, and why (matched on the start of the command).
SKIP = {
    "make demo": "builds a city and runs a night (minutes): this test runs against such a night",
    "make test": "runs this very suite",
    "make airflow": "serves Airflow until stopped (tests/e2e/test_airflow_ui.py asks its API server)",
    "make bench": "benchmarks take tens of minutes (docs/benchmarks.md)",
    "python -m benchmarks": "benchmarks take tens of minutes (docs/benchmarks.md)",
    "citylake nightly": "a whole night (minutes): tests/e2e/test_nightly.py runs it",
    "createdb -h": "the operator's own PostgreSQL server (tests/pg runs the move on a throw-away one)",
    "uv sync --frozen --extra spark": "make test installs the extra: this suite already runs with it",
    "CITYLAKE_ENGINE=spark python": "a Spark build of staging (minutes): tests/spark/test_spark_equality.py runs it",
}


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str
    prelude: tuple[str, ...]  # the block's earlier export/eval lines

    @property
    def skip_reason(self) -> str | None:
        bare = self.text.removeprefix(".venv/bin/")
        return next((why for start, why in SKIP.items() if bare.startswith(start)), None)


def _lines(block: str, first_line: int):
    """(line number, command) of a block: comments and blank lines left out, continuations joined."""
    pending, start = "", None
    for offset, line in enumerate(block.splitlines()):
        line = line.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        start = first_line + offset if not pending else start
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        yield start, pending + line
        pending = ""


def documented_commands(paths: list[Path] = DOCS, root: Path = REPO_ROOT) -> list[Command]:
    """The command lines of every fenced bash/sh block (comment-only lines left out)."""
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            prelude: list[str] = []
            for number, line in _lines(block.group(1), text.count("\n", 0, block.start(1)) + 1):
                out.append(Command(path.relative_to(root).as_posix(), number, line, tuple(prelude)))
                if ENVIRONMENT_LINE.match(line):
                    prelude.append(line)
    return out


COMMANDS = documented_commands()


def test_blocks_are_read_line_by_line_with_their_environment(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("text\n```bash\n# a comment\nexport A=1   # why\n\ncitylake status\n```\n"
                   "```python\nprint()\n```\n```sh\nmake demo\n```\n", encoding="utf-8")
    cmds = [(c.line, c.text, c.prelude, c.skip_reason is not None)
            for c in documented_commands([doc], root=tmp_path)]
    assert cmds == [(4, "export A=1   # why", (), False), (6, "citylake status", ("export A=1   # why",), False),
                    (12, "make demo", (), True)]
    doc.write_text("```bash\nB=2\ncurl -s x \\\n  -d y   # z\n```\n", encoding="utf-8")
    assert [(c.line, c.text, c.prelude) for c in documented_commands([doc], root=tmp_path)] == [
        (2, "B=2", ()), (3, "curl -s x -d y   # z", ("B=2",))]


def test_the_docs_have_commands_and_the_skip_list_is_used():
    assert len(COMMANDS) >= 20
    used = {start for c in COMMANDS for start in SKIP if c.text.removeprefix(".venv/bin/").startswith(start)}
    assert used == set(SKIP), f"skip entries no documented command needs: {set(SKIP) - used}"


@pytest.fixture(scope="session")
def docs_home(first_night, tmp_path_factory) -> Home:
    src, proc = first_night
    assert proc.returncode == 0, proc.stderr[-3000:]
    dst = tmp_path_factory.mktemp("docs") / "home"
    shutil.copytree(src.root, dst, symlinks=True)
    return Home(dst)


def shell_env(h: Home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(CITYLAKE_HOME=str(h.root), PATH=os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]]))
    return env


@pytest.fixture(scope="session")
def servers():
    """Servers the docs start (`make serve`): stopped by their PID when the session ends."""
    started: dict[str, subprocess.Popen] = {}   # health URL -> the server this session started there
    yield started
    for proc in started.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _serve(cmd: Command, h: Home, started: dict) -> None:
    health = next(url for start, url in SERVERS.items() if cmd.text.startswith(start))
    if health in started and started[health].poll() is None:
        return  # another doc started the same server: it serves this block too
    try:
        with urllib.request.urlopen(health, timeout=2):
            raise AssertionError(f"{health} already answers: another server holds the documented port")
    except OSError:
        pass  # the port is free
    proc = subprocess.Popen(["bash", "-c", cmd.text], cwd=REPO_ROOT, env=shell_env(h), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    started[health] = proc
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{cmd.doc}:{cmd.line} `{cmd.text}` stopped: {proc.stderr.read()[-2000:]}"
        try:
            with urllib.request.urlopen(health, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{cmd.doc}:{cmd.line} `{cmd.text}`: {health} did not answer within 120 s")


def _untracked() -> set[str]:
    out = subprocess.run(["git", "ls-files", "--others", "--exclude-standard", "--directory"], cwd=REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


@pytest.fixture(scope="session")
def written():
    """Files the commands write into the working directory (`> app.json`): removed at the end."""
    before = _untracked()
    yield
    for name in _untracked() - before:
        path = REPO_ROOT / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()


@pytest.mark.slow
@pytest.mark.timeout(2400)  # the first command waits for the night (first_night)
@pytest.mark.parametrize("cmd", COMMANDS, ids=[f"{c.doc}:{c.line}" for c in COMMANDS])
def test_documented_command_exits_0(cmd: Command, docs_home, servers, written):
    if cmd.skip_reason:
        pytest.skip(cmd.skip_reason)
    if any(cmd.text.startswith(start) for start in SERVERS):
        _serve(cmd, docs_home, servers)
        return
    script = "\n".join(["set -e -o pipefail", *cmd.prelude, cmd.text])
    proc = subprocess.run(["bash", "-c", script], cwd=REPO_ROOT, env=shell_env(docs_home),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f"{cmd.doc}:{cmd.line} `{cmd.text}` exited {proc.returncode}\n"
                                  f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
