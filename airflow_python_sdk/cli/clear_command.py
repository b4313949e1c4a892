"""clear: clear the selected task instances so they run again, after the server's dry run.

The API clears by DAG, execution-date range and task ids, not by single task instance, so the
selection is sent as one request per DAG run: that run's execution date as both ends of the
range and the selected tasks as `task_ids`. A mapped task's instances at one date are cleared
together (the API cannot name a map index); the dry run shows exactly which.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Callable, Optional

from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.cli.bulk_action import Unit, Wording, references_of, run_action
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import escaped
from airflow_python_sdk.cli.selection import (
    TaskInstanceRef,
    check_dags_exist,
    filters_from,
    iter_selected,
    read_references,
    reference_of,
)
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_state import TaskState

__all__ = ["run_clear", "selected_references"]

_WORDING = Wording(verb="clear", doing="clearing", question="Clear {what}?",
                   done="Cleared {what}")


def selected_references(
    context: CommandContext, default_states: Optional[list[TaskState]] = None,
    keep: Any = None,
) -> list[TaskInstanceRef]:
    """The task instances --from names, or those the filters select (read to the end)."""
    args = context.args
    given = filters_from(args).given
    filters = filters_from(args, states=None if args.states else default_states)
    if args.from_file is not None:
        if given or args.limit is not None:
            raise UsageError("give either --from or filters (--dag, --state, --since, ...), "
                             "not both")
        return read_references(args.from_file, context.stdin)
    if not given:
        raise UsageError("say which task instances: filters such as --dag, --state or --since, "
                         "or --from FILE ('-' for stdin, e.g. from `list --json`)")
    check_dags_exist(context.api, filters.dags)
    return [reference_of(ti) for ti in iter_selected(context.api, filters)
            if keep is None or keep(ti)]


def run_clear(context: CommandContext,
              on_cleared: Optional[Callable[[list[Any]], None]] = None) -> int:
    """Clear the selection; `on_cleared` is told what each real clear answered (clear --wait
    waits for those)."""
    args = context.args
    only_failed = bool(args.only_failed) and not args.include_running
    states: Optional[list[TaskState]] = None
    if args.only_failed:
        states = [TaskState("failed"), TaskState("upstream_failed")]
        if args.include_running:
            states.append(TaskState("running"))

    def keep(task_instance: Any) -> bool:
        # Without --include-running, work in flight is never part of a clear.
        return bool(args.include_running) or _state(task_instance) != "running"

    refs = selected_references(context, states, keep)
    dag_api = DAGApi(context.api.api_client)
    runs: dict[tuple[str, datetime], set[str]] = defaultdict(set)
    for ref in refs:
        runs[(ref.dag_id, ref.execution_date)].add(ref.task_id)

    def unit(dag_id: str, when: datetime, task_ids: list[str]) -> Unit:
        def call(dry_run: bool) -> list[TaskInstanceRef]:
            body = ClearTaskInstance(
                dry_run=dry_run, start_date=when, end_date=when, task_ids=task_ids,
                only_failed=only_failed, only_running=False, reset_dag_runs=True,
                include_upstream=bool(args.upstream), include_downstream=bool(args.downstream),
            )
            answer = dag_api.clear_task_instances(dag_id, body)
            if not dry_run and on_cleared is not None:
                on_cleared(list(answer.get("task_instances") or []))
            return references_of(answer)

        label = escaped(f"{dag_id} @ {when.isoformat()} ({', '.join(task_ids)})")
        return Unit(dag_id, when, label, call)

    units = [unit(dag_id, when, sorted(tasks)) for (dag_id, when), tasks in sorted(runs.items())]
    return run_action(context, units, _WORDING)


def _state(task_instance: Any) -> Optional[str]:
    state = task_instance.get("state")
    return None if state is None else str(getattr(state, "value", state))
