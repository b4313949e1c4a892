"""The TaskInstance fields of openapi.yaml and the checks on values sent for them.

The same checks guard PATCH bodies and seed data, so the store never holds a value the spec
forbids and every response validates against the schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from airflow_python_sdk.model.task_state import TaskState

from .timestamps import (
    InvalidTimestamp,
    UnrepresentableTimestamp,
    format_timestamp,
    parse_timestamp,
)

# Airflow's task states as openapi.yaml lists them (through the generated enum); the server
# refuses any other.
TASK_STATES = frozenset(state.value for state in TaskState)

# They name the task instance; changing them would move it to another key.
IDENTITY_FIELDS = ("dag_id", "task_id", "execution_date", "map_index")
# Shown, but set by the server alone.
_SERVER_FIELDS = ("dag_run_id",)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _integer(value: Any) -> int:
    # bool is an int subclass in Python, but JSON true is not an integer.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be an integer")
    return value


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number")
    return value


def _map_index(value: Any) -> int:
    if _integer(value) < -1:
        raise ValueError("must be -1 (not mapped) or an index from 0")
    return int(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be a boolean")
    return value


def _date_time(value: Any) -> str:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string")
    try:
        return format_timestamp(parse_timestamp(value))
    except (InvalidTimestamp, UnrepresentableTimestamp) as error:
        raise ValueError(str(error)) from None


def _state(value: Any) -> str:
    state = getattr(value, "value", value)  # accepts the SDK's TaskState as well as plain text
    if state not in TASK_STATES:
        raise ValueError(f"{state!r} is not one of {sorted(TASK_STATES)}")
    return str(state)


_SLA_MISS_FIELDS: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "task_id": (_string, False),
    "dag_id": (_string, False),
    "execution_date": (_date_time, False),
    "email_sent": (_boolean, False),
    "timestamp": (_date_time, False),
    "description": (_string, True),
    "notification_sent": (_boolean, False),
}


def _sla_miss(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("must be an object")
    return {name: _check(_SLA_MISS_FIELDS, name, item) for name, item in value.items()}


# name -> (check that returns the stored form, whether null is allowed)
TASK_INSTANCE_FIELDS: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "task_id": (_string, False),
    "dag_id": (_string, False),
    "execution_date": (_date_time, False),
    "start_date": (_date_time, True),
    "end_date": (_date_time, True),
    "duration": (_number, True),
    "state": (_state, True),
    "try_number": (_integer, False),
    "max_tries": (_integer, False),
    "hostname": (_string, False),
    "unixname": (_string, False),
    "job_id": (_integer, True),
    "pool": (_string, False),
    "pool_slots": (_integer, False),
    "queue": (_string, True),
    "priority_weight": (_integer, True),
    "operator": (_string, True),
    "queued_dttm": (_date_time, True),
    "pid": (_integer, True),
    "executor_config": (_string, False),
    "sla_miss": (_sla_miss, True),
    "map_index": (_map_index, False),
    "dag_run_id": (_string, True),
    "note": (_string, True),
}

# The task instance's date-time fields, which a seed must give with a time zone.
DATE_TIME_FIELDS = frozenset(name for name, (check, _) in TASK_INSTANCE_FIELDS.items()
                             if check is _date_time)
MODIFIABLE_FIELDS = tuple(name for name in TASK_INSTANCE_FIELDS
                          if name not in IDENTITY_FIELDS and name not in _SERVER_FIELDS)


def check_field(name: str, value: Any) -> Any:
    """Return the value as stored (date-times as UTC text), or raise ValueError saying why not."""
    return _check(TASK_INSTANCE_FIELDS, name, value)


def _check(table: dict[str, tuple[Callable[[Any], Any], bool]], name: str, value: Any) -> Any:
    if name not in table:
        raise ValueError(f"{name!r} is not a field of the schema")
    check, nullable = table[name]
    if value is None:
        if nullable:
            return None
        raise ValueError(f"{name} may not be null")
    try:
        return check(value)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None
