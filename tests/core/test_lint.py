"""The pinned ruff rule set (pyproject.toml) holds for the whole tree."""

import shutil
import subprocess
import sys
from pathlib import Path

from citylake.paths import REPO_ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    proc = subprocess.run([ruff, "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]
