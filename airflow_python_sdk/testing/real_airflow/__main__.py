"""Start a real Airflow by hand and keep it running until Ctrl-C (or SIGTERM).

    python -m airflow_python_sdk.testing.real_airflow --version 3.3.2 --dags PATH

prints the API URL, the credentials and the SDK dialect once the server is ready. `--port`
chooses the API's port (one version only); `--run DAG_ID` triggers a run of the DAG and waits
for its end before saying so, for trying a job against a run that has happened.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Optional

from .arguments import BadArgument, checked_dag_folders, usable_venvs_dir
from .dag_run_state import DagRunTimeout
from .dag_runs import DagNotFound
from .install import RegistryUnreachable
from .processes import CommandFailed
from .server_handle import stop_all
from .servers import describe, running_servers
from .versions import SUPPORTED, VENVS_VARIABLE, default_venvs_dir, lookup

__all__ = ["main"]


def _raise_interrupt(signum: int, frame: Optional[FrameType]) -> None:
    raise KeyboardInterrupt


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m airflow_python_sdk.testing.real_airflow",
        description="Start a real Apache Airflow on 127.0.0.1 and keep it running until Ctrl-C.",
    )
    parser.add_argument(
        "--version",
        action="append",
        required=True,
        help=f"{', '.join(SUPPORTED)}, or a major version (2, 3); repeat for several servers",
    )
    parser.add_argument(
        "--dags", action="append", default=[], type=Path, help="a DAG folder (repeatable)"
    )
    parser.add_argument(
        "--venvs",
        help=f"where Airflow's venvs live (now {default_venvs_dir()}; ${VENVS_VARIABLE} moves it)",
    )
    parser.add_argument("--keep-home", action="store_true", help="keep AIRFLOW_HOME after stopping")
    parser.add_argument(
        "--port", type=int, help="the API's port (one --version only; default: a free one)"
    )
    parser.add_argument(
        "--run",
        action="append",
        default=[],
        metavar="DAG_ID",
        help="trigger a run of this DAG once the server is ready and wait for its end "
        "(repeatable)",
    )
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        versions = [lookup(v).version for v in args.version]
        # Checked now: a bad one found after minutes of installing would waste them.
        dag_folders = checked_dag_folders(args.dags, "--dags")
        venvs = usable_venvs_dir(default_venvs_dir(args.venvs))
    except (ValueError, BadArgument) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.port is not None and len(versions) != 1:
        parser.error("--port needs exactly one --version: each server needs a port of its own")
    # A plain `kill` stops the servers as Ctrl-C does; Ctrl-C too when started from a script
    # (`... &` in a non-interactive shell starts a process with SIGINT ignored).
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        with running_servers(
            versions, dag_folders, venvs, args.keep_home, _say, args.port
        ) as servers:
            for server in servers.values():
                print(describe(server), flush=True)
                for dag_id in args.run:
                    _say(f"running {dag_id} on Airflow {server.version}")
                    finished = server.run_dag(dag_id)
                    print(f"  run {finished.run_id}: {dag_id} {finished.state}", flush=True)
            print("Ctrl-C stops the servers.", flush=True)
            while all(server.pids.get("api-server") for server in servers.values()):
                time.sleep(1)
            print("a server stopped on its own; stopping the others", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
        # Also the servers still starting: their start-up threads then end at their next step.
        stop_all()
        return 0
    except RegistryUnreachable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except CommandFailed as error:
        print(f"error: Airflow did not start: {error}", file=sys.stderr)
        return 1
    except (DagNotFound, DagRunTimeout) as error:
        print(f"error: --run: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
