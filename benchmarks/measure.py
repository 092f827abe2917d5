"""Run one stage in a child process and measure it: wall time, CPU time, peak memory (RSS)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citylake.core.paths import REPO_ROOT


@dataclass
class Measurement:
    stage: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    rows: int | None = None
    detail: dict = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float | None:
        return self.rows / self.wall_s if self.rows and self.wall_s > 0 else None

    def as_dict(self) -> dict:
        return {**asdict(self), "rows_per_s": self.rows_per_s}


def run(stage: str, argv: list[str], env: dict[str, str], log: Path, check: bool = True) -> Measurement:
    """Run `argv` (a python -m … command) and measure its whole process tree's CPU and the child's peak RSS.

    ru_maxrss from wait4 is the peak of the largest process of the tree that was waited for.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env={**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}, cwd=REPO_ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    m = Measurement(stage=stage, wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
                    peak_rss_mb=usage.ru_maxrss / 1024.0, returncode=rc)
    if check and rc != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"stage {stage} failed ({rc}); log {log}:\n{tail}")
    return m


def python(*args: str) -> list[str]:
    return [sys.executable, *args]
