"""Quality scores on GB/T 36344-2018's six dimensions, per feed and per department, per night.

A dimension's score (0-100) is the mean of its checks' scores (``check_score``): a row-level
check scores the share of rows that pass it (failing on 1 row in 1,000 costs little); a
table-level check (``TABLE_LEVEL``: it judges the delivery as a whole) scores 1 or 0. On top
of the gate results:

- consistency 一致性 also counts the 一数一源 findings of the night
  (dbt model ``intermediate.int_consistency_findings``, once built) as one more check,
  scored 1 - findings / rows;
- timeliness 时效性 is the delivery-deadline / freshness checks; a feed that was not
  delivered scores 0;
- accessibility 可访问性 is whether the delivery arrived and could be read: 0 when the
  landing failed or is missing, else the share of checks that ran without error.

Stored in the lake as ``quality.scores`` (one row per night, level, dataset, dimension;
re-scoring a night replaces that night only, so the history stays queryable).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from citylake.core.paths import Home
from quality import sqlt
from quality.gate_store import lake_write
from quality.specs import DIMENSIONS

OVERALL = "overall"
# Rule families (the part of a rule key before ':', quality/suites.py) that judge a table as a
# whole: the delivery deadline, freshness, the quarantine share, row counts, reconciliation.
TABLE_LEVEL = frozenset({"delivery", "fresh", "quarantine", "row_count", "reconcile"})


@dataclass(frozen=True)
class Score:
    run_date: str
    level: str            # feed | department
    department: str
    dataset: str | None
    dimension: str
    score: float | None   # 0..100, None when nothing was measured
    checks: int = 0
    failed_checks: int = 0


def _findings(conn, run_date: str) -> dict[str, int]:  # noqa: ANN001
    """Consistency findings per feed tonight; none before the libraries have been built once."""
    if not conn.execute(sqlt.statements("columns_of.sql"), ["intermediate", "int_consistency_findings"]).fetchall():
        return {}
    return dict(conn.execute(sqlt.statements("scores_consistency_findings.sql"), [run_date]).fetchall())


def check_score(key: str, success: bool, unexpected: int | None, rows: int | None, error: str | None) -> float:
    """One check's score in 0..1: 1 or 0 for a table-level check (or one without a row count),
    else the share of rows that pass it; 0 when the check could not run."""
    if error is not None:
        return 0.0
    if success:
        return 1.0
    if key.split(":", 1)[0] in TABLE_LEVEL or unexpected is None or not rows:
        return 0.0
    return max(0.0, 1.0 - unexpected / rows)


def _by_feed(rows: list[tuple]) -> tuple[dict[str, dict[str, tuple]], dict[str, int]]:
    """(feed -> dimension -> (score 0..1, checks, failed, errored), feed -> row count) from the check rows."""
    parts: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    row_counts: dict[str, int] = {}
    for dataset, _dept, dim, row_count, key, success, unexpected, element, error in rows:
        parts[dataset][dim].append((check_score(key, success, unexpected, element, error), success, error))
        if row_count is not None:
            row_counts[dataset] = row_count
    by_feed = {fid: {dim: (statistics.fmean(s for s, _, _ in cs), len(cs), sum(not ok for _, ok, _ in cs),
                           sum(e is not None for _, _, e in cs)) for dim, cs in dims.items()}
               for fid, dims in parts.items()}
    return by_feed, row_counts


def compute_scores(run_date: str, *, h: Home) -> list[Score]:
    """Score every feed and department for ``run_date`` and store the night in ``quality.scores``."""
    from citylake.core import state
    from ingest import registry
    feeds = registry.load()
    landing = state.read_all(run_date, "landing", h=h)
    scores: list[Score] = []

    def work(conn) -> None:  # noqa: ANN001
        conn.execute(sqlt.statements("ddl.sql"))
        conn.execute(sqlt.statements("scores_ddl.sql"))
        rows = conn.execute(sqlt.statements("scores_checks.sql"), [run_date]).fetchall()
        findings = _findings(conn, run_date)
        by_feed, row_counts = _by_feed(rows)
        scores.clear()
        for fid, feed in feeds.items():
            land = landing.get(fid)
            gated = fid in by_feed
            if land is None and not gated and feed.update_cycle != "daily":
                continue  # not due tonight
            delivered = gated and (land is None or land.get("status") not in ("failed", "missing"))
            dims = by_feed.get(fid, {})
            for dim in DIMENSIONS:
                score, checks, failed, _ = dims.get(dim, (None, 0, 0, 0))
                if dim == "consistency" and fid in findings:
                    rate = findings[fid] / max(row_counts.get(fid, 0), 1)
                    part = max(0.0, 1.0 - rate)
                    score = part if score is None else (score * checks + part) / (checks + 1)
                    checks, failed = checks + 1, failed + (1 if findings[fid] else 0)
                if dim == "timeliness" and not delivered:
                    score, checks, failed = 0.0, max(checks, 1), max(failed, 1)
                if dim == "accessibility":
                    total = sum(v[1] for v in dims.values())
                    errored = sum(v[3] for v in dims.values())
                    score = (1.0 - errored / total) if (delivered and total) else (1.0 if delivered else 0.0)
                    checks, failed = 1, 0 if score == 1.0 else 1
                scores.append(Score(run_date, "feed", feed.department.id, fid, dim,
                                    None if score is None else round(100 * score, 2), checks, failed))
        scores.extend(_rollups(run_date, scores))
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        conn.execute("BEGIN")
        conn.execute(sqlt.statements("scores_replace.sql"), [run_date])
        conn.executemany(sqlt.statements("scores_insert.sql"),
                         [(s.run_date, s.level, s.department, s.dataset, s.dimension, s.score, s.checks,
                           s.failed_checks, now) for s in scores])
        conn.execute("COMMIT")

    lake_write(h, work)
    return scores


def _rollups(run_date: str, feed_scores: list[Score]) -> list[Score]:
    """Overall per feed (mean of its measured dimensions) and department means per dimension."""
    out: list[Score] = []
    per_feed: dict[tuple[str, str], list[Score]] = defaultdict(list)
    for s in feed_scores:
        per_feed[(s.department, s.dataset)].append(s)
    for (dept, fid), ss in per_feed.items():
        vals = [s.score for s in ss if s.score is not None]
        out.append(Score(run_date, "feed", dept, fid, OVERALL, round(statistics.fmean(vals), 2) if vals else None,
                         sum(s.checks for s in ss), sum(s.failed_checks for s in ss)))
    per_dept: dict[tuple[str, str], list[Score]] = defaultdict(list)
    for s in [*feed_scores, *out]:
        per_dept[(s.department, s.dimension)].append(s)
    for (dept, dim), ss in per_dept.items():
        vals = [s.score for s in ss if s.score is not None]
        out.append(Score(run_date, "department", dept, None, dim,
                         round(statistics.fmean(vals), 2) if vals else None,
                         sum(s.checks for s in ss), sum(s.failed_checks for s in ss)))
    return out
