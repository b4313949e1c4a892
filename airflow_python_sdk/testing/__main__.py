"""python -m airflow_python_sdk.testing: run the embedded Airflow API server until Ctrl-C.

Handy for trying the SDK or a job by hand against a known data set:

    python -m airflow_python_sdk.testing --port 8080 --user admin:secret --seed data.json

Its scheduler runs what a client triggers or clears (at --pace seconds per step), and --dags
adds DAGs of one's own (a JSON list of DAG seeds, see dag_seeds.py: each task's outcome per try,
duration and log line).
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from types import FrameType
from typing import Optional, Sequence

from .auth import DEFAULT_USERS, User
from .scheduler import DEFAULT_PACE
from .seeding import SeedError, load_dag_file
from .server import AirflowApiServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m airflow_python_sdk.testing",
        description="Serve the Airflow API's operations (openapi.yaml) from memory, for tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free one)")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="NAME:PASSWORD",
        help="a user who may read and change (repeatable; default admin:admin and viewer:viewer)",
    )
    parser.add_argument(
        "--read-only-user",
        action="append",
        default=[],
        metavar="NAME:PASSWORD",
        help="a user who may only read: PATCH and DELETE get 403 (repeatable)",
    )
    parser.add_argument("--seed", metavar="FILE", help="JSON seed file: its task instances, and "
                        "its \"dags\" if it has some (default: the sample data)")
    parser.add_argument("--dags", action="append", default=[], metavar="FILE",
                        help="a JSON file of DAGs to add: a list of DAG seeds, or {\"dags\": "
                             "[...]} (repeatable)")
    parser.add_argument("--pace", type=float, default=DEFAULT_PACE, metavar="SECONDS",
                        help=f"seconds per scheduler step (default {DEFAULT_PACE:g}; 0: at once)")
    parser.add_argument("--no-scheduler", action="store_true",
                        help="never run DAGs: triggered runs stay queued")
    parser.add_argument(
        "--log-chunk-lines", type=int, default=10, help="log lines per chunk (default 10)"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print each request")
    return parser


def _banner(server: AirflowApiServer) -> str:
    """Where the server is and how to sign in, with the passwords: it is a test server, and
    whoever started it chose them (or took the documented defaults)."""
    users = ", ".join(
        f"{user.name}:{user.password}{' (read-only)' if user.read_only else ''}"
        for user in server.users
    )
    first = server.users[0]
    lines = [
        f"Airflow API serving at {server.url}",
        f"Users (name:password): {users}",
        "Point the SDK (Configuration.from_env()) and the airflow-sdk command at it with:",
        f"  export AIRFLOW_API_HOST={server.url} "
        f"AIRFLOW_API_USERNAME={shlex.quote(first.name)} "
        f"AIRFLOW_API_PASSWORD={shlex.quote(first.password)}",
    ]
    if server.scheduler.running:
        lines.append(f"Scheduler: runs what clients trigger or clear, "
                     f"{server.scheduler.pace:g} s per step.")
    lines.append("Ctrl-C stops it; a new start begins from the same data.")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        users = [User.parse(text) for text in args.user]
        users += [User.parse(text, read_only=True) for text in args.read_only_user]
    except ValueError as error:
        parser.error(str(error))
    try:
        server = AirflowApiServer(
            host=args.host,
            port=args.port,
            users=users or DEFAULT_USERS,
            seed=args.seed,
            log_chunk_lines=args.log_chunk_lines,
            verbose=not args.quiet,
            scheduler=not args.no_scheduler,
            pace=args.pace,
        )
        for path in args.dags:
            server.add_dags(load_dag_file(path))
    except (OSError, SeedError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def _on_signal(signum: int, frame: Optional[FrameType]) -> None:
        stopping.set()

    # Handled as events rather than KeyboardInterrupt, which could strike between any two
    # statements (while printing the URL, say) and skip the clean stop.
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    with server:
        print(_banner(server), flush=True)
        while not stopping.wait(0.5):  # a timeout, so the signal handlers get to run
            pass
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
