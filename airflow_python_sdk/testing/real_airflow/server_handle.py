"""A started Airflow server: where it answers, who may log in, its processes, and how to stop it.

Every handle is registered until stopped, and an atexit hook stops whatever is left, so a failing
test run or a Ctrl-C does not leave servers behind. The DAG-run helpers live in dag_runs.py (on
the SDK's own DAG and DAG run operations); the handle offers them as methods so a test needs
nothing but the fixture.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from .environment import ADMIN, READER, Credentials
from .memory import PeakMemory
from .processes import kill_session_members, sessions_by_id, stop_everything, stop_session
from .versions import AirflowVersion, Venv

if TYPE_CHECKING:
    import datetime as dt

    from ... import ApiClient, Configuration
    from .dag_run_state import FinishedRun
    from .dag_runs import TriggeredRun

__all__ = ["RealAirflow", "ServerStopped", "stop_all", "stop_servers"]


class ServerStopped(RuntimeError):
    """The server was stopped while it was still starting."""


# Seconds between SIGTERM and SIGKILL when a server stops. Its home is thrown away, so it needs
# no tidy shutdown; Airflow 3's API server would otherwise take about 10 s to exit.
STOP_GRACE_S = 5.0


@dataclass(eq=False)  # compared and hashed by identity: one handle per server
class RealAirflow:
    """A real Airflow on 127.0.0.1 with its scheduler running: `url`, `dialect`, `admin`,
    a ready `client`, and `run_dag` to trigger a DAG and wait for its end."""

    venv: Venv
    port: int
    airflow_home: Path
    dag_folders: tuple[Path, ...] = ()
    admin: Credentials = ADMIN
    reader: Credentials = READER
    # Seconds spent per start-up step, and "install" / "start" in all.
    timings_s: dict[str, float] = field(default_factory=dict, repr=False)
    log_files: dict[str, Path] = field(default_factory=dict, repr=False)
    keep_home: bool = False
    _processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict, repr=False)
    _session_ids: set[int] = field(default_factory=set, repr=False)
    _stopped: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _client: Optional[ApiClient] = field(default=None, repr=False)
    memory: PeakMemory = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.memory = PeakMemory(self._own_pids).start()
        _LIVE.add(self)

    @property
    def target(self) -> AirflowVersion:
        return self.venv.target

    @property
    def version(self) -> str:
        return self.target.version

    @property
    def major(self) -> int:
        return self.target.major

    @property
    def dialect(self) -> str:
        """ "airflow2" or "airflow3": what Configuration(dialect=...) needs for this server."""
        return self.target.dialect

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The REST API root: .../api/v1 for Airflow 2, .../api/v2 for Airflow 3."""
        return self.root_url + self.target.api_prefix

    @property
    def url(self) -> str:
        """What Configuration(host=...) takes: the REST API root."""
        return self.base_url

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

    # The SDK client, imported here so starting a server needs no more than the standard library.

    def configuration(self, **overrides: Any) -> Configuration:
        """A Configuration for this server, signed in as the admin; keywords override."""
        from ... import Configuration

        settings: dict[str, Any] = {
            "host": self.url,
            "username": self.admin.username,
            "password": self.admin.password,
            "dialect": self.dialect,
        }
        settings.update(overrides)
        return Configuration(**settings)

    @property
    def client(self) -> ApiClient:
        """One ApiClient for this server (the admin's), closed when the server stops."""
        from ... import ApiClient

        with self._lock:
            if self._client is None:
                self._client = ApiClient(self.configuration())
            return self._client

    # DAG runs: see dag_runs.py.

    def trigger_dag_run(
        self,
        dag_id: str,
        run_id: Optional[str] = None,
        logical_date: Union[dt.datetime, str, None] = None,
        conf: Optional[Mapping[str, Any]] = None,
    ) -> TriggeredRun:
        """Unpause the DAG and start a run of it; returns at once."""
        from .dag_runs import trigger_dag_run

        return trigger_dag_run(self, dag_id, run_id, logical_date, conf)

    def wait_for_dag_run(self, run: TriggeredRun, timeout_s: float = 300.0) -> FinishedRun:
        """Wait until the run has ended (success or failed); DagRunTimeout after timeout_s,
        DagPausedError if its DAG was paused meanwhile."""
        from .dag_runs import wait_for_dag_run

        return wait_for_dag_run(self, run, timeout_s)

    def run_dag(
        self,
        dag_id: str,
        run_id: Optional[str] = None,
        logical_date: Union[dt.datetime, str, None] = None,
        conf: Optional[Mapping[str, Any]] = None,
        timeout_s: float = 300.0,
    ) -> FinishedRun:
        """Trigger a run and wait for its end: the two calls above in one."""
        run = self.trigger_dag_run(dag_id, run_id, logical_date, conf)
        return self.wait_for_dag_run(run, timeout_s)

    def pause_dag(self, dag_id: str, paused: bool = True) -> None:
        """Pause the DAG (or unpause it with paused=False): the scheduler leaves its runs alone."""
        from .dag_runs import set_paused

        set_paused(self, dag_id, paused)

    # Processes.

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
            client, self._client = self._client, None
        try:
            if client is not None:
                client.close()
            self.signal_stop()  # all roles at once, so their grace periods overlap
            for role in list(self._processes):
                self.stop_process(role, STOP_GRACE_S)
        finally:
            self.memory.stop()
            _LIVE.discard(self)
            if not self.keep_home:
                shutil.rmtree(self.airflow_home, ignore_errors=True)


_LIVE: set[RealAirflow] = set()


def stop_servers(servers: Iterable[RealAirflow]) -> None:
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
    stop_servers(list(_LIVE))
