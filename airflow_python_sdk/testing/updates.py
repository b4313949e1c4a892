"""What a PATCH asks to change: its body read through its update_mask, every value checked.

With a mask, only the named fields change, and each must be a modifiable field the body sets;
without one, every modifiable field the body sets changes. The body may repeat the task
instance's identity but not contradict it. Any problem is a 400 and nothing changes.
"""

from __future__ import annotations

import json
from typing import Any

from .fields import IDENTITY_FIELDS, MODIFIABLE_FIELDS, TASK_INSTANCE_FIELDS, check_field
from .problems import bad_request
from .routes import Route
from .timestamps import parse_timestamp


def requested_changes(body: bytes, query: dict[str, list[str]], route: Route,
                      map_index: int = -1) -> dict[str, Any]:
    """The checked values to store, by field name."""
    return _changes(_json_object(body), _update_mask(query), route, map_index)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("The request body is not JSON.") from None
    except RecursionError:
        # Nested deeper than the parser goes: the client's error, as Airflow answers it.
        raise bad_request("The request body is nested too deeply.") from None
    if not isinstance(document, dict):
        raise bad_request("The request body must be a TaskInstance object.")
    return document


def _update_mask(query: dict[str, list[str]]) -> list[str]:
    # The spec says form style without explode ("a,b"); repeated parameters are accepted too.
    names = [name.strip() for value in query.get("update_mask", []) for name in value.split(",")]
    return [name for name in names if name]


def _changes(body: dict[str, Any], mask: list[str], route: Route,
             map_index: int) -> dict[str, Any]:
    """The checked values PATCH will store: the masked fields, or every modifiable one sent."""
    for name in body:
        if name not in TASK_INSTANCE_FIELDS:
            raise bad_request(f"{name!r} is not a TaskInstance field.")
    for name in mask:
        if name not in TASK_INSTANCE_FIELDS:
            raise bad_request(f"update_mask: {name!r} is not a TaskInstance field.")
        if name not in MODIFIABLE_FIELDS:
            raise bad_request(f"update_mask: {name!r} cannot be updated.")
        if name not in body:
            raise bad_request(f"update_mask names {name!r}, but the body does not set it.")
    _check_identity(body, route, map_index)
    names = mask or [name for name in MODIFIABLE_FIELDS if name in body]
    changes = {}
    for name in names:
        try:
            changes[name] = check_field(name, body[name])
        except ValueError as error:
            raise bad_request(str(error)) from None
    return changes


def _check_identity(body: dict[str, Any], route: Route, map_index: int) -> None:
    """A body may repeat the path's identity, but not contradict it."""
    path_values: dict[str, Any] = {"dag_id": route.dag_id, "task_id": route.task_id,
                                   "map_index": map_index}
    for name in IDENTITY_FIELDS:
        if name not in body:
            continue
        if name == "execution_date":
            try:
                same = parse_timestamp(str(body[name])) == parse_timestamp(route.execution_date)
            except ValueError:
                same = False
        else:
            same = body[name] == path_values[name]
        if not same:
            raise bad_request(f"{name} in the body does not match the path; it cannot be updated.")
