"""A bulk state change (PATCH with update_mask=state) of many task instances against a server
that waits 20 ms per answer, with 1 worker and with N workers sharing one client. The work is
waiting, so a client that lets threads overlap their requests should approach N times faster.

Where the contestant has the bulk change of a run's task instances (ours), the same number of
task instances of one run is also changed through it, side by side with one by one, on the
embedded server (bench_bulk_endpoint.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any, Callable

import bench_bulk_endpoint
import contestant_floor


def _wall_time(call: Callable[[], Any], calls: int, workers: int, time_limit_s: float) -> float:
    deadline = time.monotonic() + time_limit_s

    def one(_: int) -> None:
        if time.monotonic() < deadline:  # bounded: a stuck run gives up instead of hanging
            call()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(one, range(calls)):
            pass
    spent = time.perf_counter() - start
    if time.monotonic() >= deadline:
        raise TimeoutError(f"{calls} calls with {workers} workers passed {time_limit_s} s")
    return spent


def _cli_wall_time(
    contestant: ModuleType, host: str, calls: int, workers: int, time_limit_s: float
) -> float:
    """Wall time of one CLI process changing the state at `calls` execution dates."""
    first = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    dates = "".join(f"{(first + dt.timedelta(hours=i)).isoformat()}\n" for i in range(calls))
    env = {**os.environ, "AIRFLOW_API_PASSWORD": "admin"}
    start = time.perf_counter()
    subprocess.run(
        contestant.cli_set_state_command(host, workers),
        input=dates,
        text=True,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=time_limit_s,
    )
    return time.perf_counter() - start


def run(
    contestant: ModuleType, host: str, calls: int, workers: int, time_limit_s: float
) -> dict[str, Any]:
    floor = contestant_floor.Floor(host, pool_size=workers)
    api = contestant.make_api(host, pool_size=workers)
    sdk_call: Callable[[], Any] = lambda: contestant.set_state(api)  # noqa: E731
    for call in (floor.set_state, sdk_call):  # open a connection and load lazy imports
        call()
    results: dict[str, Any] = {}
    for name, call in (("urllib3", floor.set_state), ("sdk", sdk_call)):
        one = _wall_time(call, calls, 1, time_limit_s)
        many = _wall_time(call, calls, workers, time_limit_s)
        results[name] = {"one_worker_s": one, "many_workers_s": many, "speedup": one / many}
    if hasattr(contestant, "cli_set_state_command"):
        one = _cli_wall_time(contestant, host, calls, 1, time_limit_s)
        many = _cli_wall_time(contestant, host, calls, workers, time_limit_s)
        results["cli"] = {"one_worker_s": one, "many_workers_s": many, "speedup": one / many}
    if getattr(contestant, "HAS_BULK_ENDPOINT", False):
        results["endpoint"] = bench_bulk_endpoint.run(calls, workers, time_limit_s)
    return {"bulk": {"calls": calls, "workers": workers, **results}}
