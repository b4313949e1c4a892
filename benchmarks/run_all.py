"""Run every benchmark for every contestant in one go and print the table of ratios.

Each contestant is measured by measure.py running inside its own virtual environment, and every
figure it reports is a ratio against a floor (json.loads, json.dumps, bare urllib3) measured in
that same process, so the two environments never need to be compared directly.

Usage: python benchmarks/run_all.py [--quick] [--skip bulk,memory,...] [--json-out FILE]
                                   [--wait-quiet SECONDS]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_import
import bench_plugin
import machine
import memory_plan
import report
from servers import CannedServer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MEASURE = str(HERE / "measure.py")
PEER_PYTHON = REPO / ".bench-venvs" / "original" / "bin" / "python"
REFERENCE_PYTHON = REPO / ".bench-venvs" / "official" / "bin" / "python"
STEPS = ("model", "e2e", "import", "plugin", "paging", "memory", "bulk")


@dataclass
class Contestant:
    name: str
    python: str
    env: dict[str, str]
    # The Airflow 3 reference has only models of another schema to compare.
    steps: tuple[str, ...] = STEPS


def contestants() -> list[Contestant]:
    found = []
    if (REPO / "airflow_python_sdk" / "api" / "task_instance_api.py").exists():
        found.append(Contestant("ours", sys.executable, bench_import.clean_env(str(REPO))))
    else:
        print("note: airflow_python_sdk/api/task_instance_api.py is missing; ours is skipped")
    if PEER_PYTHON.exists():
        # The original client has no pytest plugin.
        original_steps = tuple(step for step in STEPS if step not in ("plugin", "paging"))
        found.append(Contestant("original", str(PEER_PYTHON), bench_import.clean_env(None),
                                steps=original_steps))
    else:
        print(f"note: {PEER_PYTHON} is missing (run benchmarks/run.sh); original is skipped")
    if REFERENCE_PYTHON.exists():
        env = bench_import.clean_env(None)
        found.append(Contestant("official", str(REFERENCE_PYTHON), env, steps=("model",)))
    return found


def measure(who: Contestant, what: str, *options: str, timeout_s: float = 600) -> dict[str, Any]:
    command = [who.python, MEASURE, what, "--contestant", who.name, *options]
    done = subprocess.run(
        command, env=who.env, cwd=HERE, capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        print(f"  {who.name} {what} {' '.join(options)} failed: {tail[0]}", flush=True)
        return {"error": tail[0]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(args: argparse.Namespace) -> dict[str, Any]:
    # Many short batches: a burst of other work spoils a few rounds, which the median drops.
    rounds = "10" if args.quick else "100"
    calls = "200" if args.quick else "1000"
    results: dict[str, Any] = {"machine": machine.facts(), "contestants": {}}
    results["machine"]["sdk_revision"] = machine.sdk_revision(str(REPO))
    with contextlib.ExitStack() as servers:
        host = servers.enter_context(CannedServer())
        chunked_host = servers.enter_context(CannedServer(log_chunk_mib=1.0))
        slow_host = servers.enter_context(CannedServer(delay_ms=20.0))
        log_hosts = {memory_plan.ONE_ANSWER: host, memory_plan.CHUNKED: chunked_host}
        for who in contestants():
            started = time.monotonic()
            if args.wait_quiet > 0:
                print(f"  waiting for a quiet machine: {machine.wait_for_quiet(args.wait_quiet)}")
            print(f"measuring {who.name} ...", flush=True)
            entry: dict[str, Any] = measure(who, "where")
            entry["urllib3"] = machine.package_version(who.python, "urllib3", who.env)
            skip = args.skip | (set(STEPS) - set(who.steps))
            if "model" not in skip:
                entry.update(measure(who, "model", "--rounds", rounds, "--batch-s", "0.02"))
            if "e2e" not in skip:
                # Short batches, so that both sides of a round meet the same load.
                e2e_rounds = str(2 * int(rounds))
                options = ["--host", host, "--rounds", e2e_rounds, "--batch-s", "0.01"]
                entry.update(measure(who, "e2e", *options))
            if "import" not in skip:
                # Before the memory step: right after its large logs, start-up was seen to run
                # slower for the process that loads more modules, which skewed the ratio.
                # From benchmarks/, never the repository: `python -c` puts the working folder
                # first on sys.path, and the peer must not find our package there.
                try:
                    import_rounds = min(int(rounds), 40)
                    entry.update(bench_import.run(who.python, who.env, str(HERE), import_rounds))
                except subprocess.CalledProcessError as exc:
                    print(f"  {who.name} import failed: {exc}", flush=True)
                    entry["import"] = {"error": "import failed"}
            if "plugin" not in skip:
                try:
                    plugin_rounds = min(int(rounds), 20)
                    entry.update(bench_plugin.run(who.python, who.env, str(HERE), plugin_rounds))
                except (subprocess.CalledProcessError, RuntimeError) as exc:
                    print(f"  {who.name} plugin failed: {exc}", flush=True)
                    entry["plugin"] = {"error": "plugin failed"}
            if "paging" not in skip:
                options = ["--host", host, "--rounds", "5" if args.quick else "15"]
                entry.update(measure(who, "paging", *options, "--time-limit-s", "120"))
            if "memory" not in skip:
                entry["memory"] = memory_plan.run(
                    who.name, args.quick, log_hosts, lambda *o, who=who: measure(who, *o)
                )
            if "bulk" not in skip:
                options = ["--host", slow_host, "--calls", calls, "--workers", "8"]
                entry.update(measure(who, "bulk", *options, "--time-limit-s", "300"))
            entry["load_after"] = machine.load_average()
            results["contestants"][who.name] = entry
            print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    parser.add_argument("--skip", default="", help=f"comma-separated steps of {STEPS}")
    parser.add_argument("--json-out", default=str(HERE / "results" / "latest.json"))
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each contestant, wait up to this long for the load to drop below the cores",
    )
    args = parser.parse_args()
    args.skip = {step for step in args.skip.split(",") if step}
    results = run(args)
    out = Path(args.json_out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(report.render(results))
    print(f"\nraw figures: {out}")


if __name__ == "__main__":
    main()
