"""The department → raw lake gate of one feed: its generated suite on the landed raw Parquet.

Landing already ran some of the suite's rules on every delivered row (ingest.checks: required
values, check characters, the primary key) and refused the failing rows to quarantine; its
manifest says which (``row_checks``). Those rules are reported from landing — the landed rows
pass them by construction — instead of being scanned again; how many rows landing refused is
judged by the suite's quarantine rule (blocking above 5 %). A raw file without such a manifest
(written by anything but landing) gets every rule run by GX.
"""

from __future__ import annotations

import dataclasses

from citylake.core.paths import Home
from ingest import registry
from ingest.land import read_manifest
from quality import suites
from quality.checkpoint import GateRequest, raw_relation_sql, run_gates
from quality.specs import ExpectationResult, ExpectationSpec, GateResult

_LANDING = "; answered by landing's row checks (ingest.checks), which refuse failing rows to quarantine"


def gate_feed(feed_id: str, date: str, *, h: Home) -> GateResult:
    """Hand-over gate department → raw lake: the feed's generated suite on its landed raw Parquet."""
    return gate_feeds([feed_id], date, h=h)[0]


def gate_feeds(feed_ids: list[str], date: str, *, h: Home) -> list[GateResult]:
    """The department → raw gates of several feeds through one GX datasource, their outcomes in one
    lake commit (quality.checkpoint.run_gates); each feed keeps its own verdict."""
    requests = []
    for feed_id in feed_ids:
        feed = registry.feed(feed_id)
        run, answered = split_by_landing(feed, suites.feed_suite(feed, date, h=h), read_manifest(feed, h.raw, date))
        requests.append(GateRequest(feed_id, raw_relation_sql(feed, date, h.raw), run, feed.department.id, answered))
    return run_gates(requests, "department_to_raw", date, h=h, lake=False)


def split_by_landing(feed, specs: list[ExpectationSpec],  # noqa: ANN001 - ingest.registry.Feed
                     manifest: dict | None) -> tuple[list[ExpectationSpec], list[ExpectationResult]]:
    """(the rules GX must run, the rules landing answered) for this delivery."""
    checks = (manifest or {}).get("row_checks")
    if not checks or manifest.get("status") not in ("landed", "replaced"):
        return specs, []
    done = {f"required:{c}" for c in checks.get("required", [])}
    key = checks.get("unique_key") or []
    if key == list(feed.primary_key):
        done.add(f"pk_unique:{'+'.join(key)}")
    for column, macro in (checks.get("check_digit") or {}).items():
        el = suites.element_of(feed.field(column))
        if el is not None and el.validator == macro:
            done.add(f"valid:{column}")
    rows = int(manifest.get("rows_landed") or 0)
    answered = [ExpectationResult(dataclasses.replace(s, source=s.source + _LANDING), True, unexpected_count=0,
                                  element_count=rows, unexpected_percent=0.0)
                for s in specs if s.key in done and s.severity == "blocking"]
    keys = {r.spec.key for r in answered}
    return [s for s in specs if s.key not in keys], answered
