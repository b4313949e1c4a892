"""Where a contestant spends its time: cProfile of deserialization, serialization and
get_task_instance over loopback, plus the slowest imports (-X importtime).

Usage (ours):     PYTHONPATH=. .venv/bin/python benchmarks/profile_sdk.py --contestant ours
Usage (original): .bench-venvs/original/bin/python benchmarks/profile_sdk.py --contestant original
Run as a file, like measure.py, so each environment imports its own airflow_python_sdk.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import pstats
import subprocess
import sys
from types import ModuleType
from typing import Any, Callable

import fixtures
from servers import CannedServer


def _profile(title: str, op: Callable[[], Any], count: int, top: int) -> None:
    for _ in range(20):
        op()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        op()
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    print(f"\n=== {title}: {count} calls, sorted by own time ===")
    print("\n".join(line for line in text.getvalue().splitlines()[4:] if line.strip()))


def _slowest_imports(top: int) -> None:
    code = "import airflow_python_sdk; from airflow_python_sdk.api import task_instance_api"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].strip().startswith("import time:"):
            own_text = parts[0].split(":")[1].strip()
            if own_text.isdigit():
                rows.append((int(own_text), int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    print(f"\n=== slowest imports by own time (us), of {len(rows)} modules ===")
    for own, cumulative, name in rows[:top]:
        print(f"{own:8d} {cumulative:8d} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contestant", choices=["ours", "original"], required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    contestant: ModuleType = importlib.import_module(f"contestant_{args.contestant}")
    print(contestant.describe())
    deserialize = contestant.deserializer()
    serialize = contestant.serializer()
    model = contestant.task_instance_model()
    data = fixtures.TASK_INSTANCE_BYTES
    _profile("deserialize TaskInstance", lambda: deserialize(data), args.count, args.top)
    _profile("serialize TaskInstance", lambda: serialize(model), args.count, args.top)
    with CannedServer() as host:
        api = contestant.make_api(host, pool_size=1)
        _profile(
            "get_task_instance over loopback",
            lambda: contestant.get_task_instance(api),
            max(1, args.count // 5),
            args.top,
        )
    _slowest_imports(args.top)


if __name__ == "__main__":
    main()
