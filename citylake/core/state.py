"""Per-night run state: what each step recorded (landings, gates, the night's plan).

Kept as small JSON files under $CITYLAKE_HOME/state/<date>/ so every task (in any
process, under any executor) sees the same decisions; written atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from citylake.core.paths import Home


def _dir(date: str, h: Home) -> Path:
    d = h.state / date
    d.mkdir(parents=True, exist_ok=True)
    return d


def write(date: str, kind: str, key: str, value: dict, *, h: Home) -> None:
    """Record `value` for `key` (e.g. a feed id) under `kind` (landing, gate) for the night."""
    path = _dir(date, h) / f"{kind}__{key}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, default=str, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_all(date: str, kind: str, *, h: Home) -> dict[str, dict]:
    d = h.state / date
    if not d.exists():
        return {}
    return {p.stem.split("__", 1)[1]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(d.glob(f"{kind}__*.json"))}
