"""Every shell command the README and the docs show, run against a home after one real night.

The fenced ```bash / ```sh blocks of README.md and docs/*.md are read; each command line runs in
bash from the repository root, with the venv's bin first on PATH (as after `make demo`, in
`uv run` or an activated venv) and CITYLAKE_HOME set to a copy of the tiny night's home (the
commands write: ingest, publish, Airflow runs). `export` and `eval` lines carry over to the later
lines of their block, as they would in one shell session. A command must exit 0.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from citylake.paths import REPO_ROOT, Home

DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?:bash|sh)[ \t]*\n(.*?)^```", re.M | re.S)
ENVIRONMENT_LINE = re.compile(r"^(export|eval)\s")

# Documented commands this test does not run, and why (matched on the start of the command).
SKIP = {
    "make demo": "builds a city and runs a night (minutes): this test runs against such a night",
    "make test": "runs this very suite",
    "make airflow": "serves Airflow until stopped (tests/e2e/test_airflow_ui.py asks its API server)",
    "make bench": "benchmarks take tens of minutes (docs/benchmarks.md)",
    "python -m benchmarks": "benchmarks take tens of minutes (docs/benchmarks.md)",
    "citylake nightly": "a whole night (minutes): tests/e2e/test_nightly.py runs it",
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


def documented_commands(paths: list[Path] = DOCS, root: Path = REPO_ROOT) -> list[Command]:
    """The command lines of every fenced bash/sh block (comment-only lines left out)."""
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            prelude: list[str] = []
            for offset, line in enumerate(block.group(1).splitlines()):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                out.append(Command(path.relative_to(root).as_posix(), first_line + offset, line,
                                   tuple(prelude)))
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


@pytest.mark.slow
@pytest.mark.timeout(2400)  # the first command waits for the night (first_night)
@pytest.mark.parametrize("cmd", COMMANDS, ids=[f"{c.doc}:{c.line}" for c in COMMANDS])
def test_documented_command_exits_0(cmd: Command, docs_home):
    if cmd.skip_reason:
        pytest.skip(cmd.skip_reason)
    script = "\n".join(["set -e", *cmd.prelude, cmd.text])
    proc = subprocess.run(["bash", "-c", script], cwd=REPO_ROOT, env=shell_env(docs_home), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (f"{cmd.doc}:{cmd.line} `{cmd.text}` exited {proc.returncode}\n"
                                  f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
