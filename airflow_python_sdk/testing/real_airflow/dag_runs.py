"""Trigger a DAG run on a started server, wait for its end, pause a DAG: through the SDK's own
operations (DAGApi.update_dag, DAGRunApi.trigger_dag_run and wait_for_dag_run, and one list of
the run's task instances), on the server's dialect.

The wait goes in slices, so that a scheduler that died is said at once (with its log) rather
than at the end of the time limit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ..._errors import NotFoundException, WaitTimeoutError
from ..._waiting.states import state_text
from ...api.dag_api import DAGApi
from ...api.dag_run_api import DAGRunApi
from ...api.task_instance_api import TaskInstanceApi
from ...model.dag import DAG
from ...model.dag_run import DAGRun
from .dag_not_found import DagNotFound, dag_not_found
from .dag_run_state import DagRunTimeout, FinishedRun, states_of
from .processes import CommandFailed, tail

if TYPE_CHECKING:
    from ..._client import ApiClient
    from .server_handle import RealAirflow

__all__ = [
    "DagNotFound",
    "TriggeredRun",
    "set_paused",
    "trigger_dag_run",
    "wait_for_dag_run",
    "wait_with_client",
]

# Each slice of a wait: between two, the scheduler is checked.
_SLICE_S = 15.0
_POLL_INTERVAL_S = 1.0

_run_numbers = itertools.count(1)
_last_default_date = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
_dates_lock = threading.Lock()


@dataclass(frozen=True)
class TriggeredRun:
    """A run that was started: what the SDK's task-instance calls need to find its tasks."""

    dag_id: str
    run_id: str
    logical_date: dt.datetime


def set_paused(server: RealAirflow, dag_id: str, paused: bool) -> None:
    try:
        DAGApi(server.client).update_dag(dag_id, DAG(is_paused=paused),
                                         update_mask=["is_paused"])
    except NotFoundException:
        raise dag_not_found(server, dag_id) from None


def _as_datetime(value: Union[dt.datetime, str, None]) -> dt.datetime:
    if value is None:
        global _last_default_date
        # Now, to the second (a DAG's start_date must lie before its runs' logical dates), and
        # later than the last one given: Airflow 2 refuses two runs of a DAG at one date.
        with _dates_lock:
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            _last_default_date = max(now, _last_default_date + dt.timedelta(seconds=1))
            return _last_default_date
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"logical_date {value.isoformat()!r} needs a time zone, e.g. UTC")
    return value


def trigger_dag_run(
    server: RealAirflow,
    dag_id: str,
    run_id: Optional[str] = None,
    logical_date: Union[dt.datetime, str, None] = None,
    conf: Optional[Mapping[str, Any]] = None,
) -> TriggeredRun:
    """Unpause the DAG (a paused DAG's runs never start) and create a run of it."""
    date = _as_datetime(logical_date)
    if run_id is None:
        run_id = f"sdk_test__{date:%Y%m%dT%H%M%S}_{next(_run_numbers)}"
    set_paused(server, dag_id, False)
    DAGRunApi(server.client).trigger_dag_run(
        dag_id, DAGRun(dag_run_id=run_id, execution_date=date, conf=dict(conf or {})))
    return TriggeredRun(dag_id, run_id, date)


def wait_for_dag_run(server: RealAirflow, run: TriggeredRun, timeout_s: float) -> FinishedRun:
    scheduler, log_path = server.process("scheduler"), server.log_files["scheduler"]

    def check_scheduler() -> None:
        if scheduler.poll() is not None:
            raise CommandFailed(
                f"scheduler exited with {scheduler.returncode} before run {run.run_id} finished; "
                f"log {log_path}:\n{tail(log_path)}"
            )

    return wait_with_client(server.client, run, timeout_s, check_scheduler,
                            lambda: f"scheduler log {log_path}:\n{tail(log_path)}")


def wait_with_client(client: ApiClient, run: TriggeredRun, timeout_s: float,
                     check_scheduler: Callable[[], None],
                     scheduler_log: Callable[[], str]) -> FinishedRun:
    """Wait for `run` with the SDK within `timeout_s`, checking the scheduler between slices;
    the finished run with its task instances' states (one list call)."""
    runs = DAGRunApi(client)
    deadline = time.monotonic() + timeout_s
    state: Optional[str] = None
    while True:
        check_scheduler()
        left = deadline - time.monotonic()
        if left <= 0:
            task_states, _ = _states(client, run)
            raise DagRunTimeout(
                f"run {run.run_id} of {run.dag_id} not finished after {timeout_s:.0f} s (run "
                f"{state}, tasks {task_states}); {scheduler_log()}")
        try:
            finished = runs.wait_for_dag_run(run.dag_id, run.run_id, timeout=min(left, _SLICE_S),
                                             poll_interval=_POLL_INTERVAL_S)
        except WaitTimeoutError as error:
            state = error.last_state
            continue
        break
    task_states, instance_states = _states(client, run)
    return FinishedRun(run.dag_id, run.run_id, state_text(finished.get("state")) or "none",
                       task_states, run.logical_date, instance_states)


def _states(client: ApiClient, run: TriggeredRun) -> Any:
    date = run.logical_date
    return states_of(TaskInstanceApi(client).iter_task_instances(
        run.dag_id, execution_date_gte=date, execution_date_lte=date))
