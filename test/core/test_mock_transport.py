"""ApiClient over MockTransport: every layer above the transport, without a socket."""

from __future__ import annotations

import pytest

import airflow_python_sdk
from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api_client import AsyncResult
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.testing import MockTransport, json_response
from airflow_python_sdk.transport import Request, Response

HOST = "http://airflow.test/api/v1"
EXECUTION_DATE = "2026-11-26T00:00:00+00:00"
TI = {"dag_id": "etl", "task_id": "load", "state": "success", "try_number": 2}


def client_with(handler) -> tuple[TaskInstanceApi, MockTransport]:
    transport = MockTransport(handler)
    config = Configuration(host=HOST, username="admin", password="secret")
    return TaskInstanceApi(ApiClient(config, transport=transport)), transport


def test_a_call_goes_through_the_given_transport_and_reads_the_model():
    api, transport = client_with(lambda request: json_response(TI))

    ti = api.get_task_instance("etl", "load", EXECUTION_DATE)

    assert isinstance(ti, TaskInstance)
    assert (ti.dag_id, ti.try_number) == ("etl", 2)
    (request,) = transport.requests
    assert request.method == "GET"
    assert request.url == (f"{HOST}/dags/etl/taskInstances/load/"
                           "2026-11-26T00%3A00%3A00%2B00%3A00")
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["Accept"] == "application/json"


def test_an_error_status_raises_its_exception_with_the_parsed_problem():
    problem = {"title": "Task instance not found", "status": 404, "detail": "no such TI"}
    api, _ = client_with(lambda request: json_response(problem, status=404))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.get_task_instance("etl", "load", EXECUTION_DATE)

    assert isinstance(caught.value, airflow_python_sdk.ApiStatusError)
    assert caught.value.error is not None
    assert caught.value.error.detail == "no such TI"
    assert caught.value.status == 404


def test_the_call_options_shape_the_result_the_same_way():
    api, _ = client_with(lambda request: json_response(TI, headers={"X-Trace": "7"}))

    data, status, headers = api.get_task_instance("etl", "load", EXECUTION_DATE,
                                                  _return_http_data_only=False)
    assert (data.task_id, status, headers["x-trace"]) == ("load", 200, "7")

    raw = api.get_task_instance("etl", "load", EXECUTION_DATE, _preload_content=False)
    assert not isinstance(raw, TaskInstance)
    assert b'"task_id": "load"' in raw.read()

    pending = api.get_task_instance("etl", "load", EXECUTION_DATE, async_req=True)
    assert isinstance(pending, AsyncResult)
    assert pending.get(timeout=10).task_id == "load"
    api.api_client.close()


def test_a_form_body_of_call_api_is_urlencoded_with_its_content_type():
    transport = MockTransport(lambda request: Response(204, {}, b""))
    with ApiClient(Configuration(host=HOST), transport=transport) as client:
        client.call_api("/forms", "POST", post_params=[("a", "x y&z=1"), ("b", "2")])

    (request,) = transport.requests
    assert request.body == b"a=x+y%26z%3D1&b=2"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert transport.closed


def test_a_handler_that_raises_plays_a_server_that_never_answers():
    def silent(request: Request) -> Response:
        raise airflow_python_sdk.ApiTimeoutError("no answer", method=request.method,
                                                 url=request.display_url)

    api, _ = client_with(silent)
    with pytest.raises(airflow_python_sdk.ApiTimeoutError):
        api.get_task_instance("etl", "load", EXECUTION_DATE)


@pytest.mark.parametrize("dialect", ["draft", "airflow2", "airflow3"])
def test_the_password_of_a_host_url_shows_in_no_error_and_no_recorded_request(dialect):
    host = "http://night-job:pa55word@airflow.test" + ("/api/v2" if dialect == "airflow3"
                                                       else "/api/v1")
    transport = MockTransport(lambda request: json_response(
        {"title": "Not Found", "detail": "no such task instance", "status": 404}, status=404))
    api = TaskInstanceApi(ApiClient(Configuration(host=host, dialect=dialect),
                                    transport=transport))

    with pytest.raises(airflow_python_sdk.ApiException) as caught:
        api.get_task_instance("etl", "load", EXECUTION_DATE)

    shown = [str(caught.value), repr(caught.value), caught.value.url or ""]
    shown += [repr(request) for request in transport.requests]
    shown += [request.url + request.display_url for request in transport.requests]
    assert transport.requests and all("pa55word" not in text for text in shown), shown
    assert "night-job:***@airflow.test" in str(caught.value)
