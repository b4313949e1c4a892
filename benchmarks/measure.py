"""One measurement inside one virtual environment; prints its result as one JSON line.

Run as a file (python benchmarks/measure.py ...), never as a module, so that the script's own
folder, not the repository, leads sys.path: the peer environment must import its own
airflow_python_sdk, not ours. The orchestrator adds the repository to PYTHONPATH for ours.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

import bench_bulk
import bench_e2e
import bench_memory
import bench_model
import bench_paging


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["model", "e2e", "bulk", "memory", "paging", "where"])
    parser.add_argument("--contestant", choices=["ours", "original", "official"], required=True)
    parser.add_argument("--host", default="")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--batch-s", type=float, default=0.05)
    parser.add_argument("--time-limit-s", type=float, default=60.0)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--who", choices=["sdk", "urllib3"], default="sdk")
    parser.add_argument("--mode", choices=["get", "stream", "cli"], default="get")
    parser.add_argument("--mib", type=int, default=20)
    parser.add_argument("--meter", choices=["rss", "traced"], default="rss")
    args = parser.parse_args()
    contestant = importlib.import_module(f"contestant_{args.contestant}")
    result: dict[str, object]
    if args.what == "where":
        result = {"describe": contestant.describe(), "python": sys.version.split()[0]}
    elif args.what == "model":
        result = bench_model.run(contestant, args.rounds, args.batch_s, args.time_limit_s)
    elif args.what == "e2e":
        result = bench_e2e.run(contestant, args.host, args.rounds, args.batch_s, args.time_limit_s)
    elif args.what == "paging":
        result = bench_paging.run(contestant, args.host, args.rounds, args.time_limit_s)
    elif args.what == "bulk":
        result = bench_bulk.run(contestant, args.host, args.calls, args.workers, args.time_limit_s)
    else:
        result = bench_memory.run(contestant, args.host, args.who, args.mode, args.mib, args.meter)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
