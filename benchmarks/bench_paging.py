"""Paging: every task instance of a list of 10,000, read in pages of 100, against a bare urllib3
paging loop plus json.loads making the same requests, interleaved in this process; and the peak
memory (tracemalloc) of each over 10,000 and 100,000 task instances, which must not grow with
the list.

The SDK's side is `contestant.iter_task_instances(api, dag_id, page_size)`, which
a contestant provides once its API has the list operation; until then the step reports "not
measured" and only the floor's figures.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Callable, Optional

import contestant_floor
import timing

PAGE_SIZE = 100
TOTALS = (10_000, 100_000)
TIMED_TOTAL = TOTALS[0]


def dag_id_for(total: int) -> str:
    """The DAG id that makes the canned server list `total` task instances."""
    return f"paging_{total}"


def _count(items: Iterator[Any]) -> int:
    count = 0
    for _ in items:
        count += 1
    return count


def _peak(read: Callable[[], int]) -> tuple[int, int]:
    """(items read, tracemalloc's peak in bytes over the reading)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        count = read()
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(contestant: ModuleType, host: str, rounds: int, time_limit_s: float) -> dict[str, Any]:
    floor = contestant_floor.Floor(host, pool_size=1)

    def floor_read(total: int) -> int:
        return _count(floor.iter_task_instances(dag_id_for(total), PAGE_SIZE))

    sdk_read: Optional[Callable[[int], int]] = None
    helper = getattr(contestant, "iter_task_instances", None)
    if helper is not None:
        api = contestant.make_api(host, pool_size=1)

        def sdk_read(total: int) -> int:
            return _count(helper(api, dag_id_for(total), PAGE_SIZE))

    result: dict[str, Any] = {"page_size": PAGE_SIZE, "total": TIMED_TOTAL}
    memory: dict[str, dict[int, int]] = {"urllib3": {}, "sdk": {}}
    for total in TOTALS:
        count, memory["urllib3"][total] = _peak(lambda total=total: floor_read(total))
        assert count == total, (count, total)
        if sdk_read is not None:
            count, memory["sdk"][total] = _peak(lambda total=total: sdk_read(total))
            assert count == total, (count, total)
    result["peak_bytes"] = memory
    if sdk_read is None:
        result["sdk"] = "not measured: the contestant has no iter_task_instances yet"
        started = time.monotonic()
        samples = []
        while len(samples) < rounds and time.monotonic() - started < time_limit_s:
            begun = time.perf_counter()
            floor_read(TIMED_TOTAL)
            samples.append(time.perf_counter() - begun)
        result["floor_us"] = timing.median_us(samples)
        return {"paging": result}
    ops = {"urllib3": lambda: floor_read(TIMED_TOTAL), "sdk": lambda: sdk_read(TIMED_TOTAL)}
    wall = timing.interleaved(ops, rounds, 0.0, time_limit_s, timing.WALL_CLOCK)
    result.update(
        ratio=timing.summarise_ratio(wall["sdk"], wall["urllib3"]),
        us=timing.median_us(wall["sdk"]),
        floor_us=timing.median_us(wall["urllib3"]),
    )
    return {"paging": result}
