"""Error statuses: the exception class each one raises, the parsed problem and the message."""

from __future__ import annotations

import pytest
from core.payloads import EXECUTION_DATE, TASK_INSTANCE_PAYLOAD, problem, real_answer
from support.recording_server import Reply

import airflow_python_sdk
import airflow_python_sdk.exceptions as exceptions_module
from airflow_python_sdk.model.error import Error
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

STATUS_FAMILIES = [
    (400, "BadRequestException"),
    (401, "UnauthorizedException"),
    (403, "ForbiddenException"),
    (404, "NotFoundException"),
    (409, "ConflictException"),
    (500, "ServiceException"),
    (502, "ServiceException"),
    (503, "ServiceException"),
]

EXCEPTION_NAMES = [
    "OpenApiException",
    "ApiTypeError",
    "ApiValueError",
    "ApiKeyError",
    "ApiAttributeError",
    "ApiException",
    "BadRequestException",
    "UnauthorizedException",
    "ForbiddenException",
    "NotFoundException",
    "ConflictException",
    "ServiceException",
]

SECRET_HEADER_VALUE = "session=do-not-print-me"


@pytest.fixture
def configuration(configuration):
    # One request per call, so that each scripted answer meets exactly one call; how the
    # default retry policy ends a bad status is tested in test_transport.py.
    configuration.retries = 0
    return configuration


@pytest.mark.parametrize("name", EXCEPTION_NAMES)
def test_every_exception_is_importable_from_the_package_and_the_module(name):
    from_package = getattr(airflow_python_sdk, name)
    assert from_package is getattr(exceptions_module, name)
    assert issubclass(from_package, exceptions_module.OpenApiException)


def test_the_status_exceptions_are_api_exceptions():
    for _, name in STATUS_FAMILIES:
        assert issubclass(getattr(airflow_python_sdk, name), airflow_python_sdk.ApiException)
    assert issubclass(airflow_python_sdk.ApiTypeError, TypeError)
    assert issubclass(airflow_python_sdk.ApiValueError, ValueError)
    assert issubclass(airflow_python_sdk.ApiKeyError, KeyError)
    assert issubclass(airflow_python_sdk.ApiAttributeError, AttributeError)


def test_api_exception_can_be_built_from_its_four_parts():
    error = airflow_python_sdk.ApiException(404, "Not Found", '{"title": "x"}', {"X-A": "1"})
    assert (error.status, error.reason) == (404, "Not Found")
    assert "x" in (error.body if isinstance(error.body, str) else error.body.decode())
    assert error.headers["X-A"] == "1"
    assert "404" in str(error)
    assert "X-A" not in str(error)


def body_text(error: airflow_python_sdk.ApiException) -> str:
    body = error.body
    return body.decode("utf-8") if isinstance(body, bytes) else body


@pytest.mark.parametrize(("status", "name"), STATUS_FAMILIES)
def test_each_status_raises_its_exception_with_the_parsed_problem(server, api, status, name):
    sent = problem(status, f"Title {status}", f"Detail for {status}")
    server.answer(Reply.json(sent, status=status, content_type="application/problem+json"))

    with pytest.raises(getattr(airflow_python_sdk, name)) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    error = caught.value
    assert error.status == status
    assert isinstance(error.reason, str) and error.reason
    assert f"Detail for {status}" in body_text(error)
    assert isinstance(error.error, Error)
    assert error.error.title == f"Title {status}"
    assert error.error.detail == f"Detail for {status}"
    assert error.error.status == status
    assert error.error.type == sent["type"]


def test_a_status_without_a_family_raises_the_base_exception(server, api):
    server.answer(Reply.json(problem(418, "I'm a teapot"), status=418))

    with pytest.raises(airflow_python_sdk.ApiException) as caught:
        api.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert caught.value.status == 418
    for _, name in STATUS_FAMILIES:
        assert not isinstance(caught.value, getattr(airflow_python_sdk, name))


def test_the_message_names_method_path_status_title_and_detail_but_no_headers(server, api):
    sent = real_answer("v2_patch_missing_run.json")
    secret_headers = [("Set-Cookie", SECRET_HEADER_VALUE), ("X-Internal-Trace", "trace-77331")]
    server.answer(Reply.json(sent, status=404, headers=secret_headers))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.update_task_instance(
            "feas_dag", "fail_task", EXECUTION_DATE, TaskInstance(state=TaskState("success"))
        )

    message = str(caught.value)
    assert "PATCH" in message
    assert "/dags/feas_dag/taskInstances/fail_task" in message
    assert "404" in message
    assert "Not Found" in message
    assert "Task instance not found for task 'fail_task'" in message
    assert SECRET_HEADER_VALUE not in message
    assert "trace-77331" not in message
    assert "Set-Cookie" not in message
    # The headers are still there for whoever needs them.
    assert caught.value.headers["X-Internal-Trace"] == "trace-77331"


def test_error_headers_are_looked_up_without_regard_to_case(server, api):
    # HTTP header names are case-insensitive (RFC 9110, 5.1); a Retry-After or a request id is
    # read from an error whatever case the server wrote it in.
    server.answer(Reply.json(problem(409, "Conflict"), status=409, headers=[("Retry-After", "7")]))

    with pytest.raises(airflow_python_sdk.ConflictException) as caught:
        api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(pool="p"))

    assert caught.value.headers["retry-after"] == "7"
    assert caught.value.headers.get("RETRY-AFTER") == "7"


