"""One quality gate (质量闸门): a GX checkpoint on one relation at one hand-over point.

``run_gate`` validates a lake table/view, or a feed's landed raw Parquet, against a list of
``ExpectationSpec`` with Great Expectations 1.x over DuckDB (SQL pushdown; quality.gx_duckdb,
quality.gx_run), records the outcome (quality.gate_store) and returns a ``GateResult``. ``passed``
is False when any *blocking* expectation failed (DataWorks-style strong rule); *warning*
expectations only report.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

from citylake.core.paths import Home
from quality import gx_run, sqlt
from quality.gate_store import record_gate
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



def run_gate(dataset: str, relation: str, expectations: list[ExpectationSpec], handover: str,
             run_date: str, *, h: Home, department: str | None = None,
             lake: bool = True, record: bool = True, answered: list[ExpectationResult] | None = None) -> GateResult:
    """Validate ``relation`` with ``expectations`` at ``handover`` for night ``run_date``.

    ``relation`` is a lake table/view name (``base.population``) or a SELECT (e.g.
    ``raw_relation_sql(...)``); ``lake=False`` validates without attaching the lake.
    ``answered``: rules of the suite already decided upstream (landing ran them on every row),
    reported with the GX results but not run again. Results are appended to
    ``quality.gate_runs``/``quality.gate_results`` and the night's state
    (``state/<date>/gate__<dataset>.json``) unless ``record=False``.
    """
    if handover not in HANDOVERS:
        raise ValueError(f"handover must be one of {HANDOVERS}: {handover!r}")
    answered = answered or []
    keys = [s.key for s in expectations] + [r.spec.key for r in answered]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate expectation keys in suite for {dataset}: {keys}")
    t0 = time.perf_counter()
    started = datetime.now(UTC).replace(tzinfo=None)
    suite_name = f"{handover}.{dataset}"
    with gx_run.gx_lock(h):
        v = gx_run.validate(h, suite_name, relation_sql(relation), expectations, lake=lake,
                            meta={"dataset": dataset, "handover": handover, "generated_by": "citylake quality"},
                            run_name=f"{dataset} {run_date}", run_time=started)
    gate = GateResult(dataset=dataset, relation=relation, handover=handover, run_date=run_date,
                      run_id=f"{handover}:{dataset}:{run_date}:{started:%Y%m%dT%H%M%S%f}", suite=suite_name,
                      department=department, results=answered + gx_run.results_of(v, expectations),
                      row_count=v.row_count, started_at=started.isoformat(sep=" "),
                      seconds=time.perf_counter() - t0, gx_seconds=v.gx_seconds,
                      data_docs=str(v.data_docs) if v.data_docs else None)
    if record:
        record_gate(gate, h=h)
    return gate
