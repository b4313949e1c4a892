"""The shape shared by clear and set-state over a selection: dry run, show, confirm, apply.

1. Every unit of work (one request each) is sent as a dry run first; any error there ends the
   command with nothing changed, so a typo in one line never leaves half a job done.
2. What the server said would change is shown.
3. `--dry-run` stops there. Otherwise `--yes` applies; without it the command asks on a
   terminal, and declines (exit 7) when stdin cannot be asked (a pipe, `--from -`).
4. Each unit is applied on its own, with a progress bar; a failed unit does not undo the others,
   and errors that every later unit would hit too (credentials, no server) stop the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ForbiddenException,
    UnauthorizedException,
)
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import describe, exit_code_for
from airflow_python_sdk.cli.output import print_table
from airflow_python_sdk.cli.progress import open_progress
from airflow_python_sdk.cli.safe_text import json_text
from airflow_python_sdk.cli.selection import TaskInstanceRef

__all__ = ["Unit", "Wording", "references_of", "run_action"]

_STOPS_THE_RUN = (UnauthorizedException, ForbiddenException, ApiConnectionError)


@dataclass(frozen=True)
class Unit:
    """One request: `call(dry_run)` answers the task instances it changes (or would)."""

    dag_id: str
    execution_date: datetime
    label: str
    call: Callable[[bool], list[TaskInstanceRef]]


@dataclass(frozen=True)
class Wording:
    verb: str  # "clear"
    done: str  # "cleared"
    doing: str  # "clearing"
    question: str  # "Clear {what}?", {what} being "these 3 task instances"


@dataclass
class _Applied:
    changed: list[TaskInstanceRef] = field(default_factory=list)
    failed: list[tuple[Unit, ApiException]] = field(default_factory=list)
    not_attempted: list[Unit] = field(default_factory=list)
    stopped_by: Optional[ApiException] = None


def references_of(answer: Any) -> list[TaskInstanceRef]:
    """The task instances of a TaskInstanceReferenceCollection."""
    refs = []
    for item in answer.get("task_instances") or ():
        map_index = item.get("map_index")
        refs.append(TaskInstanceRef(str(item.get("dag_id")), item.get("execution_date"),
                                    str(item.get("task_id")),
                                    -1 if map_index is None else int(map_index)))
    return refs


def run_action(context: CommandContext, units: Sequence[Unit], wording: Wording) -> int:
    args = context.args
    planned = sorted(_dry_run(context, units))
    if not context.json:
        _show_plan(context, planned, wording, len(units))
    if not planned:
        if context.json:
            _json(context, wording, planned, None)
        return exit_codes.OK
    if args.dry_run:
        if context.json:
            _json(context, wording, planned, None)
        else:
            context.stdout.write("Dry run: nothing was changed.\n")
        return exit_codes.OK
    if not args.yes and not _confirmed(context, len(planned), wording):
        if context.json:
            _json(context, wording, planned, None)
        return exit_codes.DECLINED
    applied = _apply(context, units, wording)
    if context.json:
        _json(context, wording, planned, applied)
    else:
        _show_applied(context, applied, len(units), wording)
    if applied.stopped_by is not None:
        return exit_code_for(applied.stopped_by)
    return exit_codes.SOME_FAILED if applied.failed or applied.not_attempted else exit_codes.OK


def _dry_run(context: CommandContext, units: Sequence[Unit]) -> set[TaskInstanceRef]:
    planned: set[TaskInstanceRef] = set()
    progress = open_progress(len(units), "dry run", context.stderr,
                             not context.args.no_progress and len(units) > 1)
    try:
        for unit in units:
            planned.update(unit.call(True))
            progress.update(1)
    finally:
        progress.close()
    return planned


def _show_plan(context: CommandContext, planned: list[TaskInstanceRef], wording: Wording,
               selected: int) -> None:
    out = context.stdout
    if not selected:
        out.write(f"Nothing to {wording.verb}: no task instance is selected.\n")
        return
    if not planned:
        out.write(f"Nothing to {wording.verb}: the server's dry run changes none of the "
                  f"{selected} selected.\n")
        return
    count = len(planned)
    out.write(f"The server's dry run: {wording.verb} would change {count} task "
              f"instance{'' if count == 1 else 's'}:\n")
    rows = [[ref.dag_id, ref.task_id, None if ref.map_index < 0 else ref.map_index,
             ref.execution_date.isoformat()] for ref in planned]
    print_table(["DAG", "TASK", "MAP", "EXECUTION DATE"], rows, out)
    out.flush()


def _confirmed(context: CommandContext, count: int, wording: Wording) -> bool:
    stdin = context.stdin
    if context.args.from_file == "-" or not _is_terminal(stdin):
        context.stderr.write("Nothing was changed: stdin is not a terminal to ask on; pass --yes "
                             "to apply, or --dry-run to only look.\n")
        return False
    what = "this task instance" if count == 1 else f"these {count} task instances"
    context.stderr.write(wording.question.format(what=what) + " [y/N] ")
    context.stderr.flush()
    if stdin.readline().strip().lower() in ("y", "yes"):
        return True
    context.stderr.write("Nothing was changed.\n")
    return False


def _apply(context: CommandContext, units: Sequence[Unit], wording: Wording) -> _Applied:
    applied = _Applied()
    progress = open_progress(len(units), wording.doing, context.stderr,
                             not context.args.no_progress)
    try:
        for unit in units:
            if applied.stopped_by is not None:
                applied.not_attempted.append(unit)
                continue
            try:
                applied.changed.extend(unit.call(False))
            except ApiException as error:
                applied.failed.append((unit, error))
                if isinstance(error, _STOPS_THE_RUN):
                    applied.stopped_by = error
            progress.update(1)
    finally:
        progress.close()
    return applied


def _show_applied(context: CommandContext, applied: _Applied, total: int,
                  wording: Wording) -> None:
    out = context.stdout
    changed = len(set(applied.changed))
    done = total - len(applied.failed) - len(applied.not_attempted)
    out.write(f"{wording.done.capitalize()} {changed} task instance{'' if changed == 1 else 's'}"
              f" ({done} of {total} request{'' if total == 1 else 's'} done, "
              f"{len(applied.failed)} failed, {len(applied.not_attempted)} not attempted).\n")
    if applied.failed:
        out.write("Failed:\n")
        for unit, error in applied.failed:
            out.write(f"  {unit.label}  {describe(error)}\n")
    if applied.not_attempted:
        out.write("Not attempted (the run stopped after the error above):\n")
        for unit in applied.not_attempted:
            out.write(f"  {unit.label}\n")


def _json(context: CommandContext, wording: Wording, planned: list[TaskInstanceRef],
          applied: Optional[_Applied]) -> None:
    document: dict[str, Any] = {
        "action": wording.verb,
        "applied": applied is not None,
        "would_change": [_ref_json(ref) for ref in planned],
    }
    if applied is not None:
        document.update(
            changed=[_ref_json(ref) for ref in sorted(set(applied.changed))],
            failed=[{"request": unit.label, "status": error.status, "error": describe(error)}
                    for unit, error in applied.failed],
            not_attempted=[unit.label for unit in applied.not_attempted],
            stopped_by=None if applied.stopped_by is None else describe(applied.stopped_by),
        )
    context.stdout.write(json_text(document, indent=2) + "\n")


def _ref_json(ref: TaskInstanceRef) -> dict[str, Any]:
    return {"dag_id": ref.dag_id, "task_id": ref.task_id, "map_index": ref.map_index,
            "execution_date": ref.execution_date.isoformat()}


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
