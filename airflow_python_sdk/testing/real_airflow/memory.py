"""Measure the memory of the processes the harness started, while they run.

RSS summed over processes counts pages shared between forked workers once per process, so it
overstates; PSS shares them out and adds up honestly. Both are kept: RSS is what people usually
quote, PSS is what the machine actually spends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

__all__ = ["PeakMemory", "children_of"]

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended while we looked


def _pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _rss_bytes(pid)


def children_of(root_pid: int) -> list[int]:
    """All live descendants of root_pid (not root_pid itself), from /proc parent links."""
    parent_of: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue
        parent_of[int(entry)] = int(stat[stat.rfind(b")") + 2 :].split()[1])
    found: list[int] = []
    frontier = [root_pid]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid in parent_of.items() if ppid == parent]
        found.extend(kids)
        frontier.extend(kids)
    return found


class PeakMemory:
    """Samples the memory of a changing set of processes in a thread and keeps the peak."""

    def __init__(self, pids: Callable[[], Iterable[int]], interval_s: float = 0.5) -> None:
        self._pids = pids
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)
        self.peak_rss_bytes = 0
        self.peak_pss_bytes = 0

    def sample(self) -> None:
        pids = list(self._pids())
        self.peak_rss_bytes = max(self.peak_rss_bytes, sum(_rss_bytes(p) for p in pids))
        self.peak_pss_bytes = max(self.peak_pss_bytes, sum(_pss_bytes(p) for p in pids))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval_s)

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> PeakMemory:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def summary(self) -> str:
        mib = 1024 * 1024
        return (
            f"peak RSS {self.peak_rss_bytes / mib:.0f} MiB, "
            f"peak PSS {self.peak_pss_bytes / mib:.0f} MiB"
        )
