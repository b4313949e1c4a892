"""set-state over a selection: filters or --from lines, through the API's bulk state action.

`set-state DAG TASK DATE...` sets one task's instances one PATCH at a time (set_state.py). With
a selection (`--dag`, `--since`, `--in-state`, ..., or `--from`), it sends
updateTaskInstancesState once per task instance instead, dry run first as clear does (see
bulk_action). That action takes success, failed or skipped, and addresses a task at a date: a
mapped task's instances at that date change together.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.cli.bulk_action import Unit, Wording, references_of, run_action
from airflow_python_sdk.cli.clear_command import selected_references
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import escaped
from airflow_python_sdk.cli.selection import TaskInstanceRef
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

__all__ = ["BULK_STATES", "is_selection", "prepare_selection", "run_set_state_selection"]

BULK_STATES = ("success", "failed", "skipped")


def is_selection(args: argparse.Namespace) -> bool:
    return args.from_file is not None or any(
        getattr(args, name) for name in ("dags", "states", "since", "until", "tasks", "pools",
                                         "limit"))


def prepare_selection(args: argparse.Namespace) -> None:
    """Fold DAG_ID and TASK_ID, when given, into --dag and --task; refuse dates and states the
    bulk action cannot take. Called before connecting."""
    if args.execution_dates or args.dates_file is not None:
        raise UsageError("give execution dates or a selection (--dag, --since, --from, ...), "
                         "not both; a plain date in --since/--until selects a day")
    if args.state.value not in BULK_STATES:
        raise UsageError(f"--state {args.state.value!r}: over a selection, the state can be "
                         f"{', '.join(BULK_STATES)}")
    if args.dag_id is not None:
        args.dags = [args.dag_id, *(args.dags or [])]
    if args.task_id is not None:
        args.tasks = [args.task_id, *(args.tasks or [])]


def run_set_state_selection(context: CommandContext) -> int:
    args = context.args
    new_state = str(args.state.value)
    dag_api = DAGApi(context.api.api_client)
    tasks = sorted({(ref.dag_id, ref.execution_date, ref.task_id)
                    for ref in selected_references(context)})

    def unit(dag_id: str, when: datetime, task_id: str) -> Unit:
        def call(dry_run: bool) -> list[TaskInstanceRef]:
            body = UpdateTaskInstancesState(
                dry_run=dry_run, task_id=task_id, execution_date=when, new_state=new_state,
                include_upstream=False, include_downstream=False, include_future=False,
                include_past=False)
            return references_of(dag_api.update_task_instances_state(dag_id, body))

        return Unit(dag_id, when, escaped(f"{dag_id}.{task_id} @ {when.isoformat()}"), call)

    units = [unit(dag_id, when, task_id) for dag_id, when, task_id in tasks]
    wording = Wording(verb=f"set {new_state}", doing=f"setting {new_state}",
                      question=f"Set {{what}} to {new_state}?",
                      done=f"Set {{what}} to {new_state}")
    return run_action(context, units, wording)
