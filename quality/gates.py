"""Quality gates (质量闸门): a GX checkpoint at each hand-over point, validated in DuckDB.

``run_gate`` validates one relation (a lake table/view, or a feed's landed raw Parquet)
against a list of ``ExpectationSpec`` with Great Expectations 1.x over DuckDB (SQL
pushdown; see quality/gx_duckdb.py), records the outcome in the lake
(``quality.gate_runs``, ``quality.gate_results``) and in the night's run state, and
returns a ``GateResult``. ``passed`` is False when any *blocking* expectation failed
(DataWorks-style strong rule); *warning* expectations only report.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from citylake.core.paths import Home, home
from quality import gx_duckdb, sqlt

log = logging.getLogger(__name__)

Severity = Literal["blocking", "warning"]
SEVERITIES = ("blocking", "warning")
# GB/T 36344-2018 data quality dimensions
DIMENSIONS = ("conformity", "completeness", "accuracy", "consistency", "timeliness", "accessibility")
DIMENSIONS_ZH = {"conformity": "规范性", "completeness": "完整性", "accuracy": "准确性",
                 "consistency": "一致性", "timeliness": "时效性", "accessibility": "可访问性"}
# hand-over points (交换节点) where a checkpoint decides whether data may pass
HANDOVERS = ("department_to_raw", "raw_to_staging", "staging_to_base", "base_to_theme", "library_to_export")
SAMPLE_SIZE = 20
UNEXPECTED_ROWS = "UnexpectedRowsExpectation"
_RAW_DATASOURCE, _LAKE_DATASOURCE = "citylake_raw", "citylake_lake"


@dataclass(frozen=True)
class ExpectationSpec:
    """One rule: a GX expectation plus what citylake needs to act on it and explain it."""

    type: str                      # GX expectation class, e.g. "ExpectColumnValuesToNotBeNull"
    kwargs: dict[str, Any]
    severity: Severity
    dimension: str                 # one of DIMENSIONS
    description_en: str
    description_zh: str
    source: str                    # where the rule comes from, e.g. "feed psb_household: primary_key"
    key: str = ""                  # stable id of the rule within its suite (derived if empty)
    tolerance: float = 0.0         # share of rows allowed to fail (UnexpectedRows: applied by the gate)
    pii: str = "none"              # pii class of the checked column (masking of samples)
    fix_en: str = ""               # what the data owner should do
    fix_zh: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {DIMENSIONS}: {self.dimension!r}")
        if not self.key:
            col = self.kwargs.get("column") or "+".join(self.kwargs.get("column_list", [])) or "table"
            object.__setattr__(self, "key", f"{_snake(self.type)}:{col}")

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column") or ",".join(self.kwargs.get("column_list", [])) or None

    def to_gx(self):  # noqa: ANN201 - a GX Expectation
        import great_expectations.expectations as gxe

        cls = getattr(gxe, self.type, None)
        if cls is None:
            raise ValueError(f"GX has no expectation {self.type!r}")
        kwargs = dict(self.kwargs)
        if self.tolerance and self.type != UNEXPECTED_ROWS:
            kwargs["mostly"] = 1.0 - self.tolerance
        meta = {"citylake_key": self.key, "severity": self.severity, "dimension": self.dimension,
                "description_zh": self.description_zh, "rule_source": self.source}
        return cls(**kwargs, meta=meta, description=self.description_en or None)


@dataclass
class ExpectationResult:
    spec: ExpectationSpec
    success: bool
    unexpected_count: int | None = None
    element_count: int | None = None
    unexpected_percent: float | None = None
    observed_value: Any = None
    sample: list = field(default_factory=list)   # masked
    error: str | None = None

    @property
    def blocking_failure(self) -> bool:
        return not self.success and self.spec.severity == "blocking"


@dataclass
class GateResult:
    dataset: str
    relation: str
    handover: str
    run_date: str
    run_id: str
    suite: str
    department: str | None
    results: list[ExpectationResult]
    row_count: int | None
    started_at: str
    seconds: float
    gx_seconds: float
    data_docs: str | None = None

    @property
    def passed(self) -> bool:
        return not any(r.blocking_failure for r in self.results)

    @property
    def blocking_failures(self) -> list[ExpectationResult]:
        return [r for r in self.results if r.blocking_failure]

    @property
    def warnings(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.spec.severity == "warning"]

    def summary(self) -> dict:
        failed = [r.spec.key for r in self.blocking_failures]
        return {
            "dataset": self.dataset, "handover": self.handover, "run_date": self.run_date,
            "run_id": self.run_id, "passed": self.passed, "expectations": len(self.results),
            "failed": failed, "warnings": [r.spec.key for r in self.warnings],
            "row_count": self.row_count, "seconds": round(self.seconds, 3),
            "gx_seconds": round(self.gx_seconds, 3),
            "summary": (f"{len(failed)} blocking / {len(self.warnings)} warning failed of {len(self.results)}"
                        + (f": {', '.join(failed)}" if failed else "")),
        }


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# --------------------------------------------------------------------------- relations

def raw_relation_sql(feed, date: str, raw_root: Path) -> str:  # noqa: ANN001 - ingest.registry.Feed
    """SELECT over a feed's landed raw Parquet for one night (``raw/<dept>/<feed>/dt=D/part-0.parquet``)."""
    path = feed.raw_dir(raw_root, date) / "part-0.parquet"
    return sqlt.render("raw_relation.sql", path=str(path))


