"""set-state over a selection: filters or --from lines, through the API's bulk change.

`set-state DAG TASK DATE...` sets one task's instances one PATCH at a time (set_state.py): each
date is a run of its own. With a selection (`--dag`, `--since`, `--in-state`, ..., or `--from`),
the task instances are changed run by run with `bulk_task_instances` (see bulk_state.py), after
reading their states: one request per 100 task instances of a run where the server has the bulk
endpoint, one PATCH per task instance, a few at a time, on Airflow 2. It takes success, failed
or skipped, and addresses each task instance, a mapped one by its map index.
"""

from __future__ import annotations

import argparse

from airflow_python_sdk.cli.bulk_state import run_bulk_state
from airflow_python_sdk.cli.clear_command import selected_references
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UsageError

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
    return run_bulk_state(context, selected_references(context), str(context.args.state.value))
