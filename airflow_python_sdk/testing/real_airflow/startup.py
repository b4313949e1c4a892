"""Bring one Airflow server from nothing to "API healthy, scheduler running, DAGs parsed".

Steps, for both major versions: fresh AIRFLOW_HOME with copies of the DAG folders, migrate the
database, (Airflow 2) create the admin, start the API server, reserialize the DAGs, start the
scheduler, wait for health, (Airflow 2) create the read-only user. Airflow 3's users come from its
configuration.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from .arguments import checked_dag_folders
from .environment import airflow_environment, prepare_home
from .plain_http import basic_auth, expect, request_json, wait_until_healthy
from .processes import Cancelled, CommandFailed, is_cancelled, run_logged, start_background
from .server_handle import RealAirflow, ServerStopped
from .versions import Venv

__all__ = ["DEFAULT_START_TIMEOUT_S", "PORT_ATTEMPTS", "free_port", "start_server"]

DEFAULT_START_TIMEOUT_S = 300.0
# Another process may take the chosen port before the API server binds it; a new port then.
PORT_ATTEMPTS = 3
_PORT_TAKEN = ("Address already in use", "[Errno 98]")


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it, so parallel starts do not clash)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PortTaken(CommandFailed):
    """The API server could not bind its port: someone took it after it was chosen."""


class _Startup:
    def __init__(self, server: RealAirflow, timeout_s: float) -> None:
        self.server = server
        self.target = server.target
        self.home = server.airflow_home
        self.env = airflow_environment(server.venv, self.home, server.port)
        self.log_dir = self.home / "harness-logs"
        self.deadline = time.monotonic() + timeout_s

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CommandFailed(f"Airflow {self.target.version} start-up ran out of time")
        return left

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.server.timings_s[name] = round(time.monotonic() - started, 1)

    def cli(self, name: str, *args: str) -> None:
        with self.step(name):
            run_logged(
                [str(self.server.venv.airflow_bin), *args],
                self.env,
                self.home,
                self.log_dir / f"{name}.log",
                timeout_s=self.remaining(),
                on_start=self.server.watch_session,
            )

    def background(self, role: str, *args: str) -> None:
        log_path = self.log_dir / f"{role}.log"
        process = start_background(
            [str(self.server.venv.airflow_bin), *args], self.env, self.home, log_path
        )
        self.server.adopt(role, process, log_path)

    def run(self) -> None:
        started = time.monotonic()
        prepare_home(self.target.major, self.home, self.server.dag_folders)
        self.log_dir.mkdir()
        self.cli("db-migrate", "db", "migrate")
        if self.target.major == 2:
            self.create_airflow2_admin()
        # The API server first: it comes up while the DAGs are being serialized.
        port = str(self.server.port)
        if self.target.major == 2:
            self.background("api-server", "webserver", "--port", port, "--hostname", "127.0.0.1")
        else:
            self.background("api-server", "api-server", "--port", port, "--host", "127.0.0.1")
        # Serialized before the handle is returned, so a test can trigger any DAG at once.
        self.cli("dags-reserialize", "dags", "reserialize")
        # Logs are read from local files, so no log server (it would listen on 0.0.0.0).
        self.background("scheduler", "scheduler", "--skip-serve-logs")
        with self.step("api-healthy"):
            self.wait_until_healthy()
        if self.target.major == 2:
            with self.step("reader-created"):
                self.create_airflow2_reader()
        self.server.timings_s["start"] = round(time.monotonic() - started, 1)

    def wait_until_healthy(self) -> None:
        log_path = self.server.log_files["api-server"]
        try:
            wait_until_healthy(
                self.server.root_url + self.target.health_path,
                self.server.process("api-server"),
                log_path,
                self.remaining(),
            )
        except CommandFailed as failure:
            if any(sign in str(failure) for sign in _PORT_TAKEN):
                raise PortTaken(str(failure)) from failure
            raise

    def create_airflow2_admin(self) -> None:
        admin = self.server.admin
        self.cli(
            "users-create-admin",
            "users",
            "create",
            "--role",
            "Admin",
            "--username",
            admin.username,
            "--password",
            admin.password,
            "--firstname",
            admin.username,
            "--lastname",
            "sdk",
            "--email",
            f"{admin.username}@example.invalid",
        )

    def create_airflow2_reader(self) -> None:
        # Through the API: the Viewer role exists only once the webserver has synced its roles,
        # and this is cheaper than another CLI process.
        admin, reader = self.server.admin, self.server.reader
        user = {
            "username": reader.username,
            "password": reader.password,
            "first_name": reader.username,
            "last_name": "sdk",
            "email": f"{reader.username}@example.invalid",
            "roles": [{"name": "Viewer"}],
        }
        auth = basic_auth(admin.username, admin.password)
        status, answer = request_json("POST", f"{self.server.base_url}/users", user, auth)
        expect(status, 200, "create the read-only user", answer)


def _start_once(
    venv: Venv, dag_folders: tuple[Path, ...], timeout_s: float, keep_home: bool, port: int
) -> RealAirflow:
    home = Path(tempfile.mkdtemp(prefix=f"airflow-{venv.target.version}-"))
    server = RealAirflow(venv, port, home, dag_folders, keep_home=keep_home)
    try:
        _Startup(server, timeout_s).run()
    except (Cancelled, ServerStopped, KeyboardInterrupt, PortTaken):
        server.stop()  # stopped on purpose, or tried again on another port: nothing to keep
        raise
    except BaseException as error:
        if server.stopped or is_cancelled():
            # Stopped from outside (Ctrl-C, SIGTERM, exit, another thread): the step failed
            # because of that, so the home goes as on any stop.
            server.stop()
            version = venv.target.version
            raise ServerStopped(f"Airflow {version} was stopped while starting") from error
        server.keep_home = True  # the logs explain the failure
        server.stop()
        raise
    return server


def start_server(
    venv: Venv,
    dag_folders: Sequence[Path] = (),
    timeout_s: float = DEFAULT_START_TIMEOUT_S,
    keep_home: bool = False,
    port: Optional[int] = None,
) -> RealAirflow:
    """Start a server with its scheduler; on failure stop what was started and keep the logs.

    On `port` if given (PortTaken if something else holds it), else on a free one, chosen again
    if another process takes it first."""
    folders = checked_dag_folders(dag_folders)
    if port is not None:
        return _start_once(venv, folders, timeout_s, keep_home, port)
    for attempt in range(1, PORT_ATTEMPTS + 1):
        try:
            return _start_once(venv, folders, timeout_s, keep_home, free_port())
        except PortTaken:
            if attempt == PORT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises
