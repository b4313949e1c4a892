"""get_task_instance end to end over loopback against one keep-alive server, against the same
request made with a bare urllib3 PoolManager plus json.loads, interleaved in this process.

The target is on the wall clock. The client's CPU time per request is measured too, in a second
interleaved set: it leaves out the server and the scheduler, so it stays readable on a busy
machine where the wall clock mostly measures waiting for a core.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import contestant_floor
import timing


def run(
    contestant: ModuleType, host: str, rounds: int, batch_s: float, time_limit_s: float
) -> dict[str, Any]:
    floor = contestant_floor.Floor(host, pool_size=1)
    api = contestant.make_api(host, pool_size=1)
    ops = {"urllib3": floor.get_task_instance, "sdk": lambda: contestant.get_task_instance(api)}
    wall = timing.interleaved(ops, rounds, batch_s, time_limit_s / 2, timing.WALL_CLOCK)
    cpu = timing.interleaved(ops, rounds, batch_s, time_limit_s / 2, timing.CPU_CLOCK)
    return {
        "get_task_instance": {
            "ratio": timing.summarise_ratio(wall["sdk"], wall["urllib3"]),
            "us": timing.median_us(wall["sdk"]),
            "floor_us": timing.median_us(wall["urllib3"]),
            "cpu_ratio": timing.summarise_ratio(cpu["sdk"], cpu["urllib3"]),
            "cpu_us": timing.median_us(cpu["sdk"]),
            "cpu_floor_us": timing.median_us(cpu["urllib3"]),
        }
    }
