"""`airflow-sdk list --state failed` and `clear` through the command on real Airflow 2 and 3.

Each server has finished one run of sdk_maintenance, in which fail_task failed. The command is
run as users run it, its own process with --dialect, and the pipe from list to clear is the one
the README shows. The test puts fail_task back to failed afterwards, since the servers are
shared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance

COMMAND = Path(sys.executable).with_name("airflow-sdk")
PROCESS_TIMEOUT_S = 120


class _Credentials(Protocol):
    username: str
    password: str


class AirflowServer(Protocol):
    """What these tests use of the real-server fixtures' servers (airflow2_server, ...)."""

    base_url: str
    admin: _Credentials
    dag_id: str
    logical_date: str


def environment(server: AirflowServer) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("AIRFLOW_API_")}
    env.update(AIRFLOW_API_HOST=server.base_url, AIRFLOW_API_USERNAME=server.admin.username,
               AIRFLOW_API_PASSWORD=server.admin.password)
    return env


def run(server: AirflowServer, dialect: str, *arguments: str,
        stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMMAND), "--dialect", dialect, *arguments], input=stdin,
                          env=environment(server), capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT_S, check=False)


class Checks:
    dialect = ""

    @pytest.fixture
    def restore_fail_task(self, server: AirflowServer) -> Iterator[None]:
        yield
        configuration = Configuration(host=server.base_url, username=server.admin.username,
                                      password=server.admin.password, dialect=self.dialect)
        with ApiClient(configuration) as client:
            TaskInstanceApi(client).update_task_instance(
                server.dag_id, "fail_task", server.logical_date, TaskInstance(state="failed"))

    def test_list_finds_the_failed_task(self, server: AirflowServer) -> None:
        table = run(server, self.dialect, "list", "--dag", server.dag_id, "--state", "failed")
        lines = run(server, self.dialect, "list", "--dag", server.dag_id, "--state", "failed",
                    "--json")
        count = run(server, self.dialect, "list", "--dag", server.dag_id, "--state", "failed",
                    "--count")

        assert table.returncode == 0, table.stderr
        assert "fail_task" in table.stdout
        assert "echo_ok" not in table.stdout
        assert lines.returncode == 0, lines.stderr
        items = [json.loads(line) for line in lines.stdout.splitlines()]
        assert [(item["dag_id"], item["task_id"], item["state"]) for item in items] == [
            (server.dag_id, "fail_task", "failed")]
        assert items[0]["execution_date"].startswith("2026-11-26T00:00:00")
        assert count.stdout == "1\n"

    def test_the_failed_task_is_cleared_through_the_pipe(
        self, server: AirflowServer, restore_fail_task: None
    ) -> None:
        listed = run(server, self.dialect, "list", "--dag", server.dag_id, "--state", "failed",
                     "--since", "2026-11-26", "--until", "2026-11-26", "--json")
        assert listed.returncode == 0, listed.stderr

        shown = run(server, self.dialect, "clear", "--from", "-", "--dry-run",
                    stdin=listed.stdout)
        cleared = run(server, self.dialect, "clear", "--from", "-", "--yes", stdin=listed.stdout)

        print(f"\n{self.dialect}:\n{shown.stdout}{cleared.stdout}")
        assert shown.returncode == 0, shown.stderr
        assert "clear would change 1 task instance:" in shown.stdout
        assert "fail_task" in shown.stdout
        assert cleared.returncode == 0, cleared.stderr
        assert "Cleared 1 task instance " in cleared.stdout
        after = run(server, self.dialect, "--json", "get", server.dag_id, "fail_task",
                    server.logical_date)
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout)["state"] != "failed" or json.loads(
            after.stdout)["try_number"] > 1  # cleared (or already run again by a scheduler)

    def test_a_dag_that_does_not_exist_is_not_found(self, server: AirflowServer) -> None:
        result = run(server, self.dialect, "list", "--dag", "no_such_dag_anywhere")

        assert result.returncode == 4
        assert "no_such_dag_anywhere" in result.stderr


class TestAirflow2(Checks):
    dialect = "airflow2"

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server


class TestAirflow3(Checks):
    dialect = "airflow3"

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server
