"""ApiClient's own surface: call_api, deserialize, headers, cookie, and the package's names."""

from __future__ import annotations

import json
import types

import pytest
from core.payloads import (
    API_PREFIX,
    EXECUTION_DATE,
    TASK_INSTANCE_PAYLOAD,
    parse_rfc3339,
    task_instance_path_values,
)
from support.recording_server import Reply

import airflow_python_sdk
from airflow_python_sdk._version import __version__
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

TI_RESOURCE = "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}"


def test_the_package_exports_the_runtime_names():
    from airflow_python_sdk.apis import TaskInstanceApi as FromApis

    assert FromApis is TaskInstanceApi
    assert airflow_python_sdk.__version__ == __version__
    for name in ("ApiClient", "Configuration", "ApiException"):
        assert hasattr(airflow_python_sdk, name)


def test_the_api_class_keeps_its_client(api_client):
    assert TaskInstanceApi(api_client).api_client is api_client


def test_user_agent(api_client):
    assert api_client.user_agent == f"airflow-python-sdk/{__version__}/python"


def test_call_api_substitutes_encodes_and_authenticates(server, api_client):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = api_client.call_api(
        TI_RESOURCE,
        "GET",
        path_params={"dag_id": "a/b", "task_id": "..", "execution_date": "2026-11-26T00:00:00Z"},
        query_params=[("probe", "x y")],
        header_params={"Accept": "application/json", "X-Extra": "1"},
        response_type=(TaskInstance,),
        auth_settings=["basicAuth"],
        _return_http_data_only=True,
    )

    request = server.last
    assert isinstance(ti, TaskInstance) and ti.task_id == "echo_ok"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["a/b", "taskInstances", ".."]
    assert parse_rfc3339(values[3]) == EXECUTION_DATE
    assert request.query_params == {"probe": ["x y"]}
    assert request.header("X-Extra") == "1"
    assert (request.header("Authorization") or "").startswith("Basic ")


def test_call_api_sends_a_model_body_and_can_return_status_and_headers(server, api_client):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, headers=[("X-Answer", "42")]))

    data, status, headers = api_client.call_api(
        TI_RESOURCE,
        "PATCH",
        path_params={"dag_id": "d", "task_id": "t", "execution_date": "2026-11-26T00:00:00Z"},
        header_params={"Accept": "application/json", "Content-Type": "application/json"},
        body=TaskInstance(state=TaskState.FAILED, end_date=None),
        response_type=(TaskInstance,),
        auth_settings=["basicAuth"],
        _return_http_data_only=False,
    )

    assert server.last.method == "PATCH"
    assert server.last.json() == {"state": "failed", "end_date": None}
    assert isinstance(data, TaskInstance)
    assert status == 200
    assert headers["X-Answer"] == "42"


def test_call_api_async(server, api_client):
    server.answer(Reply.json({"content": "hello\n"}))

    pending = api_client.call_api(
        TI_RESOURCE + "/logs/{task_try_number}",
        "GET",
        path_params={
            "dag_id": "d",
            "task_id": "t",
            "execution_date": "2026-11-26T00:00:00Z",
            "task_try_number": 1,
        },
        header_params={"Accept": "application/json"},
        response_type=(InlineResponse200,),
        async_req=True,
        _return_http_data_only=True,
    )

    assert pending.get(timeout=10).content == "hello\n"


def test_a_cookie_given_to_the_client_is_sent(server, configuration):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration, cookie="session=abc") as client:
        TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE)

    assert server.last.header("Cookie") == "session=abc"


def json_response(payload):
    return types.SimpleNamespace(
        data=json.dumps(payload),
        status=200,
        headers={"Content-Type": "application/json"},
        getheader=lambda name, default=None: "application/json",
    )


def test_deserialize_takes_the_original_arguments(api_client):
    ti = api_client.deserialize(json_response(TASK_INSTANCE_PAYLOAD), (TaskInstance,), True)

    assert isinstance(ti, TaskInstance)
    assert ti.execution_date == EXECUTION_DATE
    assert ti.state == TaskState.SUCCESS


def test_deserialize_without_type_checks_keeps_a_wrong_value(api_client):
    payload = dict(TASK_INSTANCE_PAYLOAD, pool_slots="two")

    with pytest.raises(airflow_python_sdk.ApiTypeError):
        api_client.deserialize(json_response(payload), (TaskInstance,), True)
    ti = api_client.deserialize(json_response(payload), (TaskInstance,), False)

    assert ti.pool_slots == "two"


def test_a_non_json_success_body_for_a_model_is_an_error(server, api):
    server.answer(Reply(200, b"<html>login page</html>", [("Content-Type", "text/html")]))

    with pytest.raises(airflow_python_sdk.ResponseValueError) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    assert caught.value.status == 200


def test_the_host_may_end_with_a_slash(server):
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX + "/")
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration) as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.path.startswith(API_PREFIX + "/dags/feas_dag/")
