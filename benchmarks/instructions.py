"""Instruction counts (valgrind's callgrind) of the model, import and request benchmarks, as
ratios to the same floors: figures that stay the same whatever else the machine runs.

    .venv/bin/python benchmarks/instructions.py                # the repository's SDK
    .venv/bin/python benchmarks/instructions.py --sdk ../main  # another checkout of it

A per-call figure is (instructions of N calls - instructions of none) / N, each count a whole
interpreter under callgrind (one warm-up call first); an import figure is a whole interpreter
that imports, with warm bytecode caches. Instructions leave out what the kernel does (system
calls, page faults) and how fast each instruction runs, so they rank work rather than time it:
docs/PERFORMANCE.md gives both. Needs valgrind; takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench_import import FLOOR_IMPORT, SDK_IMPORT, clean_env
from servers import CannedServer

HERE = Path(__file__).resolve().parent
CALLS = 2000  # per-call figures of the model layer
REQUESTS = 300  # per-call figures of a request over loopback
_COLLECTED = re.compile(r"Collected : (\d+)")

# Run in the child: the operation named by argv[1], argv[2] times. The benchmarks' folder leads
# sys.path, the SDK measured is on PYTHONPATH.
_DRIVER = """
import json, sys
import bench_model, contestant_floor, contestant_ours, fixtures
what, times, host = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data, text = fixtures.TASK_INSTANCE_BYTES, fixtures.TASK_INSTANCE_BYTES.decode()
if what in ("deserialize", "deserialize+read", "serialize"):
    deserialize, serialize = contestant_ours.deserializer(), contestant_ours.serializer()
    model, read_all = deserialize(data), bench_model.field_reader(fixtures.TASK_INSTANCE)
if what == "get (urllib3)":
    get = contestant_floor.Floor(host, pool_size=1).get_task_instance
elif what == "get (ours)":
    api = contestant_ours.make_api(host, pool_size=1)
    get = lambda: contestant_ours.get_task_instance(api)
call = {
    "json.loads": lambda: json.loads(data),
    "json.loads(str)": lambda: json.loads(data.decode()),
    "raw_decode(str)": lambda: bench_model._RAW_DECODE(data.decode()),
    "deserialize": lambda: deserialize(data),
    "deserialize+read": lambda: read_all(deserialize(data)),
    "json.dumps": lambda: json.dumps(fixtures.TASK_INSTANCE),
    "serialize": lambda: serialize(model),
}.get(what) or get
call()
for _ in range(times):
    call()
"""


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """The instructions a whole interpreter runs for `argv` (the arguments after python)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         *argv], env={**env, "PYTHONHASHSEED": "0"}, cwd=HERE, capture_output=True, text=True,
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind of {argv[:2]} failed: {done.stderr[-2000:]}")
    return int(found.group(1))


def per_call(what: str, times: int, env: dict[str, str], host: str = "") -> float:
    base = instructions(["-c", _DRIVER, what, "0", host], env)
    return (instructions(["-c", _DRIVER, what, str(times), host], env) - base) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sdk", default=str(HERE.parent),
                        help="the checkout whose airflow_python_sdk is measured")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed (apt-get install valgrind)")
    env = clean_env(os.path.abspath(args.sdk))
    for code in (FLOOR_IMPORT, SDK_IMPORT):  # write the bytecode caches
        subprocess.run([sys.executable, "-c", code], env=env, cwd=HERE, check=True)
    rows: list[tuple[str, float, str, float]] = []
    loads = per_call("json.loads", CALLS, env)
    for what in ("json.loads(str)", "raw_decode(str)", "deserialize", "deserialize+read"):
        rows.append((what, per_call(what, CALLS, env), "json.loads", loads))
    rows.append(("serialize", per_call("serialize", CALLS, env), "json.dumps",
                 per_call("json.dumps", CALLS, env)))
    rows.append(("import SDK + TaskInstanceApi (whole process)",
                 instructions(["-c", SDK_IMPORT], env), "import urllib3",
                 instructions(["-c", FLOOR_IMPORT], env)))
    with CannedServer() as host:
        rows.append(("get_task_instance over loopback", per_call("get (ours)", REQUESTS, env, host),
                     "urllib3 + json.loads", per_call("get (urllib3)", REQUESTS, env, host)))
    print(f"SDK measured: {args.sdk}\n")
    print("| Instructions | Count | Floor | Floor's count | Ratio |")
    print("| --- | --- | --- | --- | --- |")
    for what, count, floor, floor_count in rows:
        print(f"| {what} | {count:,.0f} | {floor} | {floor_count:,.0f} | "
              f"{count / floor_count:.3f}x |")


if __name__ == "__main__":
    main()
