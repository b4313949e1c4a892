"""Bring one Airflow server from nothing to "serving a finished DAG run".

Steps, for both major versions: fresh AIRFLOW_HOME, migrate the database, (Airflow 2) create the
admin, start the API server, reserialize the DAG, start the scheduler, (Airflow 2) create the
read-only user, unpause and trigger the run through the REST API, wait for the run to end, stop
the scheduler. Airflow 3's users come from its configuration. The scheduler is stopped so the
task instances stay exactly as the run left them while tests look at them.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from integration.real_airflow.dag_run_state import wait_until_finished
from integration.real_airflow.environment import airflow_environment, prepare_home
from integration.real_airflow.processes import (
    Cancelled,
    CommandFailed,
    run_logged,
    start_background,
)
from integration.real_airflow.server_handle import (
    FAILING_TASK,
    SUCCEEDING_TASK,
    AirflowServer,
    ServerStopped,
)
from integration.real_airflow.startup_http import (
    airflow3_token,
    basic_auth,
    bearer,
    expect,
    request_json,
    wait_until_healthy,
)
from integration.real_airflow.versions import AirflowVersion

DEFAULT_START_TIMEOUT_S = 300.0


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it, so parallel starts do not clash)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Startup:
    def __init__(self, server: AirflowServer, timeout_s: float) -> None:
        self.server = server
        self.target = server.target
        self.home = server.airflow_home
        self.env = airflow_environment(self.target, self.home, server.port)
        server.environment = self.env
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
                [str(self.target.airflow_bin), *args],
                self.env,
                self.home,
                self.log_dir / f"{name}.log",
                timeout_s=self.remaining(),
                on_start=self.server.watch_session,
            )

    def background(self, role: str, *args: str) -> None:
        log_path = self.log_dir / f"{role}.log"
        process = start_background(
            [str(self.target.airflow_bin), *args], self.env, self.home, log_path
        )
        self.server.adopt(role, process, log_path)

    def run(self) -> None:
        started = time.monotonic()
        prepare_home(self.target, self.home)
        self.log_dir.mkdir()
        self.cli("db-migrate", "db", "migrate")
        if self.target.major == 2:
            self.create_airflow2_admin()
        # The API server first: it comes up while the DAG is being serialized.
        port = str(self.server.port)
        if self.target.major == 2:
            self.background("api-server", "webserver", "--port", port, "--hostname", "127.0.0.1")
        else:
            self.background("api-server", "api-server", "--port", port, "--host", "127.0.0.1")
        self.cli("dags-reserialize", "dags", "reserialize")
        # Logs are read from local files, so no log server (it would listen on 0.0.0.0).
        self.background("scheduler", "scheduler", "--skip-serve-logs")
        with self.step("api-healthy"):
            wait_until_healthy(
                self.server.root_url + self.target.health_path,
                self.server.process("api-server"),
                self.server.log_files["api-server"],
                self.remaining(),
            )
        self.unpause_and_trigger()
        with self.step("run-finished"):
            self.server.task_states = wait_until_finished(
                self.home / "airflow.db",
                self.server.dag_id,
                self.server.run_id,
                self.server.process("scheduler"),
                self.server.log_files["scheduler"],
                self.remaining(),
            )
        with self.step("scheduler-stopped"):
            # Nothing is left for it to do; Airflow 3's scheduler takes over 10 s to exit
            # gracefully, so it gets little grace before SIGKILL.
            self.server.stop_process("scheduler", grace_s=3.0)
        self.check_task_states()
        self.server.timings_s["start"] = round(time.monotonic() - started, 1)

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

    def create_airflow2_reader(self, auth: str) -> None:
        # Through the API: the Viewer role exists only once the webserver has synced its roles,
        # and this is cheaper than another CLI process.
        reader = self.server.reader
        user = {
            "username": reader.username,
            "password": reader.password,
            "first_name": reader.username,
            "last_name": "sdk",
            "email": f"{reader.username}@example.invalid",
            "roles": [{"name": "Viewer"}],
        }
        status, answer = request_json("POST", f"{self.server.base_url}/users", user, auth)
        expect(status, 200, "create the read-only user", answer)

    def authorization(self) -> str:
        admin = self.server.admin
        if self.target.major == 2:
            return basic_auth(admin.username, admin.password)
        return bearer(airflow3_token(self.server.root_url, admin.username, admin.password))

    def unpause_and_trigger(self) -> None:
        with self.step("unpause-and-trigger"):
            auth = self.authorization()
            if self.target.major == 2:
                self.create_airflow2_reader(auth)
            dag_url = f"{self.server.base_url}/dags/{self.server.dag_id}"
            status, answer = request_json(
                "PATCH", dag_url + "?update_mask=is_paused", {"is_paused": False}, auth
            )
            expect(status, 200, f"unpause {dag_url}", answer)
            run = {"dag_run_id": self.server.run_id, "logical_date": self.server.logical_date}
            status, answer = request_json("POST", dag_url + "/dagRuns", run, auth)
            expect(status, 200, f"trigger {dag_url}", answer)

    def check_task_states(self) -> None:
        expected = {SUCCEEDING_TASK: "success", FAILING_TASK: "failed"}
        if self.server.task_states != expected:
            raise CommandFailed(
                f"run {self.server.run_id} ended with tasks {self.server.task_states}, "
                f"expected {expected}; logs in {self.log_dir}"
            )


def start_server(
    target: AirflowVersion, timeout_s: float = DEFAULT_START_TIMEOUT_S, keep_home: bool = False
) -> AirflowServer:
    """Start a server with a finished run; on any failure stop what was started, keep the logs."""
    home = Path(tempfile.mkdtemp(prefix=f"airflow-{target.version}-"))
    server = AirflowServer(target, free_port(), home, keep_home=keep_home)
    try:
        _Startup(server, timeout_s).run()
    except (Cancelled, ServerStopped, KeyboardInterrupt):
        server.stop()  # stopped on purpose: nothing to look into
        raise
    except BaseException as error:
        if server.stopped:
            # Stopped from outside (Ctrl-C, another thread): the step failed because of that.
            raise ServerStopped(f"Airflow {target.version} was stopped while starting") from error
        server.keep_home = True  # the logs explain the failure
        server.stop()
        raise
    return server
