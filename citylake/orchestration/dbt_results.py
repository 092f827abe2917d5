"""What each of the night's dbt builds did to each node, kept so every library's gate can see it.

The base libraries are built by one `dbt build` (one dbt start-up and parse, not eight), the thematic
libraries and the indicators by one each. A model that fails there (or is skipped because one it
reads failed) must still show up on the library it belongs to: each cosmos build records its
run_results in the night's state (`state/<date>/dbt_build__<task_id>.json`, `record`, a cosmos
callback that runs before the task's own failure is raised) and a library's hand-over gate is blocked
by its own nodes' failures (`failures_of` over `night_outcomes`; citylake.orchestration.pipeline).
"""

from __future__ import annotations

import json
from pathlib import Path

from citylake.core import state
from citylake.core.paths import Home, home
from citylake.orchestration.dbt_runner import FAILED
from standards import libraries

FAILED_MODEL = (*FAILED, "skipped")  # a model dbt did not build because a node it reads failed


def node_outcomes(run_results: dict, manifest: dict) -> list[dict]:
    """One row per node of a dbt run: its status and message, and the models it stands for
    (`<layer>.<model>`: the model itself, or the model a test is attached to)."""
    nodes = manifest.get("nodes", {})
    out = []
    for r in run_results.get("results", []):
        uid = r["unique_id"]
        node = nodes.get(uid, {})
        if uid.startswith("model."):
            parents = [uid]
        else:
            parents = [node["attached_node"]] if node.get("attached_node") else [
                p for p in node.get("depends_on", {}).get("nodes", []) if p.startswith("model.")]
        out.append({"unique_id": uid, "status": r["status"], "message": r.get("message"),
                    "models": [_layer_model(nodes.get(p, {})) for p in parents if p in nodes]})
    return out


def _layer_model(node: dict) -> str:
    """`base.population` for the model at models/marts/base/population.sql (its folder is its layer)."""
    fqn = node.get("fqn", [])
    return f"{fqn[-2]}.{node['name']}" if len(fqn) >= 2 else node.get("name", "")


def failures_of(outcomes: list[dict], layer: str, library: str) -> list[str]:
    """The rule: the failed nodes of `library` (a model of it that failed or was skipped, a test on
    one of its models that failed), as `<node>: <status>: <message>` lines."""
    lib = libraries.library(library)
    out = []
    for o in outcomes:
        statuses = FAILED_MODEL if o["unique_id"].startswith("model.") else FAILED
        owned = any(m_layer == layer and lib.owns(name)
                    for m_layer, _, name in (m.partition(".") for m in o["models"]))
        if o["status"] in statuses and owned:
            out.append(f"{o['unique_id']}: {o['status']}: {(o.get('message') or '').strip()[:300]}")
    return out


def night_outcomes(date: str, *, h: Home) -> list[dict]:
    """The node outcomes of every dbt build recorded tonight (none when no build was recorded)."""
    return [o for build in state.read_all(date, "dbt_build", h=h).values() for o in build.get("nodes", [])]


def artifacts(project_dir: str) -> tuple[dict, dict] | None:
    """The run_results and manifest of the dbt run in cosmos's project copy; None when dbt stopped
    before running a node (the task's own failure says why)."""
    target = Path(project_dir) / "target"
    rr, manifest = target / "run_results.json", target / "manifest.json"
    if not rr.exists():
        return None
    return (json.loads(rr.read_text(encoding="utf-8")),
            json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {})


def keep(outcomes: list[dict], context) -> None:  # noqa: ANN001 - the task's Airflow context
    """Write one build's node outcomes in the night's state, under its task id."""
    from citylake.orchestration.dag_spec import night_of

    task_id = context["ti"].task_id
    state.write(night_of(context), "dbt_build", task_id, {"task_id": task_id, "nodes": outcomes}, h=home())


def record(project_dir: str, context=None, **_) -> None:  # noqa: ANN001 - cosmos callback
    """Cosmos callback (after dbt ran, before a failure is raised): keep the run's node outcomes."""
    found = artifacts(project_dir)
    if found:
        keep(node_outcomes(*found), context)
