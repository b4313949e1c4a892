"""What the SDK's pytest plugin costs a test run that uses none of its fixtures.

pytest loads every installed pytest11 entry point, so every project with the SDK installed pays
for loading `airflow_python_sdk.testing.pytest_plugin`, fixtures used or not. Two figures:

- the plugin's own load: `-X importtime`'s cumulative time for the plugin module in a process
  that has imported pytest already (as pytest has when it loads plugins), median of fresh
  processes;
- side by side: a whole `pytest` run of one trivial test with the plugin loaded, against the
  same run without it, alternating, as a ratio and a median difference of CPU time. Both runs
  set PYTEST_DISABLE_PLUGIN_AUTOLOAD and the first names the plugin with `-p`: the development
  environment's other plugins (hypothesis, schemathesis) take seconds to load and would drown
  a few milliseconds.

Run alone: `.venv/bin/python benchmarks/bench_plugin.py [--rounds N]` (from the repository).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import bench_import
import timing

PLUGIN = "airflow_python_sdk.testing.pytest_plugin"
_IMPORTTIME_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|\s+" + re.escape(PLUGIN) + r"$")
_TRIVIAL_TEST = "def test_nothing():\n    assert True\n"


def plugin_load_us(python: str, env: dict[str, str], cwd: str) -> float:
    """The plugin module's cumulative import time, in microseconds, in one fresh process."""
    done = subprocess.run(
        [python, "-X", "importtime", "-c", f"import pytest; import {PLUGIN}"],
        env=env, cwd=cwd, capture_output=True, text=True, check=True,
    )
    for line in done.stderr.splitlines():
        match = _IMPORTTIME_LINE.match(line.strip())
        if match:
            return float(match.group(1))
    raise RuntimeError(f"no import time reported for {PLUGIN}")


def _pytest_run(python: str, env: dict[str, str], folder: str,
                disable: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one pytest process running the trivial test."""
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_nothing.py"]
    if not disable:
        command[3:3] = ["-p", PLUGIN]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = 0  # reaped above
    if status != 0:
        raise subprocess.CalledProcessError(status, command)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def run(python: str, env: dict[str, str], cwd: str, rounds: int) -> dict[str, Any]:
    plugin_load_us(python, env, cwd)  # fill the bytecode caches
    loads = [plugin_load_us(python, env, cwd) for _ in range(rounds)]
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    env = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(folder, "test_nothing.py"), "w") as handle:
            handle.write(_TRIVIAL_TEST)
        for disable in (False, True):  # warm the bytecode caches
            _pytest_run(python, env, folder, disable)
        for index in range(rounds):
            order = (False, True) if index % 2 == 0 else (True, False)
            for disable in order:
                spent, used = _pytest_run(python, env, folder, disable)
                wall[disable].append(spent)
                cpu[disable].append(used)
    differences = [(with_ - without) * 1e6 for with_, without in zip(cpu[False], cpu[True])]
    return {
        "plugin": {
            "load_us": statistics.median(loads),
            "load_us_p90": sorted(loads)[int(0.9 * (len(loads) - 1))],
            "ratio": timing.summarise_ratio(wall[False], wall[True]),
            "cpu_ratio": timing.summarise_ratio(cpu[False], cpu[True]),
            "cpu_difference_us": statistics.median(differences),
            "run_us": timing.median_us(wall[False]),
            "run_without_us": timing.median_us(wall[True]),
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    env = bench_import.clean_env(os.path.dirname(here))
    print(json.dumps(run(sys.executable, env, here, args.rounds), indent=2))


if __name__ == "__main__":
    main()
