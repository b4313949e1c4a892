"""Matching request paths to the operations of openapi.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote

from .problems import ApiProblem

BASE_PATH = "/api/v1"

# method -> operation id on the task instance path; the keys also make the 405 Allow header
_ITEM_METHODS = {
    "GET": "getTaskInstance",
    "PATCH": "updateTaskInstance",
    "DELETE": "deleteTaskInstance",
}


@dataclass(frozen=True)
class Route:
    operation_id: str
    dag_id: str
    task_id: str
    execution_date: str  # as sent; parsed later so that a bad date can get its own 400
    try_number: Optional[str] = None  # logs only


def match(method: str, path: str) -> Route:
    """The operation a method and path name, or a 404 / 405 problem."""
    segments = _segments(path)
    if segments is None:
        raise _no_such_path()
    if len(segments) == 5:
        operations = _ITEM_METHODS
    elif len(segments) == 6 and segments[5] == "links":
        operations = {"GET": "getExtraLinks"}
    elif len(segments) == 7 and segments[5] == "logs":
        operations = {"GET": "getLogs"}
    else:
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
    dag_id, task_id, execution_date = segments[1], segments[3], segments[4]
    try_number = segments[6] if operation_id == "getLogs" else None
    return Route(operation_id, dag_id, task_id, execution_date, try_number)


def _segments(path: str) -> Optional[list[str]]:
    if not path.startswith(BASE_PATH + "/"):
        return None
    # Split before decoding, so a "%2F" inside an id stays part of that id.
    raw = path[len(BASE_PATH) + 1 :].split("/")
    if len(raw) < 5 or raw[0] != "dags" or raw[2] != "taskInstances":
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
