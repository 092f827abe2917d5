"""Per-night run state: which feeds were landed, failed or blocked by a gate.

Kept as small JSON files under $CITYLAKE_HOME/state/<date>/ so every task (in any
process, under any executor) sees the same decisions; written atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from citylake.paths import Home, home


def _dir(date: str, h: Home) -> Path:
    d = h.state / date
    d.mkdir(parents=True, exist_ok=True)
    return d


def write(date: str, kind: str, key: str, value: dict, h: Home | None = None) -> None:
    """Record `value` for `key` (e.g. a feed id) under `kind` (landing, gate) for the night."""
    path = _dir(date, h or home()) / f"{kind}__{key}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=str, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_all(date: str, kind: str, h: Home | None = None) -> dict[str, dict]:
    d = (h or home()).state / date
    if not d.exists():
        return {}
    return {p.stem.split("__", 1)[1]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(d.glob(f"{kind}__*.json"))}


def unusable_feeds(date: str, h: Home | None = None) -> dict[str, str]:
    """Feeds whose data must not flow downstream tonight, with the reason.

    A feed is unusable when its landing failed/is missing or a blocking gate failed on it.
    Feeds with no state at all (not run tonight) are not listed.
    """
    h = h or home()
    out: dict[str, str] = {}
    for feed_id, landing in read_all(date, "landing", h).items():
        if landing.get("status") in ("failed", "missing"):
            out[feed_id] = f"landing {landing.get('status')}: {landing.get('message', '')}"
    for feed_id, gate in read_all(date, "gate", h).items():
        if not gate.get("passed", True):
            out.setdefault(feed_id, f"blocking gate failed: {gate.get('summary', '')}")
    return out
