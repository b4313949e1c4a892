"""Turning DAG seed data into the store's DAGs.

A DAG seed is a mapping: `dag_id` (required); `tasks`, a list of task ids or of mappings
(`task_id`, and optionally `downstream` (task ids), `operator`, `retries`, `pool`, `queue`, and
the task's script: `outcome`, `duration`, `log`), which when left out are the task ids its task
instances name; and any of the spec's DAG fields:
`is_paused`, `is_active`, `tags` (names, or `{"name": ...}` objects), `owners`, `description`,
`schedule_interval` (a cron expression as text, Airflow 2's object, or null), `fileloc`,
`dag_display_name`, `timetable_description`, `max_active_runs`, `max_active_tasks`,
`last_parsed_time`, `has_import_errors`. A JSON seed file lists them under "dags", next to its
"task_instances".

A task's script says what the scheduler (scheduler.py) makes of each of its tries:
- `outcome`: "success" (the default), "failed" or "skipped", or a list with one per try, the last
  repeating: ["failed", "success"] fails on try 1 and succeeds on try 2 (a retry, with
  `retries` >= 1, or the run after a clear);
- `duration`: seconds a try takes (0 or more; default: the scheduler's pace);
- `log`: a line the try's log ends with (an error message, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Callable

from .dags import OUTCOMES, StoredDag, StoredTask, cron, dag_fields
from .timestamps import format_timestamp, parse_timestamp


class DagSeedError(ValueError):
    """DAG seed data that does not describe valid DAGs."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def _optional_text(value: Any) -> Any:
    return None if value is None else _text(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of text")
    return list(value)


def _count(value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError("must be a whole number or null")
    return value


def _tags(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValueError("must be a list of tag names")
    return [{"name": _text(tag.get("name") if isinstance(tag, Mapping) else tag)}
            for tag in value]


def _schedule(value: Any) -> Any:
    if isinstance(value, str):
        return cron(value)
    if value is not None and not isinstance(value, Mapping):
        raise ValueError("must be a cron expression, an object or null")
    return None if value is None else dict(value)


def _date(value: Any) -> Any:
    return None if value is None else format_timestamp(parse_timestamp(_text(value)))


_FIELDS: dict[str, Callable[[Any], Any]] = {
    "dag_display_name": _text, "is_paused": _flag, "is_active": _flag, "tags": _tags,
    "owners": _texts, "description": _optional_text, "schedule_interval": _schedule,
    "timetable_description": _optional_text, "fileloc": _text, "max_active_runs": _count,
    "max_active_tasks": _count, "last_parsed_time": _date, "has_import_errors": _flag,
}


def build_dags(seed: Iterable[Mapping[str, Any]]) -> list[StoredDag]:
    dags = []
    seen: set[str] = set()
    for position, item in enumerate(seed):
        try:
            dag = _build_dag(item)
        except (ValueError, TypeError) as error:
            raise DagSeedError(f"DAG #{position} of the seed: {error}") from None
        if dag.dag_id in seen:
            raise DagSeedError(f"DAG #{position} of the seed repeats {dag.dag_id!r}")
        seen.add(dag.dag_id)
        dags.append(dag)
    return dags


def _build_dag(item: Mapping[str, Any]) -> StoredDag:
    if not isinstance(item, Mapping):
        raise ValueError("must be a mapping")
    data = dict(item)
    dag_id = _text(data.pop("dag_id", None)) if "dag_id" in data else None
    if not dag_id:
        raise ValueError("dag_id is required")
    tasks = [_build_task(task) for task in data.pop("tasks", [])]
    given = {}
    for name, value in data.items():
        check = _FIELDS.get(name)
        if check is None:
            raise ValueError(f"{name!r} is not a DAG field or 'tasks'")
        try:
            given[name] = check(value)
        except ValueError as error:
            raise ValueError(f"{name} {error}") from None
    if "schedule_interval" in given and "timetable_description" not in given:
        schedule = given["schedule_interval"]
        given["timetable_description"] = (
            f"Cron: {schedule['value']}" if schedule and "value" in schedule
            else "Never, external triggers only")
    return StoredDag(dag_fields(dag_id, **given), {task.task_id: task for task in tasks})


def _build_task(value: Any) -> StoredTask:
    if isinstance(value, str):
        return StoredTask(value)
    if not isinstance(value, Mapping) or not isinstance(value.get("task_id"), str):
        raise ValueError("each task must be a task id, or a mapping with a task_id")
    task_id = value["task_id"]
    unknown = set(value) - {"task_id", "downstream", "operator", "retries", "pool", "queue",
                            "outcome", "duration", "log"}
    if unknown:
        raise ValueError(f"task {task_id!r}: {sorted(unknown)} not known")
    retries = value.get("retries", 0)
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"task {task_id!r}: retries must be a whole number >= 0")
    try:
        outcomes = _outcomes(value.get("outcome", "success"))
        duration = _duration(value.get("duration"))
        log = _optional_text(value.get("log"))
    except ValueError as error:
        raise ValueError(f"task {task_id!r}: {error}") from None
    return StoredTask(task_id, _texts(value.get("downstream", [])),
                      _optional_text(value.get("operator")), retries,
                      _text(value.get("pool", "default_pool")),
                      _text(value.get("queue", "default")), outcomes, duration, log)


def _outcomes(value: Any) -> tuple[str, ...]:
    listed = [value] if isinstance(value, str) else value
    if (not isinstance(listed, list) or not listed
            or not all(isinstance(item, str) and item in OUTCOMES for item in listed)):
        raise ValueError(f"outcome must be one of {list(OUTCOMES)}, or a non-empty list of them "
                         "(one per try)")
    return tuple(listed)


def _duration(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e6:
        raise ValueError("duration must be a number of seconds, 0 or more")
    return float(value)
