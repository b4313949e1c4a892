"""JSON nested deeper than Python's recursion allows, in an error's problem or in a task
instance's unknown field: every outcome is a value or an `ApiException` (an `ApiValueError` for
an argument), never a RecursionError, on every dialect and in the command's output."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, PASSWORD, USERNAME
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

DIALECTS = {"draft": "/api/v1", "airflow2": "/api/v1", "airflow3": "/api/v2"}
RUNS = {"dag_runs": [{"dag_run_id": "run_1", "execution_date": "2026-11-26T00:00:00+00:00",
                      "logical_date": "2026-11-26T00:00:00+00:00"}], "total_entries": 1}
TI = {"task_id": "extract", "dag_id": "etl_daily", "execution_date": "2026-11-26T00:00:00+00:00",
      "logical_date": "2026-11-26T00:00:00+00:00", "state": "success", "try_number": 1}
DEPTHS = st.sampled_from([1, 50, 300, 600, 900, 990, 1100, 3000, 100_000])
SHAPES = st.sampled_from(["bare", "detail", "detail-object", "unknown-field"])


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def problem_body(shape: str, depth: int) -> bytes:
    if shape == "bare":
        return nested(depth)
    if shape == "detail":
        return b'{"title": "Bad", "detail": ' + nested(depth) + b"}"
    if shape == "detail-object":
        return b'{"title": "Bad", "detail": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"
    return b'{"title": "Bad", "detail": "x", "extra": ' + nested(depth) + b"}"


def serving(dialect: str, answer: Reply):
    def handler(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return Reply.json({"access_token": "tok"}, status=201)
        if request.path.endswith("/dagRuns"):
            return Reply.json(RUNS)
        return answer
    return handler


def client_for(url: str, dialect: str) -> airflow_python_sdk.ApiClient:
    config = airflow_python_sdk.Configuration(host=url + DIALECTS[dialect], username=USERNAME,
                                              password=PASSWORD, dialect=dialect,
                                              timeout=(2.0, 5.0))
    config.retries = 0
    return airflow_python_sdk.ApiClient(config)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(dialect=st.sampled_from(sorted(DIALECTS)), shape=SHAPES, depth=DEPTHS,
       status=st.sampled_from([400, 409, 500]))
def test_a_deeply_nested_error_body_is_an_api_exception_that_can_be_shown(dialect, shape, depth,
                                                                         status):
    with RecordingServer() as server:
        server.handler = serving(dialect, Reply(status, problem_body(shape, depth),
                                                [("Content-Type", "application/json")]))
        with client_for(server.url, dialect) as client:
            try:
                TaskInstanceApi(client).get_task_instance("etl", "extract", EXECUTION_DATE)
            except airflow_python_sdk.ApiException as error:
                assert error.status == status
                text = str(error) + repr(error)
                assert len(text) < 2000
            else:
                pytest.fail("an error status must raise")


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_the_command_prints_one_line_for_a_deep_error_body(dialect, capsys):
    body = problem_body("detail", 900)
    with RecordingServer() as server:
        # 501: a server error the SDK does not retry; the body, not the retries, is under test.
        server.handler = serving(dialect, Reply(501, body, [("Content-Type", "application/json")]))
        code = main(["get", "etl", "extract", "2026-11-26T00:00:00+00:00", "--host",
                     server.url + DIALECTS[dialect], "--dialect", dialect, "--user", USERNAME],
                    environ={"AIRFLOW_API_PASSWORD": PASSWORD, "AIRFLOW_API_TIMEOUT": "5"})

    assert code == exit_codes.API_ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err
    assert len(err.splitlines()) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(depth=DEPTHS)
def test_an_unknown_field_of_any_depth_is_read_and_written_back_or_refused_as_api_errors(depth):
    body = json.dumps(TI)[:-1].encode() + b', "extra": ' + nested(depth) + b"}"
    with RecordingServer() as server:
        server.handler = serving("draft", Reply(200, body, [("Content-Type", "application/json")]))
        with client_for(server.url, "draft") as client:
            api = TaskInstanceApi(client)
            try:
                ti = api.get_task_instance("etl", "extract", EXECUTION_DATE)
            except airflow_python_sdk.ResponseValueError:
                return  # deeper than JSON is read: refused as an unreadable answer
            ti.state = TaskState.FAILED
            try:
                api.update_task_instance("etl", "extract", EXECUTION_DATE, ti)
                ti.to_dict()
                str(ti)
            except airflow_python_sdk.ApiValueError as error:
                assert "extra" in str(error) or "nested" in str(error)


def test_a_deep_unknown_field_written_back_from_a_deep_stack_is_refused_by_name():
    # A job deep in its own calls has less room left: the write must still not crash.
    body = json.dumps(TI)[:-1].encode() + b', "extra": ' + nested(600) + b"}"
    with RecordingServer() as server:
        server.handler = serving("draft", Reply(200, body, [("Content-Type", "application/json")]))
        with client_for(server.url, "draft") as client:
            api = TaskInstanceApi(client)
            ti = api.get_task_instance("etl", "extract", EXECUTION_DATE)

            def deep(levels: int) -> object:
                if levels:
                    return deep(levels - 1)
                try:
                    return api.update_task_instance("etl", "extract", EXECUTION_DATE, ti)
                except airflow_python_sdk.ApiValueError as error:
                    return error

            outcome = deep(300)
    assert isinstance(outcome, (TaskInstance, airflow_python_sdk.ApiValueError)), repr(outcome)
