"""`airflow-sdk list --state failed` and `clear` through the command on real Airflow 2 and 3.

Each server has finished one run of sdk_maintenance, in which fail_task failed. The command is
run as users run it, its own process with --dialect, and the pipe from list to clear is the one
the README shows. The servers are shared by the whole session, so the clear acts on a run of its
own (another run id and date, the DAG paused again once it has ended): the maintenance run that
other tests read stays as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional, Protocol

import pytest

COMMAND = Path(sys.executable).with_name("airflow-sdk")
PROCESS_TIMEOUT_S = 120
# The run the clear acts on: a day no other real-server test gives sdk_maintenance a run.
CLEARED_RUN_ID = "sdk_cli_clear_20261118"
CLEARED_DATE = "2026-11-18T00:00:00+00:00"
RUN_TIMEOUT_S = 240.0


class _FinishedRun(Protocol):
    task_states: dict[str, str]


class _Credentials(Protocol):
    username: str
    password: str


class AirflowServer(Protocol):
    """What these tests use of the real-server fixtures' servers (airflow2_server, ...)."""

    base_url: str
    admin: _Credentials
    dag_id: str
    logical_date: str

    def run_dag(self, dag_id: str, run_id: Optional[str] = None, logical_date: Any = None,
                conf: Any = None, timeout_s: float = 300.0) -> _FinishedRun: ...

    def pause_dag(self, dag_id: str, paused: bool = True) -> None: ...


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
    def failed_run_of_its_own(self, server: AirflowServer) -> str:
        """A finished run of sdk_maintenance at CLEARED_DATE, its DAG paused again, so the
        cleared task stays cleared."""
        finished = server.run_dag(server.dag_id, CLEARED_RUN_ID, CLEARED_DATE,
                                  timeout_s=RUN_TIMEOUT_S)
        server.pause_dag(server.dag_id)
        assert finished.task_states.get("fail_task") == "failed", finished.task_states
        return CLEARED_DATE

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
        self, server: AirflowServer, failed_run_of_its_own: str
    ) -> None:
        listed = run(server, self.dialect, "list", "--dag", server.dag_id, "--state", "failed",
                     "--since", "2026-11-18", "--until", "2026-11-18", "--json")
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
                    failed_run_of_its_own)
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout)["state"] != "failed"  # the DAG is paused: no rerun
        untouched = run(server, self.dialect, "--json", "get", server.dag_id, "fail_task",
                        server.logical_date)
        assert json.loads(untouched.stdout)["state"] == "failed"

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
