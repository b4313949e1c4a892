"""Import cost, whole process: the wall time of a fresh interpreter that imports the SDK and its
API module, against one that imports urllib3 alone, both with the same interpreter and
environment. Runs alternate between the two so noise hits both alike."""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

import timing

SDK_IMPORT = "import airflow_python_sdk; from airflow_python_sdk.api import task_instance_api"
FLOOR_IMPORT = "import urllib3"


def _wall_time(python: str, code: str, env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [python, "-c", code], env=env, cwd=cwd, check=True, timeout=60, capture_output=True
    )
    return time.perf_counter() - start


def run(python: str, env: dict[str, str], cwd: str, rounds: int) -> dict[str, Any]:
    commands = {"urllib3": FLOOR_IMPORT, "sdk": SDK_IMPORT}
    for code in commands.values():  # fill the bytecode caches before timing
        _wall_time(python, code, env, cwd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for index in range(rounds):
        order = list(commands) if index % 2 == 0 else list(commands)[::-1]
        for name in order:
            samples[name].append(_wall_time(python, commands[name], env, cwd))
    return {
        "import": {
            "ratio": timing.summarise_ratio(samples["sdk"], samples["urllib3"]),
            "us": timing.median_us(samples["sdk"]),
            "floor_us": timing.median_us(samples["urllib3"]),
        }
    }


def clean_env(extra_path: str | None) -> dict[str, str]:
    """The environment for a child: no inherited PYTHONPATH, ours added only when asked."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    if extra_path:
        env["PYTHONPATH"] = extra_path
    return env
