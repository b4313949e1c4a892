"""Interleaved timing: every round times each contestant once, in turn, so that machine noise
(frequency changes, a neighbour's burst) lands on all of them alike. Ratios are taken per round
and then summarised, which cancels slow drifts that would bias a ratio of two medians.
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Callable

Op = Callable[[], object]
Clock = Callable[[], float]

# Work that never waits (the model layer) is timed in this process's CPU time, which leaves out
# the moments the scheduler gives the core to another process; work that waits on a socket is
# timed on the wall clock.
CPU_CLOCK: Clock = time.process_time
WALL_CLOCK: Clock = time.perf_counter


def time_batch(op: Op, count: int, clock: Clock = WALL_CLOCK) -> float:
    """Seconds per call of op, over count back-to-back calls."""
    start = clock()
    for _ in range(count):
        op()
    return (clock() - start) / count


def calibrate(op: Op, target_s: float, max_count: int = 100_000) -> int:
    """How many calls of op fill about target_s seconds (at least 1, at most max_count)."""
    count = 1
    for _ in range(30):
        spent = time_batch(op, count) * count
        if spent >= target_s / 4 or count >= max_count:
            break
        count *= 2
    per_call = max(spent / count, 1e-9)
    return max(1, min(max_count, int(target_s / per_call)))


def interleaved(
    ops: dict[str, Op],
    rounds: int,
    batch_s: float,
    time_limit_s: float,
    clock: Clock = WALL_CLOCK,
) -> dict[str, list[float]]:
    """Seconds per call of each op, one batch per op per round, in alternating order.

    The order flips every round so that no op always runs right after another one.
    Stops early (keeping at least 3 rounds) once time_limit_s has passed.
    """
    for op in ops.values():  # warm caches, lazy imports and connection pools
        time_batch(op, 3)
    counts = {name: calibrate(op, batch_s) for name, op in ops.items()}
    names = list(ops)
    samples: dict[str, list[float]] = {name: [] for name in names}
    deadline = time.monotonic() + time_limit_s
    for index in range(rounds):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            # Start each batch from a clean heap; the collector stays on because its cost is
            # part of what allocating many objects really costs.
            gc.collect()
            samples[name].append(time_batch(ops[name], counts[name], clock))
        if index >= 2 and time.monotonic() > deadline:
            break
    return samples


def summarise_ratio(numerator: list[float], denominator: list[float]) -> dict[str, float]:
    """Median of per-round ratios, with the spread as the 10th-90th percentile range."""
    ratios = sorted(n / d for n, d in zip(numerator, denominator))
    return {
        "median": statistics.median(ratios),
        "p10": _percentile(ratios, 0.10),
        "p90": _percentile(ratios, 0.90),
        "rounds": float(len(ratios)),
    }


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = fraction * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    weight = position - low
    return sorted_values[low] * (1 - weight) + sorted_values[high] * weight
