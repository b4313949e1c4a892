"""The embedded Airflow API server: serves openapi.yaml's TaskInstance operations from a thread.

It is built on http.server from the standard library on purpose: it ships inside the SDK, which
must not gain runtime dependencies, and a test double should start in milliseconds with nothing
to install. Thread-per-connection is plenty for tests and keeps each request's code sequential.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any, Iterable, Mapping, Optional

from .actions import run_cleared
from .auth import DEFAULT_USERS, Authenticator, User
from .dag_seeds import DagSeedError, build_dags
from .dags import StoredDag
from .faults import Faults
from .handler import ApiRequestHandler
from .log_chunks import LogChunker
from .operations import Operations
from .request_log import RequestLog
from .routes import BASE_PATH
from .sample_dags import sample_dags
from .sample_data import sample_task_instances
from .scheduler import DEFAULT_PACE, Scheduler
from .seeding import SeedError, SeedSource, build_records, resolve_dag_seed, resolve_seed
from .store import StoredTaskInstance, TaskInstanceKey, TaskInstanceStore


@dataclass
class ServerState:
    """What request threads share; each part guards itself with its own lock."""

    operations: Operations
    faults: Faults
    request_log: RequestLog
    verbose: bool
    stopping: threading.Event = field(default_factory=threading.Event)


class LoopbackHttpServer(ThreadingHTTPServer):
    """A threading HTTP server that can close the connections it keeps alive when it stops."""

    daemon_threads = True
    # The listen backlog: socketserver's default of 5 drops the SYNs of a burst of new
    # connections (a job's worker threads starting at once), and each then waits a second for
    # the kernel to send it again.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: ServerState) -> None:
        self.state = state
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Condition()
        super().__init__(address, ApiRequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._connections_lock:
            self._connections.discard(request)
            self._connections_lock.notify_all()

    def close_connections(self, timeout: float) -> None:
        """Wake every connection thread (idle keep-alive ones block in recv) and wait for them."""
        with self._connections_lock:
            for connection in list(self._connections):
                with contextlib.suppress(OSError):  # the peer may have closed it already
                    connection.shutdown(socket.SHUT_RDWR)
            self._connections_lock.wait_for(lambda: not self._connections, timeout)


class AirflowApiServer:
    """An Airflow API server in this process, for tests.

    >>> with AirflowApiServer() as server:      # sample data, users admin:admin and viewer:viewer
    ...     server.url                           # doctest: +SKIP
    'http://127.0.0.1:54321/api/v1'

    seed: task instances to start with (see seeding.py), or the path of a JSON seed file;
    None means sample_task_instances(). dags: the DAGs (see dag_seeds.py); None means the sample
    DAGs with the sample data, a seed file's "dags", and otherwise none declared: every DAG the
    task instances name is derived from them. reset() goes back to both.

    scheduler: whether the scheduler (`server.scheduler`, see scheduler.py) runs the runs
    clients trigger or clear by itself from the start, at `pace` seconds per step; off by
    default, so that nothing moves unless a test asks. reset() goes back to this too.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        users: Optional[Iterable[User]] = None,
        seed: Optional[SeedSource] = None,
        dags: Optional[Iterable[Mapping[str, Any]]] = None,
        log_chunk_lines: int = 10,
        verbose: bool = False,
        scheduler: bool = False,
        pace: float = DEFAULT_PACE,
    ) -> None:
        self._seed = _seed_records(seed)
        self._dags = _seed_dags(seed, dags)
        self.users = tuple(users if users is not None else DEFAULT_USERS)
        self.store = TaskInstanceStore(self._seed, self._dags)
        self.scheduler = Scheduler(self.store, pace)
        self._scheduler_settings = (scheduler, self.scheduler.pace)
        self.faults = Faults()
        self.request_log = RequestLog()
        operations = Operations(self.store, Authenticator(self.users), LogChunker(log_chunk_lines),
                                changed=self.scheduler.wake)
        self._state = ServerState(operations, self.faults, self.request_log, verbose)
        self._http = LoopbackHttpServer((host, port), self._state)
        self._thread: Optional[threading.Thread] = None

    @property
    def host(self) -> str:
        return str(self._http.server_address[0])

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give the SDK's Configuration(host=...)."""
        return f"http://{self.host}:{self.port}{BASE_PATH}"

    def start(self) -> AirflowApiServer:
        if self._thread is not None:
            raise RuntimeError("the server is already running")
        if self._state.stopping.is_set():
            raise RuntimeError("a stopped server cannot start again; make a new one")
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"airflow-api-{self.port}",
            daemon=True,
        )
        self._thread.start()
        if self._scheduler_settings[0]:
            self.scheduler.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close kept-alive connections and free the port."""
        self.scheduler.stop(timeout)
        self._state.stopping.set()  # ends injected delays early
        if self._thread is not None:
            self._http.shutdown()
            self._thread.join(timeout)
            self._thread = None
        self._http.close_connections(timeout)
        self._http.server_close()

    def reset(self) -> None:
        """Back to the initial data, no faults, an empty request log, the scheduler as the
        server was made (running or not, its pace)."""
        self.scheduler.stop()
        self.store.replace_all(self._seed, self._dags)
        self.faults.clear()
        self.request_log.clear()
        running, self.scheduler.pace = self._scheduler_settings
        if running and self._thread is not None:
            self.scheduler.start()

    def load(self, seed: SeedSource, dags: Optional[Iterable[Mapping[str, Any]]] = None) -> None:
        """Replace the task instances and DAGs (not what reset() returns to) with other seed
        data; `dags` as for the constructor (a seed file's, or derived)."""
        self.store.replace_all(_seed_records(seed), _seed_dags(seed, dags))

    def add_dags(self, dags: Iterable[Mapping[str, Any]]) -> None:
        """Add DAGs (seed mappings, see dag_seeds.py: their tasks and what each does when it
        runs) beside those the server has, until reset(); a DAG id it has is replaced (its runs
        and task instances stay)."""
        try:
            built = build_dags(dags)
        except DagSeedError as error:
            raise SeedError(str(error)) from None
        self.store.put_dags(built)

    def run_cleared(self, state: str = "success") -> int:
        """Act as the scheduler once: every cleared task instance (no state, in a queued or
        running DAG run) runs its next try (try number + 1) and ends in `state`; the DAG runs
        settle. Returns how many ran."""
        return run_cleared(self.store, state)

    def __enter__(self) -> AirflowApiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()



def _seed_records(seed: Optional[SeedSource]) -> list[tuple[TaskInstanceKey, StoredTaskInstance]]:
    return build_records(resolve_seed(seed if seed is not None else sample_task_instances()))


def _seed_dags(seed: Optional[SeedSource],
               dags: Optional[Iterable[Mapping[str, Any]]]) -> list[StoredDag]:
    if dags is None:
        dags = sample_dags() if seed is None else resolve_dag_seed(seed)
    try:
        return build_dags(dags)
    except DagSeedError as error:
        raise SeedError(str(error)) from None
