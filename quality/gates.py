"""Quality gates (质量闸门): a GX checkpoint at each hand-over point, validated in DuckDB.

The gates' public names, from the modules that do one job each:

- quality.specs — the rules and outcomes (``ExpectationSpec``, ``ExpectationResult``, ``GateResult``,
  hand-over points, GB/T 36344 dimensions);
- quality.gx_run — GX plumbing (one file context per process, datasources, one checkpoint run);
- quality.checkpoint — ``run_gates``: suites on relations at one hand-over point, through one connection;
- quality.gate_store — the outcome in the lake (``quality.gate_runs``/``gate_results``) and the
  night's state;
- quality.feed_gates — ``gate_feed``/``gate_feeds``: a feed's department → raw gate, answering from landing what
  landing already checked.

quality.suites builds the suites from the registries; it imports quality.specs, never this module.
"""

from __future__ import annotations

from quality.checkpoint import GateRequest, raw_relation_sql, relation_sql, run_gate, run_gates
from quality.feed_gates import gate_feed, gate_feeds
from quality.gate_store import lake_write, record_gates
from quality.gx_run import data_docs_index, gx_context, gx_lock
from quality.specs import (
    DIMENSIONS,
    DIMENSIONS_ZH,
    HANDOVERS,
    SAMPLE_SIZE,
    SEVERITIES,
    UNEXPECTED_ROWS,
    ExpectationResult,
    ExpectationSpec,
    GateResult,
    Severity,
)

__all__ = ["DIMENSIONS", "DIMENSIONS_ZH", "HANDOVERS", "GateRequest", "SAMPLE_SIZE", "SEVERITIES", "UNEXPECTED_ROWS",
           "ExpectationResult", "ExpectationSpec", "GateResult", "Severity", "data_docs_index", "gate_feed", "gate_feeds",
           "gx_context", "gx_lock", "lake_write", "raw_relation_sql", "record_gates", "relation_sql", "run_gate",
           "run_gates"]
