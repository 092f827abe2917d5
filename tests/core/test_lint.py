"""The pinned ruff rule set and the import contract of the floors (pyproject.toml) hold for the
whole tree; an import that runs back up a floor fails."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from citylake.core.paths import REPO_ROOT

BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(BIN)) or "ruff"
    proc = subprocess.run([ruff, "check", "."], cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_the_floors_import_downward_only():
    proc = _lint_imports(REPO_ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:]
    contracts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken." in proc.stdout


def test_an_import_up_a_floor_breaks_the_contract(tmp_path):
    """The same contract on a copy of the packages in which the core imports the quality package."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    for package in config["root_packages"]:
        shutil.copytree(REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "citylake" / "core" / "db.py").write_text((REPO_ROOT / "citylake" / "core" / "db.py").read_text(encoding="utf-8")
                                                 + "\n\ndef _up():\n    from quality import report  # noqa\n")
    proc = _lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout[-4000:]
    assert "citylake.core is not allowed to import quality" in proc.stdout
    assert "citylake.core.db -> quality.report" in proc.stdout


def test_test_modules_have_unique_names():
    """pytest imports test modules by basename (no packages under tests/): two files of one name
    in different folders stop the whole run at collection."""
    names = sorted(p.name for p in (REPO_ROOT / "tests").rglob("test_*.py"))
    assert sorted(set(names)) == names, sorted({n for n in names if names.count(n) > 1})
