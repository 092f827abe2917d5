"""GX plumbing of the gates: the file context, its DuckDB datasources, one checkpoint run.

One GX context per process and home (building it reads and rewrites great_expectations.yml,
≈ 0.3 s): a night that runs every gate in one process pays that once; so it does the raw
datasource's DuckDB connection (≈ 0.6 s to open; no lake attached, so no catalog lock to release). ``gx_lock`` still makes one
gate at a time per home, across processes (the context's files are shared).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from citylake.core.paths import Home
from quality import gx_duckdb, sqlt
from quality.specs import SAMPLE_SIZE, UNEXPECTED_ROWS, ExpectationResult, ExpectationSpec

log = logging.getLogger(__name__)

_RAW_DATASOURCE, _LAKE_DATASOURCE = "citylake_raw", "citylake_lake"
_CONTEXTS: dict[Path, Any] = {}   # GX file context per gx directory, for this process


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
    """The GX file context under ``<home>/gx`` (suites, validation results, Data Docs), built once
    per process."""
    ctx = _CONTEXTS.get(h.gx)
    if ctx is None:
        ctx = _CONTEXTS[h.gx] = _new_context(h)
    return ctx


def _new_context(h: Home):  # noqa: ANN202
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


def datasource(ctx, h: Home, lake: bool):  # noqa: ANN001, ANN202
    """The raw datasource is kept (its connection stays open for the next gate); the lake one is
    made anew for each ``session``, since `dispose` closed the connection its execution engine holds."""
    name = _LAKE_DATASOURCE if lake else _RAW_DATASOURCE
    url = gx_duckdb.engine_url(h.root, lake=lake)
    if lake:
        return ctx.data_sources.add_or_update_sql(name, connection_string=url)
    try:
        ds = ctx.data_sources.get(name)
        if ds.connection_string == url:
            return ds
    except (KeyError, ValueError) as e:
        log.debug("datasource %s not found: %s", name, e)
    return ctx.data_sources.add_or_update_sql(name, connection_string=url)


def row_count(ds, rel_sql: str) -> int | None:  # noqa: ANN001
    import sqlalchemy as sa

    try:
        return int(ds.get_execution_engine().execute_query(
            sa.text(sqlt.render("row_count.sql", relation_sql=rel_sql))).scalar())
    except Exception as e:  # noqa: BLE001 - an unreadable relation is reported by the expectations
        log.warning("row count failed: %s", e)
        return None


@dataclass
class Validated:
    """What one checkpoint run returned: GX's result, the relation's row count, failed rows' samples."""

    cp_result: Any
    gx_seconds: float
    row_count: int | None
    samples: dict[str, list]
    data_docs: Path | None


@contextlib.contextmanager
def session(h: Home, *, lake: bool) -> Iterator[Any]:
    """One datasource, so one DuckDB connection, for several gates in a row (caller holds ``gx_lock``).

    Opening a lake connection (extensions, attach) costs about as much as validating a small suite,
    and GX opened two per gate (its connection test and its inspector); a session opens them once.
    A lake session is disposed at its end: its connection holds a catalog read lock, so the gates'
    outcomes are written after it (quality.checkpoint.run_gates)."""
    ctx = gx_context(h)
    ds = datasource(ctx, h, lake)
    try:
        yield ds
    finally:
        if lake:  # a raw one is kept for the next gate
            dispose(ds)


def validate(h: Home, ds, suite_name: str, rel_sql: str, expectations: list[ExpectationSpec], *,  # noqa: ANN001
             meta: dict, run_name: str, run_time: datetime) -> Validated:
    """Run the suite on the relation as one GX checkpoint through the session's datasource ``ds``.

    The query asset lives only for its own checkpoint: GX rewrites great_expectations.yml, with every
    asset of every datasource in it, at each change (twice per gate), so kept assets made each gate
    slower than the one before."""
    _drop_asset(ds, suite_name)  # one a home's earlier gates kept (before assets were dropped)
    asset = ds.add_query_asset(suite_name, query=rel_sql)
    try:
        return _run_checkpoint(h, ds, asset, suite_name, rel_sql, expectations, meta=meta, run_name=run_name,
                               run_time=run_time)
    finally:
        _drop_asset(ds, suite_name)


def _drop_asset(ds, name: str) -> None:  # noqa: ANN001
    with contextlib.suppress(LookupError, ValueError):
        ds.delete_asset(name)


def _run_checkpoint(h: Home, ds, asset, suite_name: str, rel_sql: str,  # noqa: ANN001
                    expectations: list[ExpectationSpec], *, meta: dict, run_name: str,
                    run_time: datetime) -> Validated:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    ctx = gx_context(h)
    batch_def = asset.add_batch_definition_whole_table("night")
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(
        name=suite_name, expectations=[s.to_gx() for s in expectations], meta=meta))
    vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(name=suite_name, data=batch_def, suite=suite))
    # no UpdateDataDocsAction: the site is built once per night (quality.datadocs.build)
    checkpoint = ctx.checkpoints.add_or_update(gx.Checkpoint(name=suite_name, validation_definitions=[vd], actions=[]))
    tg = time.perf_counter()
    with gx_duckdb.single_pass():
        cp_result = checkpoint.run(run_id=RunIdentifier(run_name=run_name, run_time=run_time))
    gx_seconds = time.perf_counter() - tg
    by_key = {s.key: s for s in expectations}
    return Validated(cp_result, gx_seconds, row_count(ds, rel_sql),
                     _unexpected_samples(ds, rel_sql, cp_result, by_key), data_docs_index(ctx))


def results_of(v: Validated, expectations: list[ExpectationSpec]) -> list[ExpectationResult]:
    """One ExpectationResult per spec, in GX's order (a spec GX dropped did not pass)."""
    by_key = {s.key: s for s in expectations}
    results: list[ExpectationResult] = []
    for vr in v.cp_result.run_results.values():
        for er in vr.results:
            spec = by_key[er.expectation_config.meta["citylake_key"]]
            results.append(_to_result(spec, er, v.row_count, v.samples.get(spec.key)))
    seen = {r.spec.key for r in results}
    results += [ExpectationResult(s, False, error="no result returned by GX") for s in expectations if s.key not in seen]
    return results


def dispose(ds) -> None:  # noqa: ANN001
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

