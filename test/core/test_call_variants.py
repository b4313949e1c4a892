"""The accessors `with_http_info`, `without_preload_content` and `in_background`: each calls the
operation as its keyword of the original client does, over real loopback HTTP."""

from __future__ import annotations

import inspect
import json
import threading

import pytest
import urllib3
from core.payloads import EXECUTION_DATE, LOG_CHUNK_PAYLOAD, TASK_INSTANCE_PAYLOAD, problem
from support.recording_server import Reply

import airflow_python_sdk
from airflow_python_sdk import apis
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api_client import AsyncResult
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_instance_reference_collection import (
    TaskInstanceReferenceCollection,
)

# urllib3 2 has a base class for its responses; urllib3 1.26 has only HTTPResponse.
URLLIB3_RESPONSE = getattr(urllib3, "BaseHTTPResponse", urllib3.response.HTTPResponse)
ACCESSORS = ("with_http_info", "without_preload_content", "in_background")


def test_with_http_info_gives_data_status_and_headers(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, headers=[("X-Request-Id", "r-42")]))

    data, status, headers = api.with_http_info.get_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(data, TaskInstance) and data.task_id == "echo_ok"
    assert status == 200
    assert headers["x-request-id"] == "r-42"
    assert server.last.method == "GET"


def test_with_http_info_is_the_same_call_as_the_keyword(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD), Reply.json(TASK_INSTANCE_PAYLOAD))

    through_accessor = api.with_http_info.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    through_keyword = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE,
                                            _return_http_data_only=False)

    first, second = server.requests
    assert (first.method, first.path, first.body) == (second.method, second.path, second.body)
    assert through_accessor[0].to_dict() == through_keyword[0].to_dict()
    assert through_accessor[1:2] == through_keyword[1:2] == (200,)


def test_without_preload_content_returns_the_unread_answer(server, api):
    text = "".join(f"line {n}\n" for n in range(2000))
    server.answer(Reply.text(text, headers=[("X-Marker", "raw")]))

    response = api.without_preload_content.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1,
                                                    full_content=True)

    assert isinstance(response, URLLIB3_RESPONSE)
    assert response.status == 200 and response.headers["X-Marker"] == "raw"
    assert b"".join(response.stream(1024)).decode() == text
    response.release_conn()
    assert server.last.query_params == {"full_content": ["true"]}


def test_without_preload_content_still_raises_the_status_exception(server, api):
    server.answer(Reply.json(problem(404, "Task instance not found"), status=404))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.without_preload_content.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert caught.value.error.title == "Task instance not found"


def test_in_background_returns_before_the_answer_and_get_waits_for_it(server, api):
    released = threading.Event()

    def held_answer(request):
        released.wait(10)
        return Reply.json(TASK_INSTANCE_PAYLOAD)

    server.handler = held_answer

    pending = api.in_background.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(pending, AsyncResult)
    assert not pending.ready()  # the server has not answered yet: the call runs elsewhere
    released.set()
    assert pending.get(timeout=10).task_id == "echo_ok"
    assert pending.ready() and pending.successful()
    assert server.last.method == "GET"


def test_in_background_raises_the_error_from_get(server, api):
    server.answer(Reply.json(problem(404, "Task instance not found"), status=404))

    pending = api.in_background.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    with pytest.raises(airflow_python_sdk.NotFoundException):
        pending.get(timeout=10)
    assert server.last.method == "DELETE"


def test_accessors_pass_every_argument_by_position_and_by_keyword(server, api):
    server.answer(*[Reply.json(LOG_CHUNK_PAYLOAD)] * 2)

    data, status, _ = api.with_http_info.get_logs(
        dag_id="feas_dag", task_id="echo_ok", execution_date=EXECUTION_DATE, task_try_number=3,
        full_content=False, _request_timeout=5, _retries=0)
    pending = api.in_background.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 2,
                                         token="abc", _request_timeout=(1, 5))

    assert (data.content, status) == (LOG_CHUNK_PAYLOAD["content"], 200)
    assert pending.get(timeout=10).content == LOG_CHUNK_PAYLOAD["content"]
    first, second = server.requests
    assert first.path.endswith("/logs/3") and first.query_params == {"full_content": ["false"]}
    assert second.path.endswith("/logs/2") and second.query_params == {"token": ["abc"]}


