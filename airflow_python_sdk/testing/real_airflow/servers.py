"""Install if needed and start real Airflow servers, several at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from .arguments import checked_dag_folders, usable_venvs_dir
from .install import DEFAULT_TIMEOUT_S as DEFAULT_INSTALL_TIMEOUT_S
from .install import ensure_installed
from .server_handle import RealAirflow, stop_servers
from .startup import DEFAULT_START_TIMEOUT_S, start_server
from .versions import AirflowVersion, Venv, default_venvs_dir, lookup

__all__ = ["describe", "install_and_start", "running_servers", "start_in_parallel"]


def install_and_start(
    venv: Venv,
    dag_folders: Sequence[Path] = (),
    install_timeout_s: float = DEFAULT_INSTALL_TIMEOUT_S,
    start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
    keep_home: bool = False,
    say: Callable[[str], None] = print,
    port: Optional[int] = None,
) -> RealAirflow:
    installed_in = ensure_installed(venv, install_timeout_s, say)
    say(f"starting Airflow {venv.target.version}")
    server = start_server(venv, dag_folders, start_timeout_s, keep_home, port)
    server.timings_s["install"] = round(installed_in, 1)
    say(f"Airflow {venv.target.version} ready at {server.url} in {server.timings_s['start']:.0f} s")
    return server


def start_in_parallel(
    targets: Sequence[AirflowVersion],
    dag_folders: Sequence[Path] = (),
    venvs_dir: Optional[Path] = None,
    keep_home: bool = False,
    say: Callable[[str], None] = print,
    port: Optional[int] = None,
) -> dict[str, Future[RealAirflow]]:
    """Install and start each version in its own thread; the futures give handles or errors.
    `port` is for one version only (the others would want it too).

    Starts are mostly CPU-bound (each Airflow command imports Airflow first): on an idle 2-core
    machine two side by side take about as long as one after the other; with more cores, or
    other work competing for these two, side by side is faster.
    """
    if port is not None and len(targets) != 1:
        raise ValueError("a port can be given for one version only")
    # Before any thread installs anything: a bad argument is one line, at once.
    dag_folders = checked_dag_folders(dag_folders)
    root = usable_venvs_dir(venvs_dir or default_venvs_dir())
    pool = ThreadPoolExecutor(max_workers=max(1, len(targets)), thread_name_prefix="airflow")
    futures = {
        t.version: pool.submit(
            install_and_start,
            Venv(t, root),
            dag_folders,
            DEFAULT_INSTALL_TIMEOUT_S,
            DEFAULT_START_TIMEOUT_S,
            keep_home,
            say,
            port,
        )
        for t in targets
    }
    pool.shutdown(wait=False)  # threads end with their start; nothing else runs in the pool
    return futures


@contextmanager
def running_servers(
    versions: Sequence[str],
    dag_folders: Sequence[Path] = (),
    venvs_dir: Optional[Path] = None,
    keep_home: bool = False,
    say: Callable[[str], None] = print,
    port: Optional[int] = None,
) -> Iterator[dict[str, RealAirflow]]:
    """Start the versions together; stop all of them on exit, also when one fails to start.

    Raises the first failure unchanged (RegistryUnreachable, CommandFailed, ...), after the
    others have been stopped.
    """
    futures = start_in_parallel(
        [lookup(v) for v in versions], dag_folders, venvs_dir, keep_home, say, port
    )
    servers: dict[str, RealAirflow] = {}
    try:
        failures: list[BaseException] = []
        for version, future in futures.items():
            try:
                servers[version] = future.result()
            except Exception as error:
                failures.append(error)
        if failures:
            raise failures[0]
        yield servers
    finally:
        stop_servers(servers.values())


def describe(server: RealAirflow) -> str:
    """URL, credentials and where things are, for a person at a terminal."""
    auth = (
        f"basic auth {server.admin.username}:{server.admin.password}"
        if server.major == 2
        else f"POST {server.token_url} with "
        f'{{"username": "{server.admin.username}", "password": "{server.admin.password}"}}'
    )
    return "\n".join(
        [
            f"Airflow {server.version} at {server.url} (SDK dialect {server.dialect})",
            f"  auth:    {auth} (read-only: {server.reader.username}:{server.reader.password})",
            f"  dags:    {', '.join(str(f) for f in server.dag_folders) or '(none)'}",
            f"  home:    {server.airflow_home}",
            f"  pids:    {server.pids}",
            f"  timings: {server.timings_s} s; {server.memory.summary()}",
        ]
    )
