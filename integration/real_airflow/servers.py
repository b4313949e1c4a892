"""Install if needed and start real Airflow servers, several at once; a CLI for local debugging.

    python integration/real_airflow/servers.py up 2.10.5 [3.3.2]

prints each server's URL and credentials and keeps them running until Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Optional

if __package__ in (None, ""):
    # Run as a script: make `integration.real_airflow` importable from the repository root.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from integration.real_airflow.install import DEFAULT_TIMEOUT_S as DEFAULT_INSTALL_TIMEOUT_S
from integration.real_airflow.install import ensure_installed
from integration.real_airflow.server_handle import AirflowServer, stop_all, stop_servers
from integration.real_airflow.startup import DEFAULT_START_TIMEOUT_S, start_server
from integration.real_airflow.versions import AirflowVersion, lookup


def install_and_start(
    target: AirflowVersion,
    install_timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S,
    start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
    keep_home: bool = False,
    say: Callable[[str], None] = print,
) -> AirflowServer:
    installed_in = ensure_installed(target, install_timeout_s, say)
    say(f"starting Airflow {target.version}")
    server = start_server(target, start_timeout_s, keep_home)
    server.timings_s["install"] = round(installed_in, 1)
    say(f"Airflow {target.version} ready at {server.base_url} in {server.timings_s['start']:.0f} s")
    return server


def start_in_parallel(
    targets: Sequence[AirflowVersion],
    install_timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S,
    start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
    keep_home: bool = False,
    say: Callable[[str], None] = print,
) -> dict[str, Future[AirflowServer]]:
    """Install and start each version in its own thread; the futures give handles or errors.

    Starts are mostly CPU-bound (each Airflow command imports Airflow first): on an idle 2-core
    machine two side by side take about as long as one after the other; with more cores, or
    other work competing for these two, side by side is faster.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, len(targets)), thread_name_prefix="airflow")
    futures = {
        t.version: pool.submit(
            install_and_start, t, install_timeout_s, start_timeout_s, keep_home, say
        )
        for t in targets
    }
    pool.shutdown(wait=False)  # threads end with their start; nothing else runs in the pool
    return futures


@contextmanager
def running_servers(
    versions: Sequence[str], keep_home: bool = False
) -> Iterator[dict[str, AirflowServer]]:
    """Start the versions together; stop all of them on exit, also when one fails to start."""
    futures = start_in_parallel([lookup(v) for v in versions], keep_home=keep_home)
    servers: dict[str, AirflowServer] = {}
    try:
        errors = []
        for version, future in futures.items():
            try:
                servers[version] = future.result()
            except Exception as error:
                errors.append(f"Airflow {version}: {error}")
        if errors:
            raise RuntimeError("\n\n".join(errors))
        yield servers
    finally:
        stop_servers(servers.values())


def describe(server: AirflowServer) -> str:
    auth = (
        f"basic auth {server.admin.username}:{server.admin.password}"
        if server.target.major == 2
        else f"POST {server.token_url} with "
        f'{{"username": "{server.admin.username}", "password": "{server.admin.password}"}}'
    )
    return "\n".join(
        [
            f"Airflow {server.version} at {server.base_url}",
            f"  auth:    {auth} (read-only: {server.reader.username}:{server.reader.password})",
            f"  run:     dag {server.dag_id}, run {server.run_id} at {server.logical_date}, "
            f"tasks {server.task_states}",
            f"  home:    {server.airflow_home}",
            f"  pids:    {server.pids}",
            f"  timings: {server.timings_s} s; {server.memory.summary()}",
        ]
    )


def _raise_interrupt(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start servers and keep them running until Ctrl-C")
    up.add_argument("versions", nargs="+", help="2.10.5, 3.3.2, or a major version: 2, 3")
    up.add_argument("--keep-home", action="store_true", help="keep AIRFLOW_HOME after stopping")
    args = parser.parse_args(argv)
    # A plain `kill` stops the servers as Ctrl-C does.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        with running_servers(args.versions, keep_home=args.keep_home) as servers:
            for server in servers.values():
                print(describe(server), flush=True)
            print("Ctrl-C stops them.", flush=True)
            while all(server.pids.get("api-server") for server in servers.values()):
                time.sleep(1)
            print("a server stopped on its own; stopping the others", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
        # Also the servers still starting: their start-up threads then end at their next step.
        stop_all()
        return 0


if __name__ == "__main__":
    assert threading.current_thread() is threading.main_thread()
    sys.exit(main(sys.argv[1:]))
