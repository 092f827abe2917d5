"""Where the gates' outcomes are kept: ``quality.gate_runs``/``quality.gate_results`` in the lake
and the night's state file (``state/<date>/gate__<dataset>.json``, read by the night's plan)."""

from __future__ import annotations

import json

from citylake.core.paths import Home
from quality import sqlt
from quality.specs import GateResult


def lake_write(h: Home, fn) -> None:  # noqa: ANN001
    """Open the lake (only the extensions it needs), write, close; again when the commit lost a
    race (citylake.core.db.retrying)."""
    from citylake.core import db

    def once() -> None:
        conn = db.connect(h=h)
        try:
            fn(conn)
        finally:
            conn.close()

    db.retrying(once)


def record_gates(gates: list[GateResult], *, h: Home) -> None:
    """Append the gates to ``quality.gate_runs``/``gate_results`` in one commit and write the
    night's state file of each."""
    from citylake.core import state
    run_rows = [_run_row(g) for g in gates]
    result_rows = [row for g in gates for row in _result_rows(g)]

    def write(conn) -> None:  # noqa: ANN001
        conn.execute(sqlt.statements("ddl.sql"))
        conn.execute("BEGIN")
        conn.executemany(sqlt.statements("insert_gate_run.sql"), run_rows)
        if result_rows:
            conn.executemany(sqlt.statements("insert_gate_result.sql"), result_rows)
        conn.execute("COMMIT")

    if gates:
        lake_write(h, write)
    for gate in gates:
        # kind "gate" is what citylake.orchestration.night_plan reads (feeds); later hand-overs get their own kind
        kind = "gate" if gate.handover == "department_to_raw" else f"gate_{gate.handover}"
        state.write(gate.run_date, kind, gate.dataset, gate.summary(), h=h)


def _run_row(gate: GateResult) -> tuple:
    return (gate.run_id, gate.run_date, gate.dataset, gate.department, gate.handover, gate.relation,
            gate.suite, gate.passed, len(gate.results), len(gate.blocking_failures), len(gate.warnings),
            gate.row_count, gate.started_at, gate.seconds, gate.gx_seconds)


def _result_rows(gate: GateResult) -> list[tuple]:
    return [
        (gate.run_id, gate.run_date, gate.dataset, gate.department, gate.handover, r.spec.key, r.spec.type,
         json.dumps(r.spec.kwargs, ensure_ascii=False, default=str), r.spec.column, r.spec.severity,
         r.spec.dimension, r.spec.description_en, r.spec.description_zh, r.spec.source, r.success,
         r.unexpected_count, r.element_count, r.unexpected_percent,
         json.dumps(r.observed_value, ensure_ascii=False, default=str),
         json.dumps(r.sample, ensure_ascii=False, default=str), r.error, r.spec.fix_en, r.spec.fix_zh)
        for r in gate.results]
