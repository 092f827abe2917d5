"""The one plan of the night: which feeds and libraries must not flow downstream tonight, and why.

Every step that needs the night's blocking decision asks this module: the dbt plan tasks of the
nightly and themes DAGs (their `exclude` selectors), the night's summary and `citylake status`.
The decision is one pure function, `decide`, over the night's state (landings, gates, library
gates); `plan_night` reads that state, decides, and writes the plan once
(`state/<date>/plan__<stage>.json`).

The rule:
  - a refused delivery (landing failed) is unusable: its consumers keep their last good snapshot;
  - a delivery that did not come tonight (late, or not due) is unusable only when the feed has
    never landed: otherwise its consumers are rebuilt from the feed's last landing;
  - a blocking gate at the department → raw hand-over makes the feed unusable;
  - a library whose hand-over gate blocked is excluded (all its tables, standards/libraries.yaml)
    with everything downstream of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from citylake.core import state
from citylake.core.paths import Home
from standards import libraries


class Reason(StrEnum):
    """Why a feed or library is left out of tonight's build."""

    LANDING_FAILED = "landing_failed"        # the delivery was refused at landing
    NEVER_LANDED = "never_landed"            # no delivery tonight and none earlier: nothing to build from
    GATE_BLOCKED = "gate_blocked"            # a blocking expectation failed at department → raw
    LIBRARY_BLOCKED = "library_blocked"      # the library's own hand-over gate blocked


@dataclass(frozen=True)
class Verdict:
    reason: Reason
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.reason.value}: {self.detail}" if self.detail else self.reason.value


@dataclass
class NightPlan:
    date: str
    stage: str
    unusable_feeds: dict[str, Verdict] = field(default_factory=dict)
    blocked_libraries: dict[str, str] = field(default_factory=dict)   # library -> layer
    snapshot_before: int | None = None

    def dbt_exclude(self) -> list[str]:
        """dbt `--exclude` selectors: every consumer of an unusable feed or a blocked library."""
        return ([f"source:raw.{f}+" for f in sorted(self.unusable_feeds)]
                + [f"{sel}+" for lib in sorted(self.blocked_libraries) for sel in libraries.library(lib).dbt_select()])

    def as_state(self) -> dict:
        return {"date": self.date, "stage": self.stage, "exclude": self.dbt_exclude(),
                "snapshot_before": self.snapshot_before,
                "unusable_feeds": {f: str(v) for f, v in sorted(self.unusable_feeds.items())},
                "reasons": {f: v.reason.value for f, v in sorted(self.unusable_feeds.items())},
                "blocked_libraries": sorted(self.blocked_libraries)}


def decide(landings: dict[str, dict], gates: dict[str, dict], library_gates: dict[str, dict],
           has_landing: Callable[[str], bool]) -> tuple[dict[str, Verdict], dict[str, str]]:
    """The blocking rule of the night (see the module docstring), as a pure function.

    ``landings``/``gates``/``library_gates``: tonight's state records by feed or library id;
    ``has_landing(feed_id)``: whether the feed has any landed night in the raw zone.
    """
    feeds: dict[str, Verdict] = {}
    for feed_id, landing in landings.items():
        status, message = landing.get("status"), landing.get("message", "")
        if status == "failed":
            feeds[feed_id] = Verdict(Reason.LANDING_FAILED, message)
        elif status == "missing" and not has_landing(feed_id):
            feeds[feed_id] = Verdict(Reason.NEVER_LANDED, message)
    for feed_id, gate in gates.items():
        if not gate.get("passed", True):
            feeds.setdefault(feed_id, Verdict(Reason.GATE_BLOCKED, str(gate.get("failed") or "")))
    libraries = {lib: g.get("layer", "base") for lib, g in library_gates.items() if not g.get("passed", True)}
    return feeds, libraries


def _has_landing(h: Home) -> Callable[[str], bool]:
    from ingest import registry

    def has(feed_id: str) -> bool:
        feed = registry.feed(feed_id)
        return any((h.raw / feed.department.id / feed.id).glob("dt=*/part-0.parquet"))

    return has


def unusable_feeds(date: str, h: Home) -> dict[str, Verdict]:
    """Tonight's unusable feeds and why (for summaries and status; reads the state, writes nothing)."""
    feeds, _ = decide(state.read_all(date, "landing", h=h), state.read_all(date, "gate", h=h),
                      state.read_all(date, "library_gate", h=h), _has_landing(h))
    return feeds


def plan_night(date: str, stage: str, h: Home, snapshot_before: int | None) -> NightPlan:
    """Decide tonight's exclusions for `stage` (base | theme) and record the plan once."""
    feeds, libraries = decide(state.read_all(date, "landing", h=h), state.read_all(date, "gate", h=h),
                              state.read_all(date, "library_gate", h=h), _has_landing(h))
    plan = NightPlan(date, stage, feeds, libraries, snapshot_before)
    state.write(date, "plan", stage, plan.as_state(), h=h)
    return plan


def snapshot_before(date: str, stage: str, h: Home) -> int | None:
    """The lake snapshot readers saw before tonight's `stage` build (to restore a blocked library)."""
    return state.read_all(date, "plan", h=h).get(stage, {}).get("snapshot_before")
