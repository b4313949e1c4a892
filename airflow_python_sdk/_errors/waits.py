"""Errors a wait ends with (`DAGRunApi.wait_for_dag_run`, `wait_for_task_instances`, ...): its
time ran out, or what it waits for cannot start because its DAG is paused.

Both are `ApiException`s, so a job's `except ApiException` already handles them; neither has an
HTTP status of its own (`status` is 0, as for errors without an answer).
"""

from __future__ import annotations

from typing import Any, Optional

from airflow_python_sdk._errors.calls import ApiException

__all__ = ["DagPausedError", "WaitTimeoutError"]


class WaitTimeoutError(ApiException):
    """What was waited for had not finished when the wait's `timeout` ran out.

    `last_state` is the last state seen: a DAG run's state as text (None when no answer came);
    for task instances, a dict with one entry per task instance waited for, keyed by
    `(dag_id, dag_run_id, task_id, map_index)`, each its state as text (None: not run yet).
    `timeout` is the wait's, in seconds; `last_error` the error of the last poll when it failed
    (a 503, a dropped connection), else None.
    """

    def __init__(self, message: str, *, last_state: Any = None, timeout: Optional[float] = None,
                 last_error: Optional[ApiException] = None) -> None:
        ApiException.__init__(self, 0, "wait timed out")
        self.message = message
        self.last_state = last_state
        self.timeout = timeout
        self.last_error = last_error
        self.args = (message,)

    def __str__(self) -> str:
        return self.message


class DagPausedError(ApiException):
    """What is waited for cannot start: its DAG is paused, so the scheduler leaves its runs
    queued. `dag_id` is the paused DAG, `last_state` as for `WaitTimeoutError`."""

    def __init__(self, message: str, *, dag_id: str, last_state: Any = None) -> None:
        ApiException.__init__(self, 0, "DAG paused")
        self.message = message
        self.dag_id = dag_id
        self.last_state = last_state
        self.args = (message,)

    def __str__(self) -> str:
        return self.message
