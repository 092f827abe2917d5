"""The steps of the nightly batch, as plain functions.

DAG files call these (they stay thin); `citylake nightly`, tests and benchmarks
exercise exactly the same code. Each step records its outcome in the night's
state (citylake.core.state) so later steps — in any process — can honour it.
"""

from __future__ import annotations

from dataclasses import asdict

from citylake.core import state
from citylake.core.paths import Home
from ingest.errors import DeliveryMissing


class DataContractError(Exception):
    """A delivery or dataset broke its contract; retrying will not help (no Airflow retry)."""


def land(feed_id: str, date: str, *, h: Home) -> dict:
    """Land one feed's delivery for `date` into the raw zone (department → raw lake)."""
    from ingest import registry
    from ingest.land import land_feed

    h = h.ensure()
    feed = registry.feed(feed_id)
    result = land_feed(feed, date, inbox=h.inbox, raw_root=h.raw, quarantine_root=h.quarantine)
    out = asdict(result)
    state.write(date, "landing", feed_id, out, h=h)
    _log_exchange("landing", feed_id, date, out, h)
    if result.status == "missing":
        raise DeliveryMissing(f"{feed_id} {date}: {result.message}")
    if result.status == "failed":
        raise DataContractError(f"{feed_id} {date}: {result.message}")
    return out


def gate_feeds(feed_ids: list[str], date: str, *, h: Home) -> dict[str, dict]:
    """Hand-over gates department → raw lake of one department's feeds, in one task: every feed
    that landed tonight (its landing's state) gets its expectation suite on its landed Parquet, all
    through one GX datasource, their outcomes in one lake commit (quality.feed_gates.gate_feeds).

    Each feed is decided on its own: a blocked feed makes only itself unusable (night_plan reads
    its gate's state). After every feed is gated, DataContractError names each blocked one; with
    nothing landed tonight there is nothing to gate (DeliveryMissing: the task is skipped)."""
    from ingest.land import LANDED
    from quality.gates import gate_feeds as run

    landings = state.read_all(date, "landing", h=h)
    landed = [f for f in feed_ids if landings.get(f, {}).get("status") in LANDED]
    if not landed:
        raise DeliveryMissing(f"{', '.join(feed_ids)} {date}: nothing landed tonight, nothing to gate")
    outs, blocked = {}, []
    for result in run(landed, date, h=h):  # the night's state is written by quality.gate_store.record_gates
        outs[result.dataset] = summary = result.summary()
        _log_exchange("gate", result.dataset, date, summary, h)
        if not result.passed:
            blocked.append(f"{result.dataset} {date}: blocking expectations failed: {summary.get('failed')}")
    if blocked:
        raise DataContractError(" | ".join(blocked))
    return outs


def plan_dbt(date: str, stage: str = "base", *, h: Home) -> dict:
    """What tonight's dbt build must leave out, and the snapshot readers see before it
    (citylake.orchestration.night_plan: the one blocking rule of the night). Excluded models are not rebuilt,
    so readers keep the last good snapshot."""
    from citylake.orchestration.night_plan import plan_night
    from citylake.orchestration.snapshots import current_snapshot
    return plan_night(date, stage, h, current_snapshot(h=h)).as_state()


def check_lineage(date: str, *, h: Home) -> dict:
    """一数一源 at build time: every base-library column traces only to its element's authoritative
    feed (sqlglot column lineage over the compiled project, with column lists from the lake via
    `dbt docs generate`, which also refreshes the offline dbt docs). A violation fails the build."""
    from citylake.orchestration.dbt_runner import invoke
    from standards.lineage import check_manifest, keep_manifest
    invoke(["docs", "generate"], run_date=date, h=h, on="duckdb")  # the lake's columns, whichever engine built it
    rows = check_manifest(keep_manifest(h.dbt_target / "manifest.json", h))
    bad = [r.message for r in rows if not r.ok]
    out = {"columns": len(rows), "with_element": sum(1 for r in rows if r.element), "violations": bad}
    state.write(date, "lineage", "base", out, h=h)
    if bad:
        raise DataContractError("一数一源 lineage violations: " + "; ".join(bad))
    return out


def gate_library(library: str, date: str, layer: str = "base", *, h: Home) -> dict:
    """Library hand-over gate (staging → base, base → theme) on one library: `gate_libraries`."""
    return gate_libraries([library], date, layer, h=h)[library]


