"""The "auto" dialect asks /version once and then speaks Airflow 2, Airflow 3 or the draft."""

from __future__ import annotations

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, recorded, token_reply
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk import (
    ApiClient,
    ApiConnectionError,
    ApiValueError,
    Configuration,
    ServiceException,
)
from airflow_python_sdk._operation import CallOptions
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects.airflow2 import Airflow2Dialect
from airflow_python_sdk.dialects.airflow3 import Airflow3Dialect
from airflow_python_sdk.dialects.auto import AutoDialect
from airflow_python_sdk.dialects.spec import SpecDialect


def test_airflow_2_is_recognised_and_asked_once(server: RecordingServer, make_api) -> None:
    api = make_api("auto", "/api/v1")
    server.answer(recorded("v2_version.json"), recorded("v2_dagruns_by_date.json"),
                  recorded("v2_ti_echo_ok.json"), recorded("v2_ti_fail_task.json"))

    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    api.get_task_instance(DAG_ID, "fail_task", EXECUTION_DATE)

    version = server.requests[0]
    assert (version.method, version.path) == ("GET", "/api/v1/version")
    assert version.header("Authorization") is None  # /version needs no credentials
    assert [r.path for r in server.requests].count("/api/v1/version") == 1
    dialect = api.api_client.dialect()
    assert isinstance(dialect, AutoDialect) and dialect.server_version == "2.10.5"
    assert isinstance(dialect.chosen(api.api_client.channel, CallOptions()), Airflow2Dialect)


def test_airflow_3_is_recognised_and_gets_its_token(server: RecordingServer, make_api) -> None:
    api = make_api("auto", "/api/v2")
    server.answer(recorded("v3_version_noauth.json"), token_reply(),
                  recorded("v3_dagruns_by_date.json"), recorded("v3_ti_echo_ok.json"))

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert [r.path for r in server.requests][:2] == ["/api/v2/version", "/auth/token"]
    assert ti.execution_date is not None
    assert isinstance(api.api_client.dialect().chosen(api.api_client.channel, CallOptions()),
                      Airflow3Dialect)


def test_a_root_url_is_tried_as_is_then_under_api_v2_then_api_v1(server: RecordingServer,
                                                      make_api) -> None:
    api = make_api("auto")

    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/version":  # a web UI's page, not an API
            return Reply.text("<html>sign in</html>", content_type="text/html")
        if request.path == "/api/v1/version":
            return recorded("v2_version.json")
        if request.path.endswith("/dagRuns"):
            return recorded("v2_dagruns_by_date.json")
        if request.path.startswith("/api/v1/dags/"):
            return recorded("v2_ti_echo_ok.json")
        return Reply.json({"error": "API route not found"}, status=404)

    server.handler = answer

    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert [r.path for r in server.requests][:4] == [
        "/version", "/api/v2/version", "/api/v1/version", f"/api/v1/dags/{DAG_ID}/dagRuns"]


def test_a_server_without_version_speaks_the_draft(server: RecordingServer, make_api) -> None:
    api = make_api("auto", "/api/v1")
    server.handler = lambda request: (
        Reply.json({"task_id": "echo_ok"}) if "taskInstances" in request.path
        else Reply.json({"title": "Not Found", "status": 404}, status=404))

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok"
    assert server.requests[-1].path.startswith(f"/api/v1/dags/{DAG_ID}/taskInstances/echo_ok/")
    chosen = api.api_client.dialect().chosen(api.api_client.channel, CallOptions())
    assert isinstance(chosen, SpecDialect)


def test_a_failed_question_is_not_remembered(server: RecordingServer, make_api) -> None:
    api = make_api("auto", "/api/v1", retries=0)
    server.answer(Reply.json({"title": "Service Unavailable"}, status=503),
                  recorded("v2_version.json"), recorded("v2_dagruns_by_date.json"),
                  recorded("v2_ti_echo_ok.json"))

    with pytest.raises(ServiceException):
        api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    dialect = api.api_client.dialect()
    assert isinstance(dialect, AutoDialect) and dialect.server_version is None

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok" and dialect.server_version == "2.10.5"
    assert [r.path for r in server.requests].count("/api/v1/version") == 2


def test_an_unreachable_server_is_a_connection_error() -> None:
    with RecordingServer() as gone:
        url = gone.url
    configuration = Configuration(host=url + "/api/v1", dialect="auto", timeout=(2.0, 2.0))
    configuration.retries = 0
    with ApiClient(configuration) as client, pytest.raises(ApiConnectionError):
        TaskInstanceApi(client).get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)


def test_bad_arguments_are_refused_before_the_question(server: RecordingServer,
                                                       make_api) -> None:
    api = make_api("auto", "/api/v1")

    with pytest.raises(ApiValueError, match="`execution_date`"):
        api.get_task_instance(DAG_ID, "echo_ok", "2026-11-26T00:00:00")
    assert server.requests == []


@pytest.mark.parametrize("version", ["1.10.15", "banana"])
def test_other_versions_are_refused_clearly(server: RecordingServer, make_api,
                                            version: str) -> None:
    api = make_api("auto", "/api/v1")
    server.answer(Reply.json({"version": version}))

    with pytest.raises(ApiValueError, match=version):
        api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