def relation_sql(relation: str) -> str:
    """SELECT over a lake table/view (``base.population``) or, unchanged, an explicit SELECT."""
    if re.match(r"^\s*(select|with)\b", relation, re.IGNORECASE):
        return relation
    return sqlt.render("relation.sql", relation=relation)


# --------------------------------------------------------------------------- GX context

@contextlib.contextmanager
def gx_lock(h: Home) -> Iterator[None]:
    """GX's file context rewrites great_expectations.yml: one gate at a time per home."""
    h.gx.mkdir(parents=True, exist_ok=True)
    with open(h.gx / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def gx_context(h: Home):  # noqa: ANN201 - a GX FileDataContext
    """The GX file context under ``<home>/gx`` (suites, validation results, Data Docs)."""
    gx_duckdb.patch()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="file", project_root_dir=str(h.gx))
    bars = ctx.variables.progress_bars
    globally = bars.get("globally") if isinstance(bars, dict) else getattr(bars, "globally", None)
    if globally is not False:
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        ctx.variables.save()
    return ctx


def _datasource(ctx, h: Home, lake: bool):  # noqa: ANN001, ANN202
    name = _LAKE_DATASOURCE if lake else _RAW_DATASOURCE
    url = gx_duckdb.engine_url(h.root, lake=lake)
    try:
        ds = ctx.data_sources.get(name)
        if ds.connection_string == url:
            return ds
    except (KeyError, ValueError) as e:
        log.debug("datasource %s not found: %s", name, e)
    return ctx.data_sources.add_or_update_sql(name, connection_string=url)


def _row_count(ds, rel_sql: str) -> int | None:  # noqa: ANN001
    import sqlalchemy as sa

    try:
        return int(ds.get_execution_engine().execute_query(
            sa.text(sqlt.render("row_count.sql", relation_sql=rel_sql))).scalar())
    except Exception as e:  # noqa: BLE001 - an unreadable relation is reported by the expectations
        log.warning("row count failed: %s", e)
        return None


# --------------------------------------------------------------------------- running

