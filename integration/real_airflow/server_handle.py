"""A started Airflow server: where it answers, who may log in, and how to stop it.

Every handle is registered until stopped, and an atexit hook stops whatever is left, so a failing
test run or a Ctrl-C does not leave servers behind.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from integration.real_airflow.environment import ADMIN, READER, Credentials
from integration.real_airflow.memory import PeakMemory
from integration.real_airflow.processes import (
    kill_session_members,
    sessions_by_id,
    stop_everything,
    stop_session,
)
from integration.real_airflow.versions import AirflowVersion


class ServerStopped(RuntimeError):
    """The server was stopped while it was still starting."""


# Seconds between SIGTERM and SIGKILL when a server stops. Its home is thrown away, so it needs
# no tidy shutdown; Airflow 3's API server would otherwise take about 10 s to exit.
STOP_GRACE_S = 5.0

# The DAG run every server has finished before its handle is returned.
DAG_ID = "sdk_maintenance"
RUN_ID = "sdk_run_20261126"
LOGICAL_DATE = "2026-11-26T00:00:00+00:00"
SUCCEEDING_TASK = "echo_ok"
FAILING_TASK = "fail_task"


@dataclass(eq=False)  # compared and hashed by identity: one handle per server
class AirflowServer:
    target: AirflowVersion
    port: int
    airflow_home: Path
    admin: Credentials = ADMIN
    reader: Credentials = READER
    dag_id: str = DAG_ID
    run_id: str = RUN_ID
    logical_date: str = LOGICAL_DATE
    # Final task states of the run, as the database had them when the run ended.
    task_states: dict[str, str] = field(default_factory=dict)
    # The environment its commands run with (secrets included), for a command started later.
    environment: dict[str, str] = field(default_factory=dict)
    # Seconds spent per start-up step, and "install" / "start" in all.
    timings_s: dict[str, float] = field(default_factory=dict)
    log_files: dict[str, Path] = field(default_factory=dict)
    keep_home: bool = False
    _processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _session_ids: set[int] = field(default_factory=set)
    _stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    memory: PeakMemory = field(init=False)

    def __post_init__(self) -> None:
        self.memory = PeakMemory(self._own_pids).start()
        _LIVE.add(self)

    @property
    def version(self) -> str:
        return self.target.version

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The REST API root: .../api/v1 for Airflow 2, .../api/v2 for Airflow 3."""
        return self.root_url + self.target.api_prefix

    @property
    def token_url(self) -> str:
        """Airflow 3 only: POST {"username", "password"} here for a bearer token."""
        return self.root_url + "/auth/token"

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def pids(self) -> dict[str, int]:
        """Process ids of the server processes still running, by role."""
        return {role: p.pid for role, p in self._processes.items() if p.poll() is None}

    def adopt(self, role: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
        """Take charge of a started process: it is stopped with the server."""
        with self._lock:
            if not self._stopped:
                self._processes[role] = process
                self._session_ids.add(process.pid)
                self.log_files[role] = log_path
                return
        # Stopped meanwhile (Ctrl-C during start-up): this process must not outlive it.
        stop_session(process, grace_s=2.0)
        raise ServerStopped(f"Airflow {self.version} was stopped while starting")

    def process(self, role: str) -> subprocess.Popen[bytes]:
        return self._processes[role]

    def watch_session(self, session_id: int) -> None:
        """Count a short-lived command's processes in the memory figures."""
        with self._lock:
            if self._stopped:
                raise ServerStopped(f"Airflow {self.version} was stopped while starting")
            self._session_ids.add(session_id)

    def stop_process(self, role: str, grace_s: float = 10.0) -> None:
        process = self._processes.pop(role, None)
        if process is not None:
            stop_session(process, grace_s)

    def _own_pids(self) -> list[int]:
        sessions = sessions_by_id()  # one pass over /proc for all of this server's sessions
        return [pid for sid in list(self._session_ids) for pid in sessions.get(sid, [])]

    def signal_stop(self) -> None:
        """Send SIGTERM to every process of this server and return without waiting."""
        for process in list(self._processes.values()):
            kill_session_members(process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Stop every process of this server by its process id; safe to call twice."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        try:
            self.signal_stop()  # all roles at once, so their grace periods overlap
            for role in list(self._processes):
                self.stop_process(role, STOP_GRACE_S)
        finally:
            self.memory.stop()
            _LIVE.discard(self)
            if not self.keep_home:
                shutil.rmtree(self.airflow_home, ignore_errors=True)


_LIVE: set[AirflowServer] = set()


def stop_servers(servers: Iterable[AirflowServer]) -> None:
    """Stop several servers, signalling all of them first so they shut down side by side."""
    servers = list(servers)
    for server in servers:
        server.signal_stop()
    for server in servers:
        server.stop()


@atexit.register
def stop_all() -> None:
    """Stop every server of this process, also those still starting (their start then fails)."""
    stop_everything()
    stop_servers(_LIVE)