def gate_libraries(names: list[str], date: str, layer: str = "base", *, h: Home) -> dict[str, dict]:
    """Library hand-over gates on several libraries of a layer in one task (one manifest read, one
    connection to list their tables, one GX context, one lake connection for every gate and one commit
    for their outcomes): the suites derived from dbt metadata.

    Each library is decided on its own: a blocking failure, or a node of the library that failed in
    tonight's dbt build (citylake.orchestration.dbt_results), puts that library's tables back to the
    snapshot readers had before tonight's build (DuckLake time travel) and records it so its
    consumers are excluded. After every library is gated, DataContractError names each blocked one.
    """
    from citylake.core.db import connect
    from citylake.orchestration.dbt_results import night_outcomes
    from citylake.orchestration.snapshots import library_tables
    from quality.checkpoint import GateRequest, run_gates
    from quality.suites import library_suites
    from standards.libraries import handover_of

    suites, outcomes = library_suites(h.dbt_manifest()), night_outcomes(date, h=h)
    conn = connect(read_only=True, h=h)
    try:
        tables = {lib: {f"{layer}.{t}" for t in library_tables(conn, layer, lib)} for lib in names}
    finally:
        conn.close()
    requests = [GateRequest(rel, rel, specs) for rel, specs in sorted(suites.items())
                if any(rel in t for t in tables.values())]
    gates = {g.dataset: g for g in run_gates(requests, handover_of(layer), date, h=h)}
    outs, blocked = {}, []
    for lib in names:
        mine = [g for rel, g in gates.items() if rel in tables[lib]]
        outs[lib], why = _decide(lib, tables[lib], mine, outcomes, date, layer, h)
        blocked += [why] if why else []
    if blocked:
        raise DataContractError(" | ".join(blocked))
    return outs


def _decide(library: str, tables: set[str], results: list, outcomes: list[dict], date: str, layer: str,
            h: Home) -> tuple[dict, str]:
    """One library's outcome from its gates' `results` and tonight's dbt node `outcomes`, recorded;
    returns it and, when blocked, why."""
    from citylake.orchestration.dbt_results import failures_of
    from citylake.orchestration.night_plan import snapshot_before
    from citylake.orchestration.snapshots import restore

    dbt_failed = failures_of(outcomes, layer, library)
    passed = all(r.passed for r in results) and not dbt_failed
    out = {"library": library, "layer": layer, "passed": passed, "relations": sorted(tables),
           "dbt_failures": dbt_failed, "gates": [r.summary() for r in results]}
    if not passed:
        out["restored"] = restore(layer, library, snapshot_before(date, "base" if layer == "base" else "theme", h), h=h)
    state.write(date, "library_gate", library, out, h=h)
    _log_exchange("gate", f"{layer}.{library}", date, {k: v for k, v in out.items() if k != "gates"}, h)
    if passed:
        return out, ""
    failed = [f["dataset"] for f in out["gates"] if not f.get("passed")]
    why = ([f"blocking expectations failed on {failed}"] if failed else []) + \
          ([f"dbt build failed: {dbt_failed}"] if dbt_failed else [])
    return out, f"{layer}.{library} {date}: {'; '.join(why)}; restored to the last good snapshot: {out['restored']}"


def score_quality(date: str, *, h: Home) -> dict:
    """GB/T 36344 scores per feed and department for the night, stored with history."""
    from quality.scores import compute_scores

    scores = compute_scores(date, h=h)
    return {"scores": len(scores)}


def write_reports(date: str, *, h: Home) -> dict:
    """Each department's quality report (with the objections to its data and who used it, from the data
    service's records: catalogs.feedback) and the index page (offline HTML), and GX's Data Docs."""
    from catalogs.feedback import Reader
    from quality import datadocs
    from quality.report import write_all

    feedback = Reader(h, date)
    try:
        paths = write_all(date, h=h, feedback=feedback)
    finally:
        feedback.close()
    docs = datadocs.build(h)
    return {"reports": len(paths), "dir": str(paths[0].parent) if paths else None,
            "data_docs": str(docs) if docs else None}


def publish(date: str, *, h: Home) -> dict:
    """Catalogs, exports, open data and sharing packages; a leak or a refused publication fails the
    step (no retry: the previous publication stays in place)."""
    from catalogs.publish import PublishRefused, publish_night
    from egress.leakcheck import LeakError

    try:
        return publish_night(date, h=h)
    except LeakError as e:
        raise DataContractError(f"publish {date}: leak check failed: {e}") from e
    except PublishRefused as e:
        raise DataContractError(f"publish {date}: refused: {e}") from e


def end_night(date: str, *, h: Home) -> dict:
    """The night's last write: its end snapshot in catalog.nights, in a commit labelled
    `citylake` / `night D: end of the nightly batch` (`citylake sql --night D` reads it)."""
    from citylake.orchestration.nightmarks import mark_night_end

    return {"night": date, "snapshot": mark_night_end(date, h=h)}


def _log_exchange(kind: str, dataset: str, date: str, detail: dict, h: Home) -> None:
    """Append to the exchange log (catalog.exchange_log in the lake)."""
    from catalogs.exchange_log import record

    record(kind=kind, dataset=dataset, date=date, detail=detail, h=h)