def run_gate(dataset: str, relation: str, expectations: list[ExpectationSpec], handover: str,
             run_date: str, h: Home | None = None, *, department: str | None = None,
             lake: bool = True, record: bool = True) -> GateResult:
    """Validate ``relation`` with ``expectations`` at ``handover`` for night ``run_date``.

    ``relation`` is a lake table/view name (``base.population``) or a SELECT (e.g.
    ``raw_relation_sql(...)``); ``lake=False`` validates without attaching the lake.
    Results are appended to ``quality.gate_runs``/``quality.gate_results`` and the night's
    state (``state/<date>/gate__<dataset>.json``) unless ``record=False``.
    """
    if handover not in HANDOVERS:
        raise ValueError(f"handover must be one of {HANDOVERS}: {handover!r}")
    keys = [s.key for s in expectations]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate expectation keys in suite for {dataset}: {keys}")
    h = h or home()
    t0 = time.perf_counter()
    started = datetime.now(UTC).replace(tzinfo=None)
    run_id = f"{handover}:{dataset}:{run_date}:{started:%Y%m%dT%H%M%S%f}"
    suite_name = f"{handover}.{dataset}"
    rel_sql = relation_sql(relation)
    by_key = {s.key: s for s in expectations}

    with gx_lock(h):
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        ctx = gx_context(h)
        ds = _datasource(ctx, h, lake)
        asset_name = suite_name
        with contextlib.suppress(LookupError, ValueError):
            ds.delete_asset(asset_name)
        asset = ds.add_query_asset(asset_name, query=rel_sql)
        batch_def = asset.add_batch_definition_whole_table("night")
        suite = ctx.suites.add_or_update(gx.ExpectationSuite(
            name=suite_name, expectations=[s.to_gx() for s in expectations],
            meta={"dataset": dataset, "handover": handover, "generated_by": "citylake quality"}))
        vd = ctx.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite_name, data=batch_def, suite=suite))
        # no UpdateDataDocsAction: the site is built once per night (quality.datadocs.build)
        checkpoint = ctx.checkpoints.add_or_update(gx.Checkpoint(
            name=suite_name, validation_definitions=[vd], actions=[]))
        tg = time.perf_counter()
        with gx_duckdb.single_pass():
            cp_result = checkpoint.run(run_id=RunIdentifier(run_name=f"{dataset} {run_date}", run_time=started))
        gx_seconds = time.perf_counter() - tg
        row_count = _row_count(ds, rel_sql)
        samples = _unexpected_samples(ds, rel_sql, cp_result, by_key)
        docs = data_docs_index(ctx)
        _dispose(ds)

    results: list[ExpectationResult] = []
    for vr in cp_result.run_results.values():
        for er in vr.results:
            spec = by_key[er.expectation_config.meta["citylake_key"]]
            results.append(_to_result(spec, er, row_count, samples.get(spec.key)))
    seen = {r.spec.key for r in results}
    for spec in expectations:  # GX dropped an expectation (should not happen): it did not pass
        if spec.key not in seen:
            results.append(ExpectationResult(spec, False, error="no result returned by GX"))
    gate = GateResult(dataset=dataset, relation=relation, handover=handover, run_date=run_date,
                      run_id=run_id, suite=suite_name, department=department, results=results,
                      row_count=row_count, started_at=started.isoformat(sep=" "),
                      seconds=time.perf_counter() - t0, gx_seconds=gx_seconds,
                      data_docs=str(docs) if docs else None)
    if record:
        record_gate(gate, h)
    return gate


def _dispose(ds) -> None:  # noqa: ANN001
    """Close GX's connections: its persisted connection keeps a transaction (and so a DuckLake
    catalog read lock) open, which would block the lake writer that records the results."""
    with contextlib.suppress(Exception):
        ds.get_execution_engine().close()
    engine = getattr(ds, "_engine", None)
    if engine is not None:
        engine.dispose()


def _unexpected_samples(ds, rel_sql: str, cp_result, by_key: dict) -> dict[str, list]:  # noqa: ANN001
    """First rows of each *failed* UnexpectedRowsExpectation (GX's SUMMARY result carries only the count)."""
    import sqlalchemy as sa

    out: dict[str, list] = {}
    engine = ds.get_execution_engine()
    for vr in cp_result.run_results.values():
        for er in vr.results:
            spec = by_key.get(er.expectation_config.meta.get("citylake_key"))
            if spec is None or spec.type != UNEXPECTED_ROWS or er.success:
                continue
            query = spec.kwargs["unexpected_rows_query"].format(batch=f"({rel_sql}) AS batch")
            try:
                res = engine.execute_query(sa.text(sqlt.render("sample_unexpected.sql", query=query,
                                                               limit=SAMPLE_SIZE)))
                out[spec.key] = [dict(r._mapping) for r in res.fetchall()]
            except Exception as e:  # noqa: BLE001 - the expectation already reports the failure
                log.warning("sample for %s failed: %s", spec.key, e)
    return out