def test_an_accessor_sends_a_body_as_the_method_does(server, configuration):
    answer = {"task_instances": [{"dag_id": "etl", "task_id": "load", "dag_run_id": "r1",
                                  "execution_date": "2026-11-26T00:00:00+00:00"}]}
    server.answer(Reply.json(answer), Reply.json(answer))

    with airflow_python_sdk.ApiClient(configuration) as client:
        dags = DAGApi(client)
        data, status, _ = dags.with_http_info.clear_task_instances(
            "etl", ClearTaskInstance(dry_run=True, only_failed=True))
        dags.clear_task_instances("etl", ClearTaskInstance(dry_run=True, only_failed=True))

    assert isinstance(data, TaskInstanceReferenceCollection) and status == 200
    assert data.task_instances[0].task_id == "load"
    through_accessor, plain = server.requests
    assert through_accessor.method == "POST"
    assert json.loads(through_accessor.body)["only_failed"] is True
    assert (through_accessor.path, through_accessor.body) == (plain.path, plain.body)


def test_the_other_keywords_still_combine_with_an_accessor(server, api):
    server.answer(Reply.no_content(headers=[("X-Deleted", "yes")]))

    pending = api.with_http_info.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE,
                                                      async_req=True)

    data, status, headers = pending.get(timeout=10)
    assert (data, status, headers["X-Deleted"]) == (None, 204, "yes")


@pytest.mark.parametrize(("accessor", "option", "value"), [
    ("with_http_info", "_return_http_data_only", True),
    ("without_preload_content", "_preload_content", False),
    ("in_background", "async_req", False),
])
def test_the_accessors_own_keyword_given_again_is_refused_before_sending(
        server, api, accessor, option, value):
    method = getattr(api, accessor).get_task_instance

    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        method("feas_dag", "echo_ok", EXECUTION_DATE, **{option: value})

    assert option in str(caught.value) and "get_task_instance" in str(caught.value)
    assert caught.value.path_to_item == [option]
    assert server.requests == []


@pytest.mark.parametrize("accessor", ACCESSORS)
def test_an_unknown_or_missing_argument_is_named_through_an_accessor(server, api, accessor):
    variants = getattr(api, accessor)

    with pytest.raises(airflow_python_sdk.ApiTypeError) as unknown:
        variants.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, try_index=3)
    with pytest.raises(airflow_python_sdk.ApiTypeError) as missing:
        variants.get_logs("feas_dag", "echo_ok", EXECUTION_DATE)

    assert "get_task_instance" in str(unknown.value) and "'try_index'" in str(unknown.value)
    assert "task_try_number" in str(missing.value)
    assert server.requests == []


def test_an_accessor_calls_a_subclass_override(server, api_client):
    calls = []

    class Audited(TaskInstanceApi):
        def get_task_instance(self, *args, **kwargs):
            calls.append(kwargs)
            return super().get_task_instance(*args, **kwargs)

    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    data, status, _ = Audited(api_client).with_http_info.get_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE)

    assert calls == [{"_return_http_data_only": False}]
    assert (data.task_id, status) == ("echo_ok", 200)


def test_an_accessors_method_reads_as_the_operation(api):
    variant = api.in_background.get_task_instance

    assert variant.__name__ == "get_task_instance"
    assert variant.__doc__ == TaskInstanceApi.get_task_instance.__doc__
    assert inspect.signature(variant) == inspect.signature(api.get_task_instance)
    assert "TaskInstanceApiInBackground" in repr(api.in_background)


@pytest.mark.parametrize("api_class", [getattr(apis, name) for name in apis.__all__])
def test_every_operation_of_every_api_class_has_each_accessor(api_client, api_class):
    operations = {name for name, member in vars(api_class).items()
                  if inspect.isfunction(member) and not name.startswith(("_", "iter_"))}

    assert operations
    for accessor in ACCESSORS:
        variants = type(getattr(api_class(api_client), accessor))
        listed = {name for name in vars(variants) if not name.startswith("_")}
        assert listed == operations, (api_class.__name__, accessor)
