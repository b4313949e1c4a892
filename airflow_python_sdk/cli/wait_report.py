"""Waiting from the command line, and saying how it ended: for a DAG run (trigger --wait, wait)
and for task instances (clear --wait, clear-run --wait).

Exit statuses (exit_codes.py): 0 when it finished well (the run succeeded; every rerun ended
success or skipped), RUN_FAILED when it finished badly, WAIT_TIMED_OUT when the wait gave up,
DAG_PAUSED when what it waits for cannot start.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from airflow_python_sdk._errors import DagPausedError, WaitTimeoutError
from airflow_python_sdk._waiting.states import state_text
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import describe
from airflow_python_sdk.cli.output import as_json_data, print_json, print_table
from airflow_python_sdk.cli.safe_text import escaped
from airflow_python_sdk.model.dag_run import DAGRun

__all__ = ["wait_for_run", "wait_for_task_instances"]

_WENT_WELL = frozenset({"success", "skipped"})


def wait_for_run(context: CommandContext, dag_id: str, dag_run_id: str,
                 document: Optional[dict[str, Any]] = None) -> int:
    """Wait for the run and report it; `document` is what --json prints before the outcome."""
    api_client = context.api.api_client
    started = time.monotonic()
    out = dict(document or {})
    try:
        run = DAGRunApi(api_client).wait_for_dag_run(
            dag_id, dag_run_id, timeout=context.args.wait_timeout)
    except (WaitTimeoutError, DagPausedError) as error:
        return _gave_up(context, error, out)
    state = state_text(run.get("state")) or "unknown"
    not_succeeded = _not_succeeded(TaskInstanceApi(api_client), dag_id, run)
    if context.json:
        out.update(outcome=state, dag_run=as_json_data(run),
                   not_succeeded=[as_json_data(ti) for ti in not_succeeded])
        print_json(out, context.stdout)
    else:
        context.stdout.write(f"Run {escaped(dag_run_id)} of {escaped(dag_id)} ended "
                             f"{escaped(state)} after {time.monotonic() - started:.1f} s.\n")
        if not_succeeded:
            context.stdout.write("Task instances that did not succeed:\n")
            _table(context, not_succeeded)
    return exit_codes.OK if state == "success" else exit_codes.RUN_FAILED


def wait_for_task_instances(context: CommandContext, waited: list[Any],
                            document: Optional[dict[str, Any]] = None) -> int:
    """Wait for the task instances (what a clear changed) and print how each ended."""
    out = dict(document or {})
    if not waited:
        return exit_codes.OK
    if not context.json:
        count = len(waited)
        context.stdout.write(f"Waiting for the {count} cleared task instance"
                             f"{'' if count == 1 else 's'} to run again...\n")
        context.stdout.flush()
    try:
        done = context.api.wait_for_task_instances(waited, timeout=context.args.wait_timeout)
    except (WaitTimeoutError, DagPausedError) as error:
        return _gave_up(context, error, out)
    again = [ti for ti in done if state_text(ti.get("state")) not in _WENT_WELL]
    if context.json:
        out.update(outcome="failed again" if again else "success",
                   reruns=[as_json_data(ti) for ti in done])
        print_json(out, context.stdout)
    else:
        _table(context, done, outcome=True)
        context.stdout.write(f"{len(done) - len(again)} succeeded, {len(again)} failed "
                             "again.\n")
    return exit_codes.RUN_FAILED if again else exit_codes.OK


def _gave_up(context: CommandContext, error: Any, out: dict[str, Any]) -> int:
    paused = isinstance(error, DagPausedError)
    if context.json:
        last = error.last_state
        if isinstance(last, dict):
            last = [{"dag_id": key[0], "dag_run_id": key[1], "task_id": key[2],
                     "map_index": key[3], "state": state} for key, state in last.items()]
        out.update(outcome="dag paused" if paused else "timed out", last_state=last,
                   error=describe(error))
        print_json(out, context.stdout)
    context.stderr.write(f"airflow-sdk: {'paused' if paused else 'timed out'}: "
                         f"{describe(error)}\n")
    return exit_codes.DAG_PAUSED if paused else exit_codes.WAIT_TIMED_OUT


def _not_succeeded(api: TaskInstanceApi, dag_id: str, run: DAGRun) -> list[Any]:
    when = run.get("execution_date")
    if when is None:
        return []
    found = api.iter_task_instances(dag_id, execution_date_gte=when, execution_date_lte=when)
    return [ti for ti in found if state_text(ti.get("state")) != "success"]


def _table(context: CommandContext, task_instances: list[Any], outcome: bool = False) -> None:
    rows = []
    for ti in task_instances:
        map_index = ti.get("map_index")
        state = state_text(ti.get("state")) or "-"
        row = [ti.get("dag_id"), ti.get("task_id"),
               None if map_index is None or map_index < 0 else map_index,
               _date(ti.get("execution_date")), ti.get("try_number"), state]
        if outcome:
            row.append({"success": "succeeded", "skipped": "skipped"}.get(state,
                                                                          "failed again"))
        rows.append(row)
    headers = ["DAG", "TASK", "MAP", "EXECUTION DATE", "TRY", "STATE"]
    print_table([*headers, "RERUN"] if outcome else headers, rows, context.stdout)


def _date(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
