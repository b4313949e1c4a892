"""TaskInstanceApi's wait: `wait_for_task_instances`, typically for what a clear answers.

The task instances are grouped by DAG run (DAG id and execution date), and each poll reads each
run's with one list call (`get_task_instances` filtered to the run's date and the task ids
waited for; more pages only for runs of over a hundred of them), not one call per task instance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Protocol, Union, cast

from airflow_python_sdk._errors import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    NotFoundException,
    WaitTimeoutError,
)
from airflow_python_sdk._operation.paging import PAGE_SIZE
from airflow_python_sdk._waiting.pace import (
    DEFAULT_POLL_INTERVAL,
    Clock,
    Pace,
    checked_seconds,
)
from airflow_python_sdk._waiting.paused import NOT_STARTED, PausedCheck
from airflow_python_sdk._waiting.polling import Poller
from airflow_python_sdk._waiting.states import FINISHED_TASK_STATES, state_text

if TYPE_CHECKING:
    from airflow_python_sdk._client import ApiClient
    from airflow_python_sdk.model.task_instance import TaskInstance
    from airflow_python_sdk.model.task_instance_collection import TaskInstanceCollection
    from airflow_python_sdk.model.task_instance_reference import TaskInstanceReference

__all__ = ["TaskInstanceWaits", "WaitedFor"]


class WaitedFor(NamedTuple):
    """One task instance a wait waits for."""

    dag_id: str
    dag_run_id: Optional[str]
    task_id: str
    execution_date: datetime
    map_index: int

    @property
    def state_key(self) -> tuple[str, Optional[str], str, int]:
        """Its key in `WaitTimeoutError.last_state`."""
        return (self.dag_id, self.dag_run_id, self.task_id, self.map_index)

    def describe(self) -> str:
        mapped = f"[{self.map_index}]" if self.map_index >= 0 else ""
        return (f"task instance {self.dag_id}.{self.task_id}{mapped} at "
                f"{self.execution_date.isoformat()}")


class _TaskInstanceOperations(Protocol):
    """What the wait uses of the class that inherits it (the generated TaskInstanceApi)."""

    api_client: ApiClient

    def get_task_instances(self, dag_id: str, *, execution_date_gte: Any = None,
                           execution_date_lte: Any = None, task_id: Any = None,
                           limit: Optional[int] = None, offset: Optional[int] = None,
                           _request_timeout: Any = None,
                           _retries: Any = None) -> TaskInstanceCollection: ...


Items = Union[Iterable[Union["TaskInstanceReference", "TaskInstance"]], Any]
_Found = dict[WaitedFor, "TaskInstance"]


class TaskInstanceWaits:
    """The waiting method of TaskInstanceApi (hand-written; the class that inherits it is
    generated)."""

    api_client: ApiClient

    def wait_for_task_instances(self, task_instances: Items, timeout: float = 3600.0,
                                poll_interval: Optional[float] = None) -> list[TaskInstance]:
        """Wait until each task instance has finished and return them, with their new try
        numbers.

        Finished is success, failed, skipped, upstream_failed or removed. They are returned as
        the last poll read them, in the order given.

        `task_instances`: what a clear answers (a `TaskInstanceReferenceCollection`, or its
        `task_instances`), or `TaskInstance` items: anything with `dag_id`, `task_id`,
        `execution_date` and optionally `map_index` and `dag_run_id` (dicts too). Each poll
        reads each DAG run's task instances with one list request. `timeout` and
        `poll_interval` work as for `DAGRunApi.wait_for_dag_run`.

        Raises `WaitTimeoutError` (its `last_state` a dict with one entry per task instance,
        keyed by `(dag_id, dag_run_id, task_id, map_index)`) when the time is up;
        `DagPausedError` when some have not started and their DAG is paused;
        `NotFoundException` when one does not exist or is deleted during the wait;
        `ApiValueError` / `ApiTypeError` for bad arguments, before any request.

        Example:
            from datetime import datetime, timezone

            night = datetime(2026, 11, 26, tzinfo=timezone.utc)
            waited = [{"dag_id": "etl_daily", "task_id": "transform", "execution_date": night}]
            for ti in api_instance.wait_for_task_instances(waited, timeout=60):
                print(ti.task_id, ti.state, ti.try_number)
        """
        clock = Clock(checked_seconds(timeout, "timeout"))
        pace = Pace(DEFAULT_POLL_INTERVAL if poll_interval is None
                    else checked_seconds(poll_interval, "poll_interval"))
        waited = _waited_for(task_instances)
        if not waited:
            return []
        runs: dict[tuple[str, datetime], list[WaitedFor]] = {}
        for item in waited:
            runs.setdefault((item.dag_id, item.execution_date), []).append(item)
        operations = cast(_TaskInstanceOperations, self)
        poller: Poller[_Found] = Poller(clock, pace, self.api_client.configuration.timeout)
        paused = PausedCheck(self.api_client, poller.request_timeout)
        latest: dict[WaitedFor, Optional[str]] = dict.fromkeys(waited)

        def read(request_timeout: Any) -> _Found:
            found: _Found = {}
            for (dag_id, when), members in runs.items():
                found.update(_read_run(operations, dag_id, when, members, request_timeout))
            return found

        def done(found: _Found) -> bool:
            for item in waited:
                latest[item] = state_text(found[item].get("state"))
            unstarted = sorted({item.dag_id for item in waited if latest[item] in NOT_STARTED})
            for dag_id in unstarted:
                names = [item.describe() for item in waited
                         if item.dag_id == dag_id and latest[item] in NOT_STARTED]
                what = names[0] if len(names) == 1 else (
                    f"{len(names)} task instances ({_listed(names)})")
                paused.raise_if_paused(dag_id, what, _states(latest))
            return all(state in FINISHED_TASK_STATES for state in latest.values())

        def timed_out(last: Optional[_Found], error: Optional[ApiException]) -> ApiException:
            unfinished = [f"{item.describe()} ({latest[item] or 'no state'})" for item in waited
                          if latest[item] not in FINISHED_TASK_STATES]
            message = (f"{len(unfinished)} of {len(waited)} task instances had not finished "
                       f"after {clock.timeout:g} s: {_listed(unfinished)}")
            if error is not None:
                message += f"; the last poll failed: {str(error).splitlines()[0]}"
            return WaitTimeoutError(message, last_state=_states(latest), timeout=clock.timeout,
                                    last_error=error)

        found = poller.run(read, done, timed_out)
        return [found[item] for item in waited]


def _read_run(operations: _TaskInstanceOperations, dag_id: str, when: datetime,
              members: list[WaitedFor], request_timeout: Any) -> _Found:
    """One run's task instances waited for, read with one list call per page; a task instance
    the server no longer has is a NotFoundException."""
    wanted = {(item.task_id, item.map_index): item for item in members}
    task_ids = sorted({item.task_id for item in members})
    found: _Found = {}
    offset = 0
    while True:
        page = operations.get_task_instances(
            dag_id, execution_date_gte=when, execution_date_lte=when, task_id=task_ids,
            limit=PAGE_SIZE, offset=offset, _request_timeout=request_timeout, _retries=0)
        items = list(page.get("task_instances") or [])
        for ti in items:
            map_index = ti.get("map_index")
            item = wanted.get((ti.get("task_id"), -1 if map_index is None else int(map_index)))
            if item is not None:
                found[item] = ti
        offset += len(items)
        total = page.get("total_entries")
        if len(found) == len(wanted) or not items or (total is not None and offset >= total):
            break
    missing = [item for item in members if item not in found]
    if missing:
        raise NotFoundException(
            404, "Not Found",
            f"not found (deleted, or never existed): "
            f"{_listed([item.describe() for item in missing])}")
    return found


def _waited_for(task_instances: Items) -> list[WaitedFor]:
    items = getattr(task_instances, "task_instances", task_instances)
    if items is None or isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise ApiTypeError(
            "task_instances must be what a clear answers, or a list of TaskInstanceReference "
            f"or TaskInstance items, not {type(task_instances).__name__}",
            path_to_item=["task_instances"])
    waited: list[WaitedFor] = []
    seen: set[WaitedFor] = set()
    for position, item in enumerate(items):
        where: list[Union[str, int]] = ["task_instances", position]
        get = getattr(item, "get", None)
        if get is None:
            raise ApiTypeError(f"task_instances[{position}] is a {type(item).__name__}, not a "
                               "TaskInstanceReference or TaskInstance", path_to_item=where)
        dag_id, task_id, when = get("dag_id"), get("task_id"), get("execution_date")
        map_index = get("map_index")
        for name, value in (("dag_id", dag_id), ("task_id", task_id)):
            if not isinstance(value, str) or not value:
                raise ApiValueError(f"task_instances[{position}] has no {name}",
                                    path_to_item=[*where, name])
        if not isinstance(when, datetime):
            raise ApiValueError(f"task_instances[{position}] has no execution_date (a run's "
                                "task instances are found by it)",
                                path_to_item=[*where, "execution_date"])
        run_id = get("dag_run_id")
        entry = WaitedFor(dag_id, None if run_id is None else str(run_id), task_id, when,
                          -1 if map_index is None else int(map_index))
        if entry not in seen:  # the same task instance twice is waited for once
            seen.add(entry)
            waited.append(entry)
    return waited


def _states(latest: dict[WaitedFor, Optional[str]]) -> dict[tuple[str, Optional[str], str, int],
                                                              Optional[str]]:
    return {item.state_key: state for item, state in latest.items()}


def _listed(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"
