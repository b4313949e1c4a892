"""The repair job over a list of task instances and the airflow-sdk command, unchanged, on real
Airflow 2 and 3.

Both name the dialect the way users do: the job reads AIRFLOW_API_DIALECT from its environment,
the command takes --dialect. Each runs as its own process, with a bounded wait. The job marks the
failed task instance success; the test puts it back to failed, since the servers are shared.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from integration.real_airflow.maintenance_run import AirflowServer

JOB = REPO_ROOT / "examples" / "repair_listed_task_instances.py"
COMMAND = Path(sys.executable).with_name("airflow-sdk")
DATE = "2026-11-26T00:00:00+00:00"
PROCESS_TIMEOUT_S = 120


def environment(server: AirflowServer, dialect: str = "") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("AIRFLOW_API_")}
    env.update(AIRFLOW_API_HOST=server.base_url, AIRFLOW_API_USERNAME=server.admin.username,
               AIRFLOW_API_PASSWORD=server.admin.password)
    if dialect:
        env["AIRFLOW_API_DIALECT"] = dialect
    return env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT_S, check=False)


def api_of(server: AirflowServer, dialect: str) -> TaskInstanceApi:
    configuration = Configuration(host=server.base_url, username=server.admin.username,
                                  password=server.admin.password, dialect=dialect)
    return TaskInstanceApi(ApiClient(configuration))


class Checks:
    dialect = ""

    @pytest.fixture
    def restore_fail_task(self, server: AirflowServer) -> Iterator[None]:
        yield
        api = api_of(server, self.dialect)
        with api.api_client:
            api.update_task_instance("sdk_maintenance", "fail_task", DATE,
                                     TaskInstance(state="failed"))

    def test_the_maintenance_job_runs_unchanged(self, server: AirflowServer, tmp_path: Path,
                                                restore_fail_task: None) -> None:
        task_list = tmp_path / "task_instances.txt"
        task_list.write_text(f"sdk_maintenance echo_ok {DATE}\n"
                             f"sdk_maintenance fail_task {DATE}\n")

        done = run([sys.executable, str(JOB), str(task_list)],
                   environment(server, self.dialect))

        print(f"\n{self.dialect}: maintenance job exit {done.returncode}\n{done.stdout}")
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"(dialect {self.dialect})" in done.stdout
        assert "marked success" in done.stdout
        api = api_of(server, self.dialect)
        with api.api_client:
            assert api.get_task_instance("sdk_maintenance", "fail_task", DATE).state == "success"

    def test_the_command_takes_the_dialect_from_its_flag(self, server: AirflowServer) -> None:
        env = environment(server)  # no AIRFLOW_API_DIALECT: the flag alone says it

        shown = run([str(COMMAND), "--dialect", self.dialect, "--json", "get",
                     "sdk_maintenance", "echo_ok", DATE], env)
        log = run([str(COMMAND), "--dialect", self.dialect, "logs", "sdk_maintenance",
                   "echo_ok", DATE, "--try", "1"], env)

        assert shown.returncode == 0, shown.stderr
        fields = json.loads(shown.stdout)
        assert (fields["task_id"], fields["state"]) == ("echo_ok", "success")
        assert fields["execution_date"].startswith("2026-11-26T00:00:00")
        assert log.returncode == 0, log.stderr
        assert "line 20 of output from echo_ok" in log.stdout
        assert "[('" not in log.stdout


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
