"""Run one stage in a child process and measure it: wall time, CPU time, peak memory (RSS)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
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


def run(stage: str, argv: list[str], env: dict[str, str], log: Path, check: bool = True,
        tree: bool = False) -> Measurement:
    """Run `argv` (a python -m … command) and measure its whole process tree's CPU and the child's peak RSS.

    ru_maxrss from wait4 is the peak of the largest process of the tree that was waited for. With
    `tree`, the tree is also sampled (TreeSampler) and the larger of each figure is kept: a JVM that
    pyspark starts and never waits for is then counted too, its memory added to the Python's.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env={**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)}, cwd=REPO_ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid) if tree else None
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0
    if sampler:
        tree_cpu, tree_peak = sampler.stop()
        cpu, peak = max(cpu, tree_cpu), max(peak, tree_peak)
    m = Measurement(stage=stage, wall_s=wall, cpu_s=cpu, peak_rss_mb=peak, returncode=rc)
    if check and rc != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"stage {stage} failed ({rc}); log {log}:\n{tail}")
    return m


class TreeSampler:
    """Every `every` seconds: the summed RSS of a process and all its descendants (the peak is kept)
    and each one's CPU seconds (its last sample; a process's final fraction of a second is missed)."""

    def __init__(self, pid: int, every: float = 0.25):
        import psutil

        self._root, self._every, self._cpu, self.peak_mb = psutil.Process(pid), every, {}, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import psutil

        while not self._done.wait(self._every):
            rss = 0
            try:
                procs = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            for p in procs:
                try:
                    with p.oneshot():
                        rss += p.memory_info().rss
                        t = p.cpu_times()
                        self._cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, rss / 2**20)

    def stop(self) -> tuple[float, float]:
        """(CPU seconds, peak RSS MB) of the tree."""
        self._done.set()
        self._thread.join()
        return sum(self._cpu.values()), self.peak_mb


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def exit_on_sigterm() -> None:
    """A SIGTERM (`kill`, a CI timeout) ends a benchmark as an exception would, so every server it
    started is stopped by its `with` block; Python's default ends the process at once and leaves
    the Airflow services and the throw-away PostgreSQL running. For a benchmark's `__main__` only."""
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
