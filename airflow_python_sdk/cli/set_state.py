"""set-state: give many task instances of one task a new state, a few at a time.

Only the state is sent, with update_mask=state, so nothing else of a task instance can be
overwritten by a stale copy. --dry-run reads each task instance instead and says what would
change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.bulk import BulkResult, run_bulk
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UsageError, describe, exit_code_for
from airflow_python_sdk.cli.output import print_json, print_table
from airflow_python_sdk.cli.progress import open_progress
from airflow_python_sdk.cli.safe_text import quoted
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

__all__ = ["KNOWN_STATES", "parse_state", "run_set_state"]

# Iterating a ModelEnum lists only the states it names, not ones a server invented.
KNOWN_STATES = tuple(state.value for state in TaskState)


def parse_state(text: str) -> TaskState:
    """A state this SDK knows, or a UsageError listing them."""
    value = text.strip().lower()
    if value not in KNOWN_STATES:
        raise UsageError(f"unknown state {quoted(text)}: use one of {', '.join(KNOWN_STATES)}")
    return TaskState(value)


def run_set_state(context: CommandContext, dates: list[datetime]) -> int:
    args = context.args
    state: TaskState = args.state

    def set_one(execution_date: datetime) -> Any:
        updated = context.api.update_task_instance(
            args.dag_id,
            args.task_id,
            execution_date,
            TaskInstance(state=state),
            update_mask=["state"],
        )
        return _state_text(updated.state)

    def preview_one(execution_date: datetime) -> Any:
        current = context.api.get_task_instance(args.dag_id, args.task_id, execution_date)
        return _state_text(current.state)

    verb = "checking" if args.dry_run else f"setting {state.value}"
    progress = open_progress(
        len(dates), f"{args.dag_id}.{args.task_id}: {verb}", context.stderr, not args.no_progress
    )
    try:
        result = run_bulk(
            dates, preview_one if args.dry_run else set_one, workers=args.workers,
            progress=progress,
        )
    finally:
        progress.close()
    if context.json:
        print_json(_as_json(context, result), context.stdout)
    else:
        _print_summary(context, result)
    if result.interrupted:
        context.stderr.write("\nInterrupted.\n")
        return exit_codes.INTERRUPTED
    if result.stopped_by is not None:
        return exit_code_for(result.stopped_by)
    return exit_codes.OK if result.all_succeeded else exit_codes.SOME_FAILED


def _state_text(state: Optional[TaskState]) -> Optional[str]:
    return None if state is None else str(state.value)


def _print_summary(context: CommandContext, result: BulkResult[datetime]) -> None:
    args = context.args
    out = context.stdout
    target = f"{args.dag_id}.{args.task_id}"
    total = len(result.succeeded) + len(result.failed) + len(result.not_attempted)
    state = args.state.value
    if args.dry_run:
        # Worded as clear's and set-state's selection dry runs: what would change first, then
        # "Dry run: nothing was changed." last.
        out.write(f"Setting {target} to {state} would change:\n")
        rows = [[date.isoformat(), f"{current or '-'} -> {state}"]
                for date, current in result.succeeded]
        print_table(["EXECUTION DATE", "STATE"], rows, out)
    else:
        out.write(
            f"Set {target} to {state}: {len(result.succeeded)} of {total} done, "
            f"{len(result.failed)} failed, {len(result.not_attempted)} not attempted.\n"
        )
    if result.failed:
        out.write("Failed:\n")
        for failure in result.failed:
            out.write(f"  {failure.item.isoformat()}  {describe(failure.error)}\n")
    if result.not_attempted:
        why = ("it was interrupted" if result.interrupted
               else "the run stopped after the error above")
        out.write(f"Not attempted ({why}):\n")
        for date in result.not_attempted:
            out.write(f"  {date.isoformat()}\n")
    if args.dry_run:
        out.write("Dry run: nothing was changed.\n")


def _as_json(context: CommandContext, result: BulkResult[datetime]) -> dict[str, Any]:
    args = context.args
    succeeded_key = "current_state" if args.dry_run else "state"
    return {
        "dag_id": args.dag_id,
        "task_id": args.task_id,
        "state": args.state.value,
        "dry_run": bool(args.dry_run),
        "succeeded": [
            {"execution_date": date.isoformat(), succeeded_key: value}
            for date, value in result.succeeded
        ],
        "failed": [
            {
                "execution_date": failure.item.isoformat(),
                "status": getattr(failure.error, "status", None),
                "error": describe(failure.error),
            }
            for failure in result.failed
        ],
        "not_attempted": [date.isoformat() for date in result.not_attempted],
        "stopped_by": None if result.stopped_by is None else describe(result.stopped_by),
        "interrupted": result.interrupted,
    }
