"""bulk_task_instances on Airflow 2, which has no bulk endpoint: one PATCH per task instance (a
few at a time), each with its own result, against Airflow 2.10.5's recorded answers over
loopback HTTP."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from dialects.conftest import ClientFactory
from dialects.recorded_answers import recorded
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk import ApiClient, BulkChangeException, UnauthorizedException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects.bulk_one_by_one import WORKERS
from airflow_python_sdk.exceptions import ApiValueError
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState

DAG = "feas_dag"
RUN = "sched_run_1126"
RUN_PATH = f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances"


def body(names: list[Any], state: str = "failed") -> BulkBodyBulkTaskInstanceBody:
    entities = []
    for name in names:
        task_id, map_index = (name, -1) if isinstance(name, str) else name
        entities.append(BulkTaskInstanceBody(task_id=task_id, map_index=map_index,
                                             new_state=TaskState(state)))
    return BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=entities)])


@pytest.fixture
def client(make_client: ClientFactory) -> ApiClient:
    client = make_client("airflow2", "/api/v1")
    client.configuration.retries = 0
    return client


def test_each_task_instance_is_its_own_patch_a_few_at_a_time(
        server: RecordingServer, client: ApiClient) -> None:
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def handler(request: RecordedRequest) -> Reply:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1
        return recorded("v2_patch_success.json")

    server.handler = handler
    names: list[Any] = [f"task_{number}" for number in range(10)] + [("mapped", 2)]

    answer = TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(names))

    assert [(item.task_id, item.map_index, item.result.value)
            for item in answer.task_instances] == [
        (f"task_{number}", -1, "changed") for number in range(10)] + [("mapped", 2, "changed")]
    sent = sorted((request.method, request.path) for request in server.requests)
    assert sent == sorted([("PATCH", f"{RUN_PATH}/task_{number}") for number in range(10)]
                          + [("PATCH", f"{RUN_PATH}/mapped/2")])
    assert [request.json() for request in server.requests] == [
        {"dry_run": False, "new_state": "failed"}] * 11
    assert 1 < most[0] <= WORKERS


def test_a_task_instance_the_server_does_not_have_fails_alone(
        server: RecordingServer, client: ApiClient) -> None:
    def handler(request: RecordedRequest) -> Reply:
        if request.path.endswith("/no_such_task"):
            return recorded("v2_patch_missing_ti.json", status=404)
        return recorded("v2_patch_success.json")

    server.handler = handler

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(
            DAG, RUN, body(["echo_ok", "no_such_task", "fail_task"]))

    error = raised.value
    assert [(item.task_id, item.result.value, item.status) for item in error.result.task_instances
            ] == [("echo_ok", "changed", None), ("no_such_task", "failed", 404),
                  ("fail_task", "changed", None)]
    assert error.not_done[0].error == (
        "404 Task not found: task instance 'no_such_task' of DAG 'feas_dag' (run "
        "'sched_run_1126') not found: Task 'no_such_task' not found in DAG 'feas_dag'")
    assert error.cause is None


def test_wrong_credentials_stop_the_change_and_the_rest_are_not_attempted(
        server: RecordingServer, client: ApiClient) -> None:
    server.handler = lambda request: recorded("v2_err_401_wrong_creds.json", status=401)

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(
            [f"task_{number}" for number in range(40)]))

    error = raised.value
    assert isinstance(error.cause, UnauthorizedException) and error.status == 401
    counted = Counter(item.result.value for item in error.result.task_instances)
    assert counted["failed"] == len(server.requests) <= WORKERS
    assert counted["not_attempted"] == 40 - len(server.requests)


def test_an_unread_answer_cannot_be_had_and_nothing_is_sent(
        server: RecordingServer, client: ApiClient) -> None:
    with pytest.raises(ApiValueError, match="Airflow 2 has no bulk endpoint"):
        TaskInstanceApi(client).without_preload_content.bulk_task_instances(
            DAG, RUN, body(["echo_ok"]))
    assert server.requests == []
