"""One quality gate (质量闸门): a GX checkpoint on one relation at one hand-over point.

``run_gates`` validates a lake table/view, or a feed's landed raw Parquet, against a list of
``ExpectationSpec`` with Great Expectations 1.x over DuckDB (SQL pushdown; quality.gx_duckdb,
quality.gx_run), records the outcome (quality.gate_store) and returns a ``GateResult`` per relation. ``passed``
is False when any *blocking* expectation failed (DataWorks-style strong rule); *warning*
expectations only report.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from citylake.core.paths import Home
from quality import gx_run, sqlt
from quality.gate_store import record_gates
from quality.specs import HANDOVERS, ExpectationResult, ExpectationSpec, GateResult


def raw_relation_sql(feed, date: str, raw_root: Path) -> str:  # noqa: ANN001 - ingest.registry.Feed
    """SELECT over a feed's landed raw Parquet for one night (``raw/<dept>/<feed>/dt=D/part-0.parquet``)."""
    path = feed.raw_dir(raw_root, date) / "part-0.parquet"
    return sqlt.render("raw_relation.sql", path=str(path))


def relation_sql(relation: str) -> str:
    """SELECT over a lake table/view (``base.population``) or, unchanged, an explicit SELECT."""
    if re.match(r"^\s*(select|with)\b", relation, re.IGNORECASE):
        return relation
    return sqlt.render("relation.sql", relation=relation)



@dataclass
class GateRequest:
    """One suite to run on one relation: what ``run_gates`` takes per gate.

    ``relation`` is a lake table/view name (``base.population``) or a SELECT (e.g.
    ``raw_relation_sql(...)``). ``answered``: rules of the suite already decided upstream (landing ran
    them on every row), reported with the GX results but not run again."""

    dataset: str
    relation: str
    expectations: list[ExpectationSpec]
    department: str | None = None
    answered: list[ExpectationResult] = field(default_factory=list)


def run_gate(dataset: str, relation: str, expectations: list[ExpectationSpec], handover: str,
             run_date: str, *, h: Home, department: str | None = None,
             lake: bool = True, record: bool = True, answered: list[ExpectationResult] | None = None) -> GateResult:
    """Validate ``relation`` with ``expectations`` at ``handover`` for night ``run_date`` (one
    ``GateRequest`` through ``run_gates``); ``lake=False`` validates without attaching the lake."""
    request = GateRequest(dataset, relation, expectations, department, answered or [])
    return run_gates([request], handover, run_date, h=h, lake=lake, record=record)[0]


def run_gates(requests: list[GateRequest], handover: str, run_date: str, *, h: Home, lake: bool = True,
              record: bool = True) -> list[GateResult]:
    """Each request's suite as one GX checkpoint at ``handover`` for night ``run_date``, all through
    one datasource (quality.gx_run.session: one lake connection for the lot), then every outcome
    appended in one lake commit to ``quality.gate_runs``/``quality.gate_results`` with the night's
    state (``state/<date>/gate__<dataset>.json``) unless ``record=False``."""
    if handover not in HANDOVERS:
        raise ValueError(f"handover must be one of {HANDOVERS}: {handover!r}")
    for r in requests:
        keys = [s.key for s in r.expectations] + [a.spec.key for a in r.answered]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate expectation keys in suite for {r.dataset}: {keys}")
    with gx_run.gx_lock(h), gx_run.session(h, lake=lake) as ds:
        gates = [_checkpoint(ds, r, handover, run_date, h) for r in requests]
    if record:
        record_gates(gates, h=h)
    return gates


def _checkpoint(ds, r: GateRequest, handover: str, run_date: str, h: Home) -> GateResult:  # noqa: ANN001
    t0 = time.perf_counter()
    started = datetime.now(UTC).replace(tzinfo=None)
    suite_name = f"{handover}.{r.dataset}"
    v = gx_run.validate(h, ds, suite_name, relation_sql(r.relation), r.expectations,
                        meta={"dataset": r.dataset, "handover": handover, "generated_by": "citylake quality"},
                        run_name=f"{r.dataset} {run_date}", run_time=started)
    return GateResult(dataset=r.dataset, relation=r.relation, handover=handover, run_date=run_date,
                      run_id=f"{handover}:{r.dataset}:{run_date}:{started:%Y%m%dT%H%M%S%f}", suite=suite_name,
                      department=r.department, results=r.answered + gx_run.results_of(v, r.expectations),
                      row_count=v.row_count, started_at=started.isoformat(sep=" "),
                      seconds=time.perf_counter() - t0, gx_seconds=v.gx_seconds,
                      data_docs=str(v.data_docs) if v.data_docs else None)
