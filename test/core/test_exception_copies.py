"""Every exception survives pickle and copy (worker processes hand them to their parent), and
keeps what its base classes promise."""

from __future__ import annotations

import copy
import inspect
import pickle

import pytest

import airflow_python_sdk
from airflow_python_sdk import exceptions
from airflow_python_sdk.dialects.problems import parse_problem
from airflow_python_sdk.model.bulk_task_instance_response import BulkTaskInstanceResponse

PROBLEM = '{"title": "Task instance not found", "status": 404, "detail": "no such TI"}'
HEADERS = {"Content-Type": "application/problem+json", "Retry-After": "3"}
BULK_ITEM = {"task_id": "t", "map_index": -1, "new_state": "success", "result": "unknown",
             "status": 500, "error": "the request holding it failed"}


def made(cls: type[BaseException]) -> BaseException:
    """An instance of `cls` with every part its constructor takes set."""
    if cls is exceptions.UnsupportedOperationException:
        return cls("delete_task_instance", "Airflow 2", "no such endpoint")
    if cls is exceptions.PagesChangedException:
        return cls("iter_task_instances", "3 items were expected, 2 came", expected=3, yielded=2)
    if cls is exceptions.BulkChangeException:
        result = BulkTaskInstanceResponse.from_dict({"dag_id": "d", "dag_run_id": "r",
                                                      "task_instances": [BULK_ITEM]})
        cause = exceptions.ServiceException(500, "Server Error", PROBLEM, HEADERS,
                                            error=parse_problem(PROBLEM))
        return cls("bulk_task_instances: 0 of 1 task instances done", result, cause=cause,
                   status=500, method="PATCH", url="http://h/x")
    if cls is exceptions.WaitTimeoutError:
        return cls("run r of d had not finished after 5 s", last_state="running", timeout=5.0,
                   last_error=exceptions.ServiceException(503, "Service Unavailable"))
    if cls is exceptions.DagPausedError:
        return cls("DAG 'd' is paused", dag_id="d", last_state="queued")
    if cls is exceptions.AnswerTooLargeError:
        return cls(1024, status=200, method="GET", url="http://h/api/v1/x")
    if issubclass(cls, exceptions.ApiConnectionError):
        return cls("cannot connect", method="GET", url="http://h/api/v1/x", attempts=2)
    if cls is exceptions.ResponseTypeError:
        return cls(exceptions.ApiTypeError("bad type", path_to_item=["TaskInstance", "x"]),
                   status=200, body=b'{"x": 1}', method="GET", url="http://h/x")
    if cls is exceptions.ResponseValueError:
        return cls("not JSON", status=200, body=b"<html>", path_to_item=["TaskInstance"],
                   method="GET", url="http://h/x")
    if issubclass(cls, exceptions.ApiException):
        return cls(404, "Not Found", PROBLEM, HEADERS, method="GET", url="http://h/x",
                   attempts=3, error=parse_problem(PROBLEM))
    return cls("bad value", path_to_item=["TaskInstance", "state"])


CLASSES = sorted(
    (cls for _, cls in inspect.getmembers(exceptions, inspect.isclass)
     if issubclass(cls, exceptions.OpenApiException) and cls is not exceptions.OpenApiException),
    key=lambda cls: cls.__name__,
)


def parts(error: BaseException) -> dict[str, object]:
    fields = {name: getattr(error, name, None) for name in (
        "status", "reason", "body", "method", "url", "attempts", "path_to_item", "message",
        "limit", "summary", "last_state", "timeout", "dag_id")}
    last_error = getattr(error, "last_error", None)
    fields["last_error"] = None if last_error is None else (type(last_error), str(last_error))
    fields["headers"] = dict(getattr(error, "headers", {}) or {})
    problem = getattr(error, "error", None)
    fields["error"] = None if problem is None else problem.to_dict()
    fields["str"] = str(error)
    result = getattr(error, "result", None)
    fields["result"] = None if result is None else result.to_dict()
    cause = getattr(error, "cause", None)
    fields["cause"] = None if cause is None else (type(cause), str(cause))
    fields["args"] = error.args
    return fields


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_each_exception_survives_pickle_and_copy(cls):
    original = made(cls)
    for again in (pickle.loads(pickle.dumps(original)), copy.copy(original),
                  copy.deepcopy(original)):
        assert type(again) is cls
        assert parts(again) == parts(original)


def test_the_list_of_classes_is_complete():
    assert len(CLASSES) == len(exceptions.__all__) - 3  # minus the base, the two functions
    assert exceptions.ApiStatusError in CLASSES


def test_response_errors_keep_their_message_as_args_not_the_status():
    error = made(exceptions.ResponseTypeError)
    assert error.args == ("bad type",)
    assert error.path_to_item == ["TaskInstance", "x"]
    assert made(exceptions.ResponseValueError).args == ("not JSON",)


def test_status_errors_share_one_base_that_no_connection_error_has():
    for name in ("BadRequestException", "UnauthorizedException", "ForbiddenException",
                 "NotFoundException", "ConflictException", "UnprocessableEntityException",
                 "TooManyRequestsException", "ServiceException", "RunNotFoundException"):
        assert issubclass(getattr(airflow_python_sdk, name), airflow_python_sdk.ApiStatusError)
    assert not issubclass(airflow_python_sdk.ApiConnectionError, airflow_python_sdk.ApiStatusError)
    assert exceptions.exception_for_status(418) is airflow_python_sdk.ApiStatusError
