"""Matching request paths to the operations of openapi.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote

from .problems import ApiProblem

BASE_PATH = "/api/v1"
# Where Airflow answers which release it runs; the embedded server answers there too, saying that
# it speaks the draft spec (see Operations.handle), so that the SDK's "auto" dialect finds it.
VERSION_PATH = BASE_PATH + "/version"

# method -> operation id on the task instance path; the keys also make the 405 Allow header
_ITEM_METHODS = {
    "GET": "getTaskInstance",
    "PATCH": "updateTaskInstance",
    "DELETE": "deleteTaskInstance",
}
# The sub-resources of a task instance: the segment after its path -> method -> operation id.
_TASK_INSTANCE_PARTS = {
    "links": {"GET": "getExtraLinks"},
    "tries": {"GET": "getTaskInstanceTries"},
    "xcomValues": {"GET": "getXComValues"},
}
# The resources of a DAG: the segment after /dags/{dag_id} -> method -> operation id.
_DAG_PARTS = {
    "taskInstances": {"GET": "getTaskInstances"},
    "clearTaskInstances": {"POST": "clearTaskInstances"},
    "updateTaskInstancesState": {"POST": "updateTaskInstancesState"},
    "dagRuns": {"GET": "getDagRuns", "POST": "triggerDagRun"},
}
_DAGS = {"GET": "getDags", "PATCH": "updateDags"}
_DAG = {"GET": "getDag", "PATCH": "updateDag"}
_DAG_RUN = {"GET": "getDagRun", "PATCH": "updateDagRun", "DELETE": "deleteDagRun"}
_DAG_RUN_PARTS = {"clear": {"POST": "clearDagRun"},
                  "taskInstances": {"PATCH": "bulkTaskInstances"}}


@dataclass(frozen=True)
class Route:
    operation_id: str
    dag_id: str
    task_id: str = ""  # empty for the operations on a whole DAG
    execution_date: str = ""  # as sent; parsed later so that a bad date can get its own 400
    try_number: Optional[str] = None  # logs only
    dag_run_id: Optional[str] = None  # the operations on one DAG run
    xcom_key: Optional[str] = None  # getXComValue only

    @property
    def addresses_task_instance(self) -> bool:
        return bool(self.execution_date)


def match(method: str, path: str) -> Route:
    """The operation a method and path name, or a 404 / 405 problem."""
    if path == VERSION_PATH:
        return _route({"GET": "getVersion"}, method, "")
    segments = _segments(path)
    if segments is None:
        raise _no_such_path()
    count = len(segments)
    if count == 1:
        return _route(_DAGS, method, "")
    if count == 2:
        return _route(_DAG, method, segments[1])
    if count == 3:
        return _route(_DAG_PARTS.get(segments[2]), method, segments[1])
    if count == 4 and segments[2] == "dagRuns":
        return _route(_DAG_RUN, method, segments[1], dag_run_id=segments[3])
    if count == 5 and segments[2] == "dagRuns":
        return _route(_DAG_RUN_PARTS.get(segments[4]), method, segments[1],
                      dag_run_id=segments[3])
    if count < 5 or segments[2] != "taskInstances":
        raise _no_such_path()
    dag_id, task_id, execution_date = segments[1], segments[3], segments[4]
    operations: Optional[dict[str, str]]
    if count == 5:
        operations = _ITEM_METHODS
    elif count == 6:
        operations = _TASK_INSTANCE_PARTS.get(segments[5])
    elif count == 7 and segments[5] == "logs":
        return _route({"GET": "getLogs"}, method, dag_id, task_id=task_id,
                      execution_date=execution_date, try_number=segments[6])
    elif count == 7 and segments[5] == "xcomValues":
        return _route({"GET": "getXComValue"}, method, dag_id, task_id=task_id,
                      execution_date=execution_date, xcom_key=segments[6])
    else:
        raise _no_such_path()
    return _route(operations, method, dag_id, task_id=task_id, execution_date=execution_date)


def _route(operations: Optional[dict[str, str]], method: str, dag_id: str, *,
           task_id: str = "", execution_date: str = "", try_number: Optional[str] = None,
           dag_run_id: Optional[str] = None, xcom_key: Optional[str] = None) -> Route:
    if operations is None:
        raise _no_such_path()
    operation_id = operations.get(method)
    if operation_id is None:
        allowed = ", ".join(operations)
        raise ApiProblem(
            405,
            f"{method} is not allowed here; use {allowed}.",
            title="Method Not Allowed",
            headers={"Allow": allowed},
        )
    return Route(operation_id, dag_id, task_id, execution_date, try_number, dag_run_id, xcom_key)


def _segments(path: str) -> Optional[list[str]]:
    if not path.startswith(BASE_PATH + "/"):
        return None
    # Split before decoding, so a "%2F" inside an id stays part of that id.
    raw = path[len(BASE_PATH) + 1 :].split("/")
    if raw[0] != "dags":
        return None
    segments = [unquote(segment) for segment in raw]
    if any(segment == "" for segment in segments):
        return None
    return segments


def _no_such_path() -> ApiProblem:
    return ApiProblem(
        404,
        "The requested URL was not found on the server.",
        title="Not Found",
        problem_type="about:blank",
    )
