"""DAGRunApi's waits: `wait_for_dag_run`, and `trigger_dag_run_and_wait`, which triggers a run,
waits for it and answers it with its task instances that did not succeed.

A run is polled with one `get_dag_run` per poll, on every server (see pace.py for how often).
Airflow 3 also has a stream that waits for a run (`GET .../dagRuns/{id}/wait`); it is not used:
the server marks it experimental ("may change or be removed without notice"), it holds one
connection and one API-server worker for the whole wait (through proxies whose idle timeouts cut
long requests), it reports the run's state only, so a paused DAG still takes a request of its
own, and a stream that stops says nothing about why. A poll every few seconds costs the server
one indexed read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union, cast

from airflow_python_sdk._errors import ApiException, ApiTypeError, WaitTimeoutError
from airflow_python_sdk._waiting.pace import (
    DEFAULT_POLL_INTERVAL,
    Clock,
    Pace,
    checked_seconds,
    request_timeout,
)
from airflow_python_sdk._waiting.paused import PausedCheck
from airflow_python_sdk._waiting.polling import Poller
from airflow_python_sdk._waiting.states import state_text
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.dag_run import DAGRun

if TYPE_CHECKING:
    from airflow_python_sdk._client import ApiClient
    from airflow_python_sdk.model.task_instance import TaskInstance

__all__ = ["FINISHED_RUN_STATES", "DagRunResult", "DagRunWaits"]

FINISHED_RUN_STATES = frozenset({"success", "failed"})


@dataclass(frozen=True)
class DagRunResult:
    """A finished DAG run (`dag_run`, as the last poll read it) and its task instances that did
    not succeed (`not_succeeded`: failed, upstream_failed, skipped, removed, ... in the order
    the server lists them; empty when every one succeeded)."""

    dag_run: DAGRun
    not_succeeded: list[TaskInstance]

    @property
    def state(self) -> Optional[str]:
        """The run's final state as text: "success" or "failed"."""
        return state_text(self.dag_run.get("state"))

    @property
    def succeeded(self) -> bool:
        return self.state == "success"

    def failed(self) -> list[TaskInstance]:
        """The task instances that failed or could not run because an upstream one failed."""
        return [ti for ti in self.not_succeeded
                if state_text(ti.get("state")) in ("failed", "upstream_failed")]


class _RunOperations(Protocol):
    """What the waits use of the class that inherits them (the generated DAGRunApi)."""

    api_client: ApiClient

    def get_dag_run(self, dag_id: str, dag_run_id: str, *, _request_timeout: Any = None,
                    _retries: Any = None) -> DAGRun: ...

    def trigger_dag_run(self, dag_id: str, dag_run: Any, *,
                        _request_timeout: Any = None) -> DAGRun: ...


