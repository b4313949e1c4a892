"""The bulk change of a run's task instances on real Airflow 2 and 3: on 3.3.2 through its bulk
endpoint (requests of 100, counted here), on 2.10.5 one PATCH per task instance; each task
instance's own result, a task instance that cannot change reported as such while the others
change, the same change again as `unchanged`, and the command over the run.

Each server gets one run of `sdk_bulk` (integration/real_airflow/dags/sdk_bulk.py: 230
EmptyOperators and a mapped task of three), made once per server through the public fixture's
`run_dag`; the DAG is paused after it, so the scheduler leaves the states these tests set alone.
The steps run in file order and build on one another.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airflow_python_sdk import ApiClient, BulkChangeException, Configuration
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.rest import RESTClientObject
from integration.real_airflow.maintenance_run import AirflowServer

DAG_ID = "sdk_bulk"
RUN_ID = "bulk_run_20261128"
DATE = "2026-11-28T00:00:00+00:00"
TASK_INSTANCES = [(f"wide_{number:03d}", -1) for number in range(230)] + [
    ("mapped", index) for index in range(3)]
RUN_TIMEOUT_S = 420.0
COMMAND = Path(sys.executable).with_name("airflow-sdk")

_prepared: dict[str, AirflowServer] = {}


def _prepare(server: AirflowServer) -> None:
    """One finished run of sdk_bulk, the DAG paused after it."""
    if server.version in _prepared:
        return
    finished = server.run_dag(DAG_ID, RUN_ID, DATE, timeout_s=RUN_TIMEOUT_S)
    server.pause_dag(DAG_ID)
    assert set(finished.task_states.values()) == {"success"}, finished.task_states
    _prepared[server.version] = server


class CountingTransport(RESTClientObject):
    """The SDK's own transport, counting the requests it sends to the API by method (Airflow 3's
    token requests are not the change's)."""

    def __init__(self, configuration: Configuration) -> None:
        super().__init__(configuration)
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()

    def handle(self, request: Any, options: Any) -> Any:
        if "/auth/token" not in request.url:
            with self._lock:
                self.sent[request.method] += 1
        return super().handle(request, options)


def body(names: list[tuple[str, int]], state: str) -> BulkBodyBulkTaskInstanceBody:
    return BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=[
            BulkTaskInstanceBody(task_id=task_id, map_index=map_index,
                                 new_state=TaskState(state))
            for task_id, map_index in names])])


def results(answer: Any) -> Counter[str]:
    return Counter(item.result.value for item in answer.task_instances)


class BulkSteps:
    dialect = ""

    @pytest.fixture
    def server(self) -> AirflowServer:
        raise NotImplementedError

    @pytest.fixture
    def client(self, server: AirflowServer) -> Iterator[tuple[TaskInstanceApi, CountingTransport]]:
        _prepare(server)
        configuration = Configuration(host=server.base_url, username=server.admin.username,
                                      password=server.admin.password, dialect=self.dialect)
        transport = CountingTransport(configuration)
        with ApiClient(configuration, transport=transport) as api_client:
            yield TaskInstanceApi(api_client), transport

    def states(self, api: TaskInstanceApi) -> Counter[Any]:
        return Counter(str(ti.state.value) for ti in PoolApi(api.api_client).iter_task_instances(
            DAG_ID, execution_date_gte=DATE, execution_date_lte=DATE))

    def test_one_that_cannot_change_is_reported_and_the_others_change(
            self, client: tuple[TaskInstanceApi, CountingTransport]) -> None:
        api, transport = client
        names = [*TASK_INSTANCES[:100], ("no_such_task", -1), *TASK_INSTANCES[100:]]
        transport.sent.clear()
        started = time.monotonic()

        with pytest.raises(BulkChangeException) as raised:
            api.bulk_task_instances(DAG_ID, RUN_ID, body(names, "failed"))

        elapsed = time.monotonic() - started
        error = raised.value
        print(f"\n{self.dialect}: {len(names)} task instances, {dict(transport.sent)} "
              f"requests, {elapsed:.1f} s\n{error}")
        assert results(error.result) == {"changed": 233, "failed": 1}
        (missing,) = error.not_done
        assert (missing.task_id, missing.map_index, missing.status) == ("no_such_task", -1, 404)
        assert error.cause is None
        assert self.states(api) == {"failed": 233}
        if self.dialect == "airflow3":
            assert transport.sent["PATCH"] == 3  # 234 task instances, 100 a request
        else:
            assert transport.sent["PATCH"] == 234  # one per task instance

    def test_a_change_to_success_is_returned_with_each_result(
            self, client: tuple[TaskInstanceApi, CountingTransport]) -> None:
        api, transport = client
        transport.sent.clear()

        answer = api.bulk_task_instances(DAG_ID, RUN_ID, body(TASK_INSTANCES, "success"))

        print(f"\n{self.dialect}: {dict(transport.sent)} requests; {results(answer)}")
        assert results(answer) == {"changed": 233}
        assert [(item.task_id, item.map_index) for item in answer.task_instances] == (
            TASK_INSTANCES)
        assert self.states(api) == {"success": 233}

    def test_the_same_change_again_is_unchanged_where_the_server_says_so(
            self, client: tuple[TaskInstanceApi, CountingTransport]) -> None:
        api, transport = client
        transport.sent.clear()

        answer = api.bulk_task_instances(DAG_ID, RUN_ID, body(TASK_INSTANCES[:150], "success"))

        print(f"\n{self.dialect}: {dict(transport.sent)} requests; {results(answer)}")
        if self.dialect == "airflow3":
            # Airflow 3 refuses each (409), stopping the action: one state read per chunk
            # finds every one in its state already.
            assert results(answer) == {"unchanged": 150}
            assert transport.sent == {"PATCH": 2, "POST": 2}
        else:
            # Airflow 2 sets the state again and says nothing of what it had.
            assert results(answer) == {"changed": 150}

    def test_the_command_sets_the_run_through_the_bulk_change(self, server: AirflowServer,
                                                              client: Any) -> None:
        command = [str(COMMAND), "--dialect", self.dialect, "--host", server.base_url,
                   "--user", server.admin.username, "set-state", "--dag", DAG_ID, "--since",
                   DATE, "--until", DATE, "--state", "skipped", "--yes", "--no-progress"]
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith("AIRFLOW_API_")}
        environment["AIRFLOW_API_PASSWORD"] = server.admin.password

        done = subprocess.run(command, env=environment, capture_output=True, text=True,
                              timeout=300, check=False)
        again = subprocess.run([*command, "--json"], env=environment, capture_output=True,
                               text=True, timeout=300, check=False)

        print(f"\n{self.dialect}:\n{done.stdout.splitlines()[-1]}")
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.endswith("Set skipped: 233 changed, 0 had it already, 0 failed, "
                                    "0 may have changed, 0 not attempted (of 233 selected).\n")
        assert again.returncode == 0, again.stderr
        report = json.loads(again.stdout)
        assert (len(report["unchanged"]), report["would_change"]) == (233, [])


class TestBulkOnAirflow2(BulkSteps):
    dialect = "airflow2"

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server


class TestBulkOnAirflow3(BulkSteps):
    dialect = "airflow3"

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server