def test_the_message_never_shows_the_credentials(server, api):
    server.answer(Reply.json(real_answer("v2_err_401_wrong_creds.json"), status=401))

    with pytest.raises(airflow_python_sdk.UnauthorizedException) as caught:
        api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)

    message = str(caught.value) + repr(caught.value)
    authorization = server.last.header("Authorization")
    assert authorization and authorization.split(" ", 1)[1] not in message
    assert "Unauthorized" in message
    assert "GET" in message


def test_a_real_airflow_400_is_a_bad_request_with_its_detail(server, api):
    sent = real_answer("v2_patch_bad_state.json")
    server.answer(Reply.json(sent, status=400))

    with pytest.raises(airflow_python_sdk.BadRequestException) as caught:
        api.update_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(state=TaskState("running"))
        )

    assert caught.value.error.detail == sent["detail"]
    assert sent["detail"] in str(caught.value)


def test_a_null_detail_is_read_as_none(server, api):
    server.answer(Reply.json(real_answer("v2_err_404_missing_ti.json"), status=404))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert caught.value.error.detail is None
    assert caught.value.error.title == "Task instance not found"
    assert "Task instance not found" in str(caught.value)


def test_a_non_json_error_body_has_no_problem_but_keeps_the_body(server, api):
    server.answer(Reply(502, b"<html>Bad gateway</html>", [("Content-Type", "text/html")]))

    with pytest.raises(airflow_python_sdk.ServiceException) as caught:
        api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert caught.value.status == 502
    assert caught.value.error is None
    assert "Bad gateway" in body_text(caught.value)
    assert "502" in str(caught.value)


def test_errors_from_every_operation_carry_the_problem(server, api):
    calls = [
        lambda: api.get_task_instance("d", "t", EXECUTION_DATE),
        lambda: api.get_extra_links("d", "t", EXECUTION_DATE),
        lambda: api.get_logs("d", "t", EXECUTION_DATE, 1),
        lambda: api.update_task_instance("d", "t", EXECUTION_DATE, TaskInstance(pool="p")),
        lambda: api.delete_task_instance("d", "t", EXECUTION_DATE),
    ]
    for call in calls:
        server.answer(Reply.json(problem(403, "Forbidden", "no access"), status=403))
        with pytest.raises(airflow_python_sdk.ForbiddenException) as caught:
            call()
        assert caught.value.error.detail == "no access"
    assert [r.method for r in server.requests] == ["GET", "GET", "GET", "PATCH", "DELETE"]


def test_a_success_after_an_error_reuses_the_client(server, api):
    server.answer(
        Reply.json(problem(404, "Not Found"), status=404), Reply.json(TASK_INSTANCE_PAYLOAD)
    )

    with pytest.raises(airflow_python_sdk.NotFoundException):
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok"


# -- bodies that are not the problems this spec describes ---------------------------------------

# Airflow 3 answers with {"detail": ...} only: still an RFC 7807 problem, since every member of
# one is optional.
AIRFLOW_3_PROBLEMS = [
    (404, "v3_err_404_missing_ti.json", airflow_python_sdk.NotFoundException),
    (401, "v3_err_401_basic_auth.json", airflow_python_sdk.UnauthorizedException),
    (404, "v3_delete_missing_ti.json", airflow_python_sdk.NotFoundException),
    (400, "v3_logs_bad_token.json", airflow_python_sdk.BadRequestException),
]


@pytest.mark.parametrize(("status", "name", "exception"), AIRFLOW_3_PROBLEMS)
def test_a_detail_only_problem_is_parsed(server, api, status, name, exception):
    sent = real_answer(name)
    server.answer(Reply.json(sent, status=status))

    with pytest.raises(exception) as caught:
        api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1, token="abc")

    assert caught.value.status == status
    assert isinstance(caught.value.error, Error)
    assert caught.value.error.detail == sent["detail"]
    assert sent["detail"] in str(caught.value)


BAD_STATE = real_answer("v3_patch_bad_state.json")
WRONG_TYPES = {"title": 404, "status": "not a number", "detail": {"nested": True}}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # A problem's fields, even of unexpected types, are kept as the server sent them.
        (BAD_STATE, BAD_STATE),  # detail is a list of validation errors
        (WRONG_TYPES, WRONG_TYPES),
        # No JSON object: there is no problem to parse, only the body to quote.
        (["not", "an", "object"], None),
        ("just a string", None),
        (None, None),
    ],
    ids=["detail-list", "wrong-types", "array", "string", "null"],
)
def test_an_unexpected_error_body_still_raises_the_status_exception(server, api, body, problem):
    server.answer(Reply.json(body, status=404))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.update_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
        )

    error = caught.value
    assert error.status == 404
    message = str(error)
    assert "404" in message
    assert "PATCH" in message
    if problem is None:
        assert error.error is None
    else:
        assert isinstance(error.error, Error)
        assert error.error.to_dict() == problem


def test_an_empty_error_body(server, api):
    server.answer(Reply(403, b"", [("Content-Type", "application/json")]))

    with pytest.raises(airflow_python_sdk.ForbiddenException) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert caught.value.status == 403
    assert caught.value.error is None
    assert "403" in str(caught.value)