def data_docs_index(ctx) -> Path | None:  # noqa: ANN001
    """Where the local Data Docs site's index page is (built by quality.datadocs.build)."""
    try:
        sites = ctx.get_docs_sites_urls(only_if_exists=False)
    except Exception as e:  # noqa: BLE001 - docs are a convenience, never a gate outcome
        log.warning("data docs: %s", e)
        return None
    for site in sites:
        url = site.get("site_url") or ""
        if url.startswith("file://"):
            return Path(url[len("file://"):])
    return None


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _to_result(spec: ExpectationSpec, er, row_count: int | None,  # noqa: ANN001
               rows: list[dict] | None = None) -> ExpectationResult:
    from egress.masking import mask_value

    res = er.result or {}
    info = er.exception_info or {}
    errors = [info.get("exception_message")] if "exception_message" in info else [
        v.get("exception_message") for v in info.values() if isinstance(v, dict)]
    error = "; ".join(e for e in errors if e) or None
    if spec.type == UNEXPECTED_ROWS:
        unexpected = res.get("observed_value")
        rows = rows or (res.get("details") or {}).get("unexpected_rows") or []
        sample = [_first_value(r) for r in rows[:SAMPLE_SIZE]]
        element = row_count
        success = bool(er.success)
        if not success and unexpected is not None and error is None and spec.tolerance and element:
            success = unexpected <= spec.tolerance * element
        pct = (100.0 * unexpected / element) if (unexpected is not None and element) else None
        observed = None
    else:
        unexpected = res.get("unexpected_count")
        element = res.get("element_count", row_count)
        sample = list(res.get("partial_unexpected_list") or [])[:SAMPLE_SIZE]
        success = bool(er.success)
        pct = res.get("unexpected_percent")
        observed = res.get("observed_value")
    if error:
        success = False
    return ExpectationResult(
        spec=spec, success=success, unexpected_count=unexpected, element_count=element,
        unexpected_percent=pct, observed_value=_jsonable(observed),
        sample=[mask_value(v, spec.pii) for v in _jsonable(sample)], error=error)


def _first_value(row: Any) -> Any:
    if isinstance(row, dict):
        return row.get("value", next(iter(row.values()), None))
    if isinstance(row, list | tuple):
        return row[0] if row else None
    return row


# --------------------------------------------------------------------------- recording

def lake_write(h: Home, fn) -> None:  # noqa: ANN001
    """Open the lake, write, close; again when the commit lost a race (citylake.core.db.retrying)."""
    import duckdb

    from citylake.core import db

    def once() -> None:
        # citylake.core.db's own primitives, but only the two extensions the lake needs:
        # connect() also loads spatial/excel/encodings (~1-3 s), too much per gate.
        conn = duckdb.connect()
        try:
            db.apply_settings(conn, h=h)
            db.load_extensions(conn, db.lake_extensions(h))
            db.attach_lake(conn, h)
            fn(conn)
        finally:
            conn.close()

    db.retrying(once)


def record_gate(gate: GateResult, h: Home | None = None) -> None:
    """Append the gate to ``quality.gate_runs``/``gate_results`` and write the night's state file."""
    from citylake.core import state

    h = h or home()
    run_row = (gate.run_id, gate.run_date, gate.dataset, gate.department, gate.handover, gate.relation,
               gate.suite, gate.passed, len(gate.results), len(gate.blocking_failures), len(gate.warnings),
               gate.row_count, gate.started_at, gate.seconds, gate.gx_seconds)
    result_rows = [
        (gate.run_id, gate.run_date, gate.dataset, gate.department, gate.handover, r.spec.key, r.spec.type,
         json.dumps(r.spec.kwargs, ensure_ascii=False, default=str), r.spec.column, r.spec.severity,
         r.spec.dimension, r.spec.description_en, r.spec.description_zh, r.spec.source, r.success,
         r.unexpected_count, r.element_count, r.unexpected_percent,
         json.dumps(r.observed_value, ensure_ascii=False, default=str),
         json.dumps(r.sample, ensure_ascii=False, default=str), r.error, r.spec.fix_en, r.spec.fix_zh)
        for r in gate.results]

    def write(conn) -> None:  # noqa: ANN001
        conn.execute(sqlt.statements("ddl.sql"))
        conn.execute("BEGIN")
        conn.execute(sqlt.statements("insert_gate_run.sql"), run_row)
        if result_rows:
            conn.executemany(sqlt.statements("insert_gate_result.sql"), result_rows)
        conn.execute("COMMIT")

    lake_write(h, write)
    summary = gate.summary()
    # kind "gate" is what citylake.orchestration.night_plan reads (feeds); later hand-overs get their own kind
    kind = "gate" if gate.handover == "department_to_raw" else f"gate_{gate.handover}"
    state.write(gate.run_date, kind, gate.dataset, summary, h=h)


# --------------------------------------------------------------------------- feeds and blocking

def gate_feed(feed_id: str, date: str, h: Home | None = None) -> GateResult:
    """Hand-over gate department → raw lake: the feed's generated suite on its landed raw Parquet."""
    from ingest import registry
    from quality import suites

    h = h or home()
    feed = registry.feed(feed_id)
    specs = suites.feed_suite(feed, date, h)
    return run_gate(feed_id, raw_relation_sql(feed, date, h.raw), specs, "department_to_raw", date, h,
                    department=feed.department.id, lake=False)
