"""The steps of the nightly batch, as plain functions.

DAG files call these (they stay thin); `citylake nightly`, tests and benchmarks
exercise exactly the same code. Each step records its outcome in the night's
state (citylake.state) so later steps — in any process — can honour it.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from citylake import state
from citylake.paths import Home, home


class DataContractError(Exception):
    """A delivery or dataset broke its contract; retrying will not help (no Airflow retry)."""


def land(feed_id: str, date: str, h: Home | None = None) -> dict:
    """Land one feed's delivery for `date` into the raw zone (department → raw lake)."""
    from ingest import registry
    from ingest.land import land_feed

    h = (h or home()).ensure()
    feed = registry.feed(feed_id)
    result = land_feed(feed, date, inbox=h.inbox, raw_root=h.raw, quarantine_root=h.quarantine)
    out = asdict(result)
    state.write(date, "landing", feed_id, out, h)
    _log_exchange("landing", feed_id, date, out, h)
    if result.status in ("failed", "missing"):
        raise DataContractError(f"{feed_id} {date}: {result.status}: {result.message}")
    return out


def gate_feed(feed_id: str, date: str, h: Home | None = None) -> dict:
    """Hand-over gate department → raw lake: the feed's expectation suite on its landed Parquet."""
    from quality.gates import gate_feed as run

    h = h or home()
    result = run(feed_id, date, h=h)
    summary = result.summary()
    state.write(date, "gate", feed_id, summary, h)
    _log_exchange("gate", feed_id, date, summary, h)
    if not result.passed:
        raise DataContractError(f"{feed_id} {date}: blocking expectations failed: {summary.get('failed')}")
    return summary


def plan_dbt(date: str, stage: str = "base", h: Home | None = None) -> dict:
    """What tonight's dbt build must leave out, and the snapshot readers see before it.

    Models downstream of an unusable feed (failed landing or blocking gate) and of a blocked
    library are excluded: they are not rebuilt, so readers keep the last good snapshot.
    """
    from citylake.snapshots import current_snapshot

    h = h or home()
    unusable = state.unusable_feeds(date, h)
    blocked_libs = {k: v for k, v in state.read_all(date, "library_gate", h).items() if not v.get("passed", True)}
    exclude = [f"source:raw.{f}+" for f in sorted(unusable)]
    exclude += [f"marts.{v['layer']}.{lib}+" for lib, v in sorted(blocked_libs.items())]
    plan = {"date": date, "exclude": exclude, "snapshot_before": current_snapshot(h),
            "unusable_feeds": unusable, "blocked_libraries": sorted(blocked_libs)}
    state.write(date, "plan", stage, plan, h)
    return plan


def dbt_build(date: str, select: list[str] | None = None, h: Home | None = None) -> dict:
    """Build (run + test) dbt models, leaving out everything downstream of unusable feeds.

    Excluded models are not rebuilt, so readers keep their last good snapshot.
    """
    from citylake.dbt_runner import invoke

    h = h or home()
    unusable = state.unusable_feeds(date, h)
    args = ["build"]
    if select:
        args += ["--select", *select]
    if unusable:
        args += ["--exclude", *[f"source:raw.{f}+" for f in sorted(unusable)]]
    t0 = time.perf_counter()
    run = invoke(args, run_date=date, h=h)
    out = {"success": run.success, "seconds": time.perf_counter() - t0, "excluded_feeds": unusable,
           "nodes": len(run.results), "failed": run.failed_nodes(), "results": run.results}
    state.write(date, "dbt", "_".join(select or ["all"]).replace(" ", "_").replace("/", "_"), out, h)
    if not run.success:
        raise RuntimeError(f"dbt build failed for nodes: {run.failed_nodes()}")
    return out


def _log_exchange(kind: str, dataset: str, date: str, detail: dict, h: Home) -> None:
    """Append to the exchange log (catalogs.exchange_log) when that module is present."""
    try:
        from catalogs.exchange_log import record
    except ImportError:
        return
    record(kind=kind, dataset=dataset, date=date, detail=detail, h=h)
