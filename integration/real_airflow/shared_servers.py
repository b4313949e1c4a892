"""One set of servers per process, shared by every test that asks for one.

The first request starts all the versions the caller says it will need, in parallel; later
requests for the same version get the same handle. Test fixtures in any folder can use this
without starting a second copy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future

from integration.real_airflow import server_handle
from integration.real_airflow.install import DEFAULT_TIMEOUT_S as INSTALL_TIMEOUT_S
from integration.real_airflow.server_handle import AirflowServer
from integration.real_airflow.servers import start_in_parallel
from integration.real_airflow.startup import DEFAULT_START_TIMEOUT_S as START_TIMEOUT_S
from integration.real_airflow.versions import AirflowVersion

_started: dict[str, Future[AirflowServer]] = {}
_lock = threading.Lock()


def prestart(targets: Iterable[AirflowVersion], say: Callable[[str], None] = print) -> None:
    """Begin installing and starting the versions not yet begun; returns at once.

    say receives progress lines (install, start, ready) from the start-up threads.
    """
    with _lock:
        missing = [t for t in targets if t.version not in _started]
        _started.update(
            start_in_parallel(missing, INSTALL_TIMEOUT_S, START_TIMEOUT_S, keep_home=False, say=say)
        )


def get(target: AirflowVersion) -> AirflowServer:
    """The running server for a version, started if needed; raises what its start raised."""
    prestart([target])
    try:
        # Each step inside is bounded already; this bound only guards against a hung thread.
        return _started[target.version].result(timeout=INSTALL_TIMEOUT_S + START_TIMEOUT_S + 60)
    except KeyboardInterrupt:
        # Stop the servers still starting now, rather than after their start-up ends.
        server_handle.stop_all()
        raise


def started() -> list[AirflowServer]:
    """The servers that did start (some may have been stopped since)."""
    return [
        f.result()
        for f in _started.values()
        if f.done() and not f.cancelled() and f.exception() is None
    ]


def stop_all() -> None:
    """Stop the servers of every fixture at once (each fixture's teardown may call this)."""
    server_handle.stop_servers(started())
