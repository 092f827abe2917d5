"""The README's recipe for a plain DuckDB client, offline: `citylake sql --print-attach` (and
`--print-macros` for the staging views) run in a separate venv that holds only duckdb and the
two extension wheels — no citylake, and no extension download (autoinstall off)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from citylake.cli.main import app

WHEELS = [f"duckdb=={duckdb.__version__}", f"duckdb-extension-ducklake=={duckdb.__version__}",
          f"duckdb-extension-sqlite=={duckdb.__version__}"]

RUN = textwrap.dedent("""
    import sys, duckdb
    conn = duckdb.connect()
    for path in sys.argv[1:]:
        for statement in conn.extract_statements(open(path, encoding="utf-8").read()):
            conn.execute(statement.query)
    print(conn.execute("select count(*) from base.t").fetchone()[0])
    print(conn.execute("select cl_ric_valid('11010519491231002X')").fetchone()[0])
""")


@pytest.fixture(scope="module")
def plain_python(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("plain") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    done = subprocess.run([str(py), "-m", "pip", "install", "-q", *WHEELS], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"PyPI not reachable: {done.stderr.strip().splitlines()[-1:]}")
    return py


def _recipe(h, flag: str, path: Path) -> Path:
    r = CliRunner().invoke(app, ["sql", flag], env={"CITYLAKE_HOME": str(h.root)})
    assert r.exit_code == 0, r.stderr
    path.write_text(r.stdout, encoding="utf-8")
    return path


@pytest.mark.slow
def test_printed_recipe_opens_the_lake_in_a_plain_duckdb(lake_home, plain_python, tmp_path):
    attach = _recipe(lake_home, "--print-attach", tmp_path / "attach.sql")
    macros = _recipe(lake_home, "--print-macros", tmp_path / "macros.sql")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITYLAKE", "PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run([str(plain_python), "-c", RUN, str(attach), str(macros)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["500", "True"]
    # the same recipe from the plain venv's own wheels (another machine's install)
    own = subprocess.run([str(plain_python), "-c", "import duckdb_extension_ducklake as d, pathlib; "
                          "print(pathlib.Path(d.__file__).parent.parent)"], capture_output=True, text=True)
    site = own.stdout.strip()
    text = attach.read_text(encoding="utf-8")
    for name in ("ducklake", "sqlite"):
        mine = next(line for line in text.splitlines() if line.startswith("INSTALL") and f"/{name}." in line)
        text = text.replace(mine, f"INSTALL '{site}/duckdb_extension_{name}/extensions/v{duckdb.__version__}/"
                                  f"{name}.duckdb_extension';")
    text = text.replace(str(lake_home.duckdb_extensions), str(tmp_path / "ext"))
    (tmp_path / "attach_own.sql").write_text(text, encoding="utf-8")
    done = subprocess.run([str(plain_python), "-c", RUN, str(tmp_path / "attach_own.sql"), str(macros)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["500", "True"]