class DagRunWaits:
    """The waiting methods of DAGRunApi (hand-written; the class that inherits them is
    generated)."""

    api_client: ApiClient

    def wait_for_dag_run(self, dag_id: str, dag_run_id: str, timeout: float = 3600.0,
                         poll_interval: Optional[float] = None) -> DAGRun:
        """Wait until a DAG run has finished (success or failed) and return it.

        The run is returned as the last poll read it. `timeout` (seconds, one hour unless
        given) bounds the whole wait, whatever the server does: each request's timeout and each
        pause are cut to the time left. `poll_interval` is the longest pause between two polls
        (5 s unless given); the first pauses are shorter (0.1 s, doubling), so a short run is
        seen at once. Each poll is one request (`get_dag_run`); a 5xx, a 429 or a dropped
        connection is polled through, a `Retry-After` honoured.

        Raises `WaitTimeoutError` (its `last_state` the run's last state) when the time is up;
        `DagPausedError` when the run has not finished and its DAG is paused (it would never
        start, or never finish);
        `NotFoundException` when the run does not exist or is deleted during the wait;
        `ApiValueError` for a `timeout` or `poll_interval` that is not a finite number of
        seconds above 0, before any request.

        Example:
            dag_run = api_instance.wait_for_dag_run(
                "etl_daily", "scheduled__2026-11-26T00:00:00+00:00", timeout=60)
            print(dag_run.dag_run_id, dag_run.state)
        """
        clock, pace = _start(timeout, poll_interval)
        return self._wait(clock, pace, dag_id, dag_run_id)

    def trigger_dag_run_and_wait(self, dag_id: str,
                                 dag_run: Union[DAGRun, Mapping[str, Any], None] = None,
                                 timeout: float = 3600.0,
                                 poll_interval: Optional[float] = None) -> DagRunResult:
        """Trigger a DAG run, wait until it has finished, and return it with its task instances
        that did not succeed.

        `dag_run` is as for `trigger_dag_run` (its `dag_run_id`, `execution_date`, `conf`,
        `note`; all optional). The wait is `wait_for_dag_run`'s. The answer is a `DagRunResult`
        (`airflow_python_sdk.DagRunResult`):
        `dag_run`, the finished run, and `not_succeeded`, its task instances that did not
        succeed, read with one list call (`get_task_instances`, page by page); `state`,
        `succeeded` and `failed()` sum them up.

        A run given no `execution_date` is triggered with the current time as its date (what
        Airflow 2 does itself): its task instances are found by it, on every server.
        The trigger is sent once: if it fails after the server may have seen it, the error
        says the run may exist. `timeout` bounds the trigger and the wait; the listing of the
        task instances that follows is an ordinary call.

        Example:
            from airflow_python_sdk.model.dag_run import DAGRun

            result = api_instance.trigger_dag_run_and_wait(
                "ml_training", DAGRun(conf={"epochs": 3}, note="from the docs"), timeout=60)
            print(result.state, [ti.task_id for ti in result.not_succeeded])
        """
        clock, pace = _start(timeout, poll_interval)
        body = _trigger_body(dag_run)
        operations = cast(_RunOperations, self)
        triggered = operations.trigger_dag_run(dag_id, body, _request_timeout=request_timeout(
            self.api_client.configuration.timeout, clock.left()))
        run_id = str(triggered.get("dag_run_id"))
        finished = self._wait(clock, pace, dag_id, run_id)
        return DagRunResult(finished, self._not_succeeded(dag_id, finished))

    def _wait(self, clock: Clock, pace: Pace, dag_id: str, dag_run_id: str) -> DAGRun:
        operations = cast(_RunOperations, self)
        poller: Poller[DAGRun] = Poller(clock, pace, self.api_client.configuration.timeout)
        paused = PausedCheck(self.api_client, poller.request_timeout)
        what = f"DAG run {dag_run_id!r} of DAG {dag_id!r}"

        def read(request_timeout: Any) -> DAGRun:
            return operations.get_dag_run(dag_id, dag_run_id, _request_timeout=request_timeout,
                                          _retries=0)

        def done(run: DAGRun) -> bool:
            state = state_text(run.get("state"))
            if state in FINISHED_RUN_STATES:
                return True
            # A paused DAG's run neither starts (queued) nor goes on (running: the scheduler
            # leaves it, once its tasks in flight end).
            verb = "start" if state == "queued" else "finish"
            paused.raise_if_paused(dag_id, f"its run {dag_run_id!r} ({state})", state, verb)
            return False

        def timed_out(last: Optional[DAGRun], error: Optional[ApiException]) -> ApiException:
            state = None if last is None else state_text(last.get("state"))
            message = (f"{what} had not finished after {clock.timeout:g} s "
                       f"(last state: {state or 'none read'})")
            if error is not None:
                message += f"; the last poll failed: {_first_line(error)}"
            return WaitTimeoutError(message, last_state=state, timeout=clock.timeout,
                                    last_error=error)

        return poller.run(read, done, timed_out)

    def _not_succeeded(self, dag_id: str, run: DAGRun) -> list[TaskInstance]:
        when = run.get("execution_date")
        if when is None:
            return []
        found = TaskInstanceApi(self.api_client).iter_task_instances(
            dag_id, execution_date_gte=when, execution_date_lte=when)
        return [ti for ti in found if state_text(ti.get("state")) != "success"]


def _start(timeout: Any, poll_interval: Any) -> tuple[Clock, Pace]:
    seconds = checked_seconds(timeout, "timeout")
    longest = (DEFAULT_POLL_INTERVAL if poll_interval is None
               else checked_seconds(poll_interval, "poll_interval"))
    return Clock(seconds), Pace(longest)


def _trigger_body(dag_run: Union[DAGRun, Mapping[str, Any], None]) -> dict[str, Any]:
    """The trigger's body as JSON data, with an execution date."""
    if dag_run is None:
        model = DAGRun()
    elif isinstance(dag_run, DAGRun):
        model = dag_run
    elif isinstance(dag_run, Mapping):
        model = DAGRun(**dag_run)  # checks each field as the model does
    else:
        raise ApiTypeError(f"dag_run must be a DAGRun, a dict or None, not "
                           f"{type(dag_run).__name__}", path_to_item=["dag_run"])
    body = model.to_dict(mode="json")
    if body.get("execution_date") is None:
        body["execution_date"] = datetime.now(timezone.utc).isoformat()
    return body


def _first_line(error: ApiException) -> str:
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__
