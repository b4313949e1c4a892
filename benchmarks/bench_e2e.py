"""get_task_instance end to end over loopback against one keep-alive server, against the same
request made with a bare urllib3 PoolManager plus json.loads, interleaved in this process."""

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
    samples = timing.interleaved(
        {
            "urllib3": floor.get_task_instance,
            "sdk": lambda: contestant.get_task_instance(api),
        },
        rounds,
        batch_s,
        time_limit_s,
    )
    return {
        "get_task_instance": {
            "ratio": timing.summarise_ratio(samples["sdk"], samples["urllib3"]),
            "us": timing.median_us(samples["sdk"]),
            "floor_us": timing.median_us(samples["urllib3"]),
        }
    }
