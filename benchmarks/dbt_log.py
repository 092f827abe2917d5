"""Where dbt's time goes in a night: its per-node lines in the night's log.

dbt prints one line per node it ran (``12 of 115 OK created sql table model lake.base.population
.... [OK in 4.71s]``, ``PASS not_null_… [PASS in 0.14s]``). Summed, they split the dbt stage
into model SQL, data tests and what is left (start-up and parsing of each dbt invocation).
"""

from __future__ import annotations

import re
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NODE = re.compile(
    r"\d+ of \d+ (?:(?P<model>OK created \S+ \S+ model (?P<name>\S+))|(?P<test>PASS|FAIL|WARN|ERROR)\b.*?)"
    r".*\[[^\]]*? in (?P<s>[\d.]+)s\]")
_FULL_PARSE = "Starting full parse"


def summarise(text: str, top: int = 10) -> dict:
    """Model seconds, test seconds, the slowest models, and how many invocations parsed from scratch."""
    models: dict[str, float] = {}
    tests_s, tests = 0.0, 0
    for line in _ANSI.sub("", text).splitlines():
        m = _NODE.search(line)
        if not m:
            continue
        seconds = float(m.group("s"))
        if m.group("model"):
            models[m.group("name")] = models.get(m.group("name"), 0.0) + seconds
        else:
            tests_s += seconds
            tests += 1
    slowest = dict(sorted(models.items(), key=lambda kv: -kv[1])[:top])
    return {"models": len(models), "models_s": round(sum(models.values()), 2), "tests": tests,
            "tests_s": round(tests_s, 2), "slowest_models": {k: round(v, 2) for k, v in slowest.items()},
            "model_s": {k: round(v, 2) for k, v in sorted(models.items())},
            "full_parses": text.count(_FULL_PARSE)}


def summarise_file(path: Path, top: int = 10) -> dict:
    return summarise(Path(path).read_text(encoding="utf-8", errors="replace"), top)
