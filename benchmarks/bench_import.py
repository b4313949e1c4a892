"""Import cost, whole process: the wall time of a fresh interpreter that imports the SDK and its
API module, against one that imports urllib3 alone, both with the same interpreter and
environment. Runs alternate between the two so noise hits both alike.

The child's CPU time (user + system, from the kernel when it exits) is kept too: it leaves out
waiting for a core, so it stays readable on a busy machine.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

import timing

SDK_IMPORT = "import airflow_python_sdk; from airflow_python_sdk.api import task_instance_api"
FLOOR_IMPORT = "import urllib3"


def _one_run(python: str, code: str, env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one interpreter running code."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [python, "-c", code],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _, status, usage = os.wait4(child.pid, 0)
    except BaseException:
        child.kill()
        child.wait(timeout=10)
        raise
    wall = time.perf_counter() - start
    child.returncode = 0  # reaped above; keeps Popen from waiting again
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if status != 0:
        raise subprocess.CalledProcessError(status, [python, "-c", code], stderr=errors)
    return wall, usage.ru_utime + usage.ru_stime


def run(python: str, env: dict[str, str], cwd: str, rounds: int) -> dict[str, Any]:
    commands = {"urllib3": FLOOR_IMPORT, "sdk": SDK_IMPORT}
    for code in commands.values():  # fill the bytecode caches before timing
        _one_run(python, code, env, cwd)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for index in range(rounds):
        order = list(commands) if index % 2 == 0 else list(commands)[::-1]
        for name in order:
            spent, used = _one_run(python, commands[name], env, cwd)
            wall[name].append(spent)
            cpu[name].append(used)
    return {
        "import": {
            "ratio": timing.summarise_ratio(wall["sdk"], wall["urllib3"]),
            "us": timing.median_us(wall["sdk"]),
            "floor_us": timing.median_us(wall["urllib3"]),
            "cpu_ratio": timing.summarise_ratio(cpu["sdk"], cpu["urllib3"]),
            "cpu_us": timing.median_us(cpu["sdk"]),
            "cpu_floor_us": timing.median_us(cpu["urllib3"]),
        }
    }


# Left out of a child's environment: PYTHONPATH and PYTHONHOME (each environment imports its own
# packages), and PYTHONDONTWRITEBYTECODE, which a shell or CI may set. Without bytecode caches
# every import compiles its modules from source, which installed packages never do (pip writes
# the caches when it installs); the repository's modules would be timed compiling while urllib3
# and the peers' installed modules load their caches.
_NOT_INHERITED = ("PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")


def clean_env(extra_path: str | None) -> dict[str, str]:
    """The environment for a child: no inherited PYTHONPATH, ours added only when asked, and
    bytecode caches written and used as an installed package's are."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    if extra_path:
        env["PYTHONPATH"] = extra_path
    return env
