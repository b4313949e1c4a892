"""The call options keep their meaning on real servers' dialects."""

from __future__ import annotations

import json
import time

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, recorded, token_reply
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, ApiTimeoutError, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api_client import AsyncResult
from airflow_python_sdk.model.task_instance import TaskInstance


def test_return_http_data_only_false_gives_the_last_answers_status_and_headers(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_patch_success.json"),
                  recorded("v2_ti_fail_task_after_patch.json"))

    ti, status, headers = airflow2.update_task_instance(
        DAG_ID, "fail_task", EXECUTION_DATE, TaskInstance(state="success"),
        _return_http_data_only=False)

    assert (ti.state, status) == ("success", 200)
    assert headers["Content-Type"] == "application/json"


def test_preload_content_false_gives_the_servers_own_answer_unread(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_ti_echo_ok_links.json"))

    raw = airflow3.get_extra_links(DAG_ID, "echo_ok", EXECUTION_DATE, _preload_content=False)

    assert json.loads(raw.read()) == {"extra_links": {}, "total_entries": 0}
    raw.release_conn()


def test_async_req_runs_the_whole_operation_in_the_background(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_delete_ti.json"))

    pending = airflow3.delete_task_instance(DAG_ID, "fail_task", EXECUTION_DATE, async_req=True)

    assert isinstance(pending, AsyncResult)
    assert pending.get(timeout=10) is None
    assert [r.method for r in server.requests] == ["POST", "GET", "DELETE"]


def test_async_errors_come_out_of_get(server: RecordingServer,
                                      airflow2: TaskInstanceApi) -> None:
    from airflow_python_sdk.dialects import UnsupportedOperationException

    pending = airflow2.delete_task_instance(DAG_ID, "fail_task", EXECUTION_DATE, async_req=True)

    with pytest.raises(UnsupportedOperationException):
        pending.get(timeout=10)


def test_the_request_timeout_bounds_every_request_of_the_operation() -> None:
    with RecordingServer(never_answer=True) as silent:
        configuration = Configuration(host=silent.url + "/api/v2", dialect="airflow3",
                                      access_token="t")
        with ApiClient(configuration) as client:
            began = time.monotonic()
            with pytest.raises(ApiTimeoutError):
                TaskInstanceApi(client).get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE,
                                                          _request_timeout=0.5)
            assert time.monotonic() - began < 5


def test_a_calls_retries_apply_to_every_request_a_dialect_makes(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    from support.recording_server import Reply

    from airflow_python_sdk import ServiceException

    server.answer(Reply.json({"title": "Service Unavailable"}, status=503,
                             headers=[("Retry-After", "0")]),
                  recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    with pytest.raises(ServiceException):
        airflow2.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE, _retries=0)

    assert len(server.requests) == 1
