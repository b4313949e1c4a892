"""set-state over a selection, through the API's bulk change of a run's task instances.

1. The selected task instances are grouped by DAG run, and each run's are read again (one list
   request per 100): their current state and the run's id. One already in the new state is
   left alone; one the server no longer lists is `not found`, and not sent. What would change
   is shown, with each task instance's state now. `--dry-run` stops there: nothing is sent.
2. Otherwise `--yes`, or the question on a terminal (exit 7 where it cannot be asked).
3. Each run's task instances go in one `bulk_task_instances` call (requests of at most 100; on
   Airflow 2 one PATCH per task instance, 4 at a time), run after run, each task instance with
   its own result: changed, unchanged, failed (with the server's reason), may have changed (a
   request that failed once the server may have seen it) or not attempted. Errors every later
   run would hit too (credentials, no server) stop the command; Ctrl-C lets the run in flight
   finish and sends no other.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional, Sequence

from airflow_python_sdk._errors import ApiException, BulkChangeException, OpenApiException
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.bulk import STOPS_THE_RUN
from airflow_python_sdk.cli.bulk_action import confirmed
from airflow_python_sdk.cli.bulk_state_report import (
    Applied,
    Plan,
    PlannedChange,
    TaskInstanceResult,
    report,
    show_plan,
)
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import describe
from airflow_python_sdk.cli.progress import open_progress
from airflow_python_sdk.cli.selection import TaskInstanceRef
from airflow_python_sdk.dialects.bulk_change import CHUNK_SIZE
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState

__all__ = ["run_bulk_state"]

# A run's task instances are read with their task ids as a filter when there are this few;
# more would make a URL too long for some servers, so the whole run is read instead.
_TASK_IDS_IN_A_READ = 50


@dataclass
class _Run:
    dag_id: str
    execution_date: datetime
    refs: list[TaskInstanceRef] = field(default_factory=list)


def run_bulk_state(context: CommandContext, refs: Sequence[TaskInstanceRef],
                   new_state: str) -> int:
    plan = _plan(context, refs, new_state)
    if not context.json:
        show_plan(context, plan)
    if not plan.changes or context.args.dry_run:
        return report(context, plan, None)
    if not context.args.yes and not confirmed(context, len(plan.changes),
                                              f"Set {{what}} to {new_state}?"):
        report(context, plan, None)
        return exit_codes.DECLINED
    return report(context, plan, _apply(context, plan))


def _plan(context: CommandContext, refs: Sequence[TaskInstanceRef], new_state: str) -> Plan:
    runs: dict[tuple[str, datetime], _Run] = {}
    for ref in refs:
        runs.setdefault((ref.dag_id, ref.execution_date),
                        _Run(ref.dag_id, ref.execution_date)).refs.append(ref)
    plan = Plan(new_state, selected=len(refs))
    progress = open_progress(len(runs), "reading states", context.stderr,
                             not context.args.no_progress and len(runs) > 1)
    try:
        for run in runs.values():
            _plan_run(context, run, plan)
            progress.update(1)
    finally:
        progress.close()
    return plan


def _plan_run(context: CommandContext, run: _Run, plan: Plan) -> None:
    tasks = sorted({ref.task_id for ref in run.refs})
    states: dict[tuple[str, int], Optional[str]] = {}  # by (task id, map index): state now
    run_id: Optional[str] = None
    for ti in context.api.iter_task_instances(
            run.dag_id, execution_date_gte=run.execution_date,
            execution_date_lte=run.execution_date,
            task_id=tasks if len(tasks) <= _TASK_IDS_IN_A_READ else None):
        map_index, state = ti.get("map_index"), ti.get("state")
        states[(str(ti.task_id), -1 if map_index is None else int(map_index))] = (
            None if state is None else str(getattr(state, "value", state)))
        run_id = run_id or ti.get("dag_run_id")
    if run_id is None and states:
        run_id = _run_id(context, run)
    for ref in run.refs:
        key = (ref.task_id, ref.map_index)
        if key not in states or run_id is None:
            plan.not_found.append(ref)
            continue
        current = states[key]
        if current == plan.new_state:
            plan.unchanged.append(ref)
        else:
            plan.changes.append(PlannedChange(ref, str(run_id), current))


def _run_id(context: CommandContext, run: _Run) -> Optional[str]:
    """The id of the run at the date, for a server whose list of task instances leaves it out."""
    page = DAGRunApi(context.api.api_client).get_dag_runs(
        run.dag_id, execution_date_gte=run.execution_date,
        execution_date_lte=run.execution_date, limit=2)
    found = [item.get("dag_run_id") for item in page.get("dag_runs") or ()]
    return str(found[0]) if len(found) == 1 and found[0] else None


def _apply(context: CommandContext, plan: Plan) -> Applied:
    # By the run's date too: a server that gave two dates one run id gets two requests, each
    # naming a task instance once.
    by_run: dict[tuple[str, datetime, str], list[PlannedChange]] = defaultdict(list)
    for change in plan.changes:
        by_run[(change.ref.dag_id, change.ref.execution_date, change.run_id)].append(change)
    runs = list(by_run.items())
    applied = Applied()
    progress = open_progress(sum(_requests(changes) for _, changes in runs),
                             f"setting {plan.new_state}", context.stderr,
                             not context.args.no_progress)
    done = 0
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="airflow-sdk-bulk") as pool:
            for (dag_id, _, run_id), changes in runs:
                if applied.stopped_by is not None or applied.interrupted:
                    break
                future = pool.submit(_apply_run, context, dag_id, run_id, changes,
                                     plan.new_state)
                try:
                    results, stop = future.result()
                except KeyboardInterrupt:
                    # The run in flight finishes (each request within its timeout); no other
                    # starts, and the report says which were not attempted.
                    applied.interrupted = True
                    results, stop = future.result()
                applied.results.extend(results)
                applied.stopped_by = stop
                done += 1
                progress.update(_requests(changes))
    finally:
        progress.close()
    why = "it was interrupted" if applied.interrupted else "the run stopped after the error above"
    for _, changes in runs[done:]:
        applied.results.extend(TaskInstanceResult(change.ref, "not_attempted", None, why)
                               for change in changes)
    return applied


def _requests(changes: list[PlannedChange]) -> int:
    """The requests of a run's change where the server has the bulk endpoint, for the bar."""
    return -(-len(changes) // CHUNK_SIZE)


def _apply_run(context: CommandContext, dag_id: str, run_id: str,
               changes: list[PlannedChange], new_state: str
               ) -> tuple[list[TaskInstanceResult], Optional[ApiException]]:
    """Each task instance's result of one run's bulk change, and the error that should stop
    the command, if one should."""
    body = BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"),
        entities=[BulkTaskInstanceBody(task_id=change.ref.task_id,
                                       map_index=change.ref.map_index,
                                       new_state=TaskState(new_state))
                  for change in changes])])
    try:
        answer = context.api.bulk_task_instances(dag_id, run_id, body)
    except BulkChangeException as error:
        cause = error.cause
        return (_results(changes, error.result),
                cause if isinstance(cause, STOPS_THE_RUN) else None)
    except ApiException as error:
        return ([TaskInstanceResult(change.ref, "failed", error.status, describe(error))
                 for change in changes], error if isinstance(error, STOPS_THE_RUN) else None)
    except OpenApiException as error:
        return [TaskInstanceResult(change.ref, "failed", None, describe(error))
                for change in changes], None
    return _results(changes, answer), None


def _results(changes: list[PlannedChange], answer: Any) -> list[TaskInstanceResult]:
    by_key = {(item.get("task_id"), item.get("map_index")): item
              for item in answer.get("task_instances") or ()}
    results = []
    for change in changes:
        item = by_key.get((change.ref.task_id, change.ref.map_index))
        if item is None:
            results.append(TaskInstanceResult(change.ref, "unknown", None,
                                              "the answer does not say what became of it"))
            continue
        value = item.get("result")
        results.append(TaskInstanceResult(change.ref, str(getattr(value, "value", value)),
                                          item.get("status"), item.get("error")))
    return results
