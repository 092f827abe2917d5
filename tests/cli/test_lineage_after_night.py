"""`citylake standards lineage` after a night: the night's last dbt call (`dbt build --select
indicator`) leaves a target/manifest.json with compiled SQL for its own models only; the command
reads the manifest the night's lineage check kept (citylake.orchestration.pipeline.check_lineage)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from citylake.cli.main import app
from citylake.core.db import connect
from citylake.core.paths import Home
from standards.lineage import keep_manifest

FIXTURE = Path(__file__).parents[1] / "standards" / "fixtures" / "lineage_project"


def _compile(work: Path) -> Path:
    project = work / "project"
    shutil.copytree(FIXTURE, project)
    env = os.environ | {"LINEAGE_FIXTURE_DB": str(work / "fixture.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run([str(Path(sys.executable).with_name("dbt")), "compile", "--project-dir", str(project),
                    "--profiles-dir", str(project), "--target-path", str(work / "target"),
                    "--log-path", str(work / "logs")], check=True, env=env, capture_output=True, timeout=300)
    return work / "target" / "manifest.json"


def test_lineage_works_after_the_nights_last_dbt_call(tmp_path):
    h = Home(tmp_path / "home")
    connect(h=h).close()  # a lake, as after a night
    compiled = _compile(tmp_path)
    night_target = h.dbt_target / "manifest.json"
    night_target.parent.mkdir(parents=True)
    shutil.copy(compiled, night_target)
    keep_manifest(night_target, h)  # the night's lineage check
    last_call = json.loads(compiled.read_text(encoding="utf-8"))  # then `dbt build --select indicator`
    for node in last_call["nodes"].values():
        node.pop("compiled_code", None)
    night_target.write_text(json.dumps(last_call), encoding="utf-8")

    r = CliRunner().invoke(app, ["standards", "lineage"], env={"CITYLAKE_HOME": str(h.root), "COLUMNS": "220"})
    assert "compiled SQL" not in r.stdout + r.stderr
    assert r.exit_code == 1 and "VIOLATION population_wrong.person_name" in r.stderr  # the fixture's bad model
    assert "columns checked" in r.stdout
