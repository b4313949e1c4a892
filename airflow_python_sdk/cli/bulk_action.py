"""The shape shared by clear and set-state over a selection: dry run, show, confirm, apply.

1. Every unit of work (one request each) is sent as a dry run first; any error there ends the
   command with nothing changed, so a typo in one line never leaves half a job done. A dry run
   whose answer cannot be used (a task instance without an execution date or ids) is an error
   too: the server's (exit 5), with nothing changed.
2. What the server said would change is shown.
3. `--dry-run` stops there. Otherwise `--yes` applies; without it the command asks on a
   terminal, and declines (exit 7) when stdin cannot be asked (a pipe, `--from -`).
4. Each unit whose dry run would change something is applied on its own (one whose dry run
   changes nothing is not sent), with a progress bar; a failed unit does not undo the others,
   and errors that every later unit would hit too (credentials, no server) stop the run. Ctrl-C
   lets the request in flight finish, sends no other, and the summary says which were not
   attempted (exit 130).
5. A unit that changed task instances its dry run had not shown is named with them, and the
   command ends with exit 5: an action never changes more than it showed without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.bulk import BulkResult, run_bulk
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UnusableAnswer, describe, exit_code_for
from airflow_python_sdk.cli.output import print_table
from airflow_python_sdk.cli.progress import open_progress
from airflow_python_sdk.cli.references import references_of
from airflow_python_sdk.cli.safe_text import json_text
from airflow_python_sdk.cli.selection import TaskInstanceRef

__all__ = ["Unit", "Wording", "confirmed", "references_of", "run_action"]


@dataclass(frozen=True)
class Unit:
    """One request: `call(dry_run)` answers the task instances it changes (or would)."""

    dag_id: str
    execution_date: datetime
    label: str  # escaped: it is printed as it is
    call: Callable[[bool], list[TaskInstanceRef]]


@dataclass(frozen=True)
class Wording:
    verb: str  # "clear"
    doing: str  # "clearing"
    question: str  # "Clear {what}?", {what} being "these 3 task instances"
    done: str  # "Cleared {what}", {what} being "3 task instances"


@dataclass
class _Applied:
    result: BulkResult[Unit]
    changed: list[TaskInstanceRef] = field(default_factory=list)
    # What the server changed beyond its dry run, by unit.
    unexpected: list[TaskInstanceRef] = field(default_factory=list)


def run_action(context: CommandContext, units: Sequence[Unit], wording: Wording) -> int:
    args = context.args
    plans = _dry_run(context, units)
    planned = sorted({ref for refs in plans.values() for ref in refs})
    if not context.json:
        _show_plan(context, planned, wording, len(units))
    if not planned or args.dry_run:
        if context.json:
            _json(context, wording, planned, None)
        elif planned:
            context.stdout.write("Dry run: nothing was changed.\n")
        return exit_codes.OK
    if not args.yes and not confirmed(context, len(planned), wording.question):
        if context.json:
            _json(context, wording, planned, None)
        return exit_codes.DECLINED
    applied = _apply(context, [unit for unit in units if plans[id(unit)]], plans, wording)
    if context.json:
        _json(context, wording, planned, applied)
    else:
        _show_applied(context, applied, wording)
    return _exit_status(context, applied)


def _dry_run(context: CommandContext, units: Sequence[Unit]) -> dict[int, set[TaskInstanceRef]]:
    """What each unit's dry run would change, by id(unit)."""
    plans: dict[int, set[TaskInstanceRef]] = {}
    progress = open_progress(len(units), "dry run", context.stderr,
                             not context.args.no_progress and len(units) > 1)
    try:
        for unit in units:
            try:
                plans[id(unit)] = set(unit.call(True))
            except UnusableAnswer as error:
                raise UnusableAnswer(f"the server's dry run {error}: its answer cannot be used; "
                                     "nothing was changed") from None
            progress.update(1)
    finally:
        progress.close()
    return plans


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
    _ref_table(planned, out)
    out.flush()


def _ref_table(refs: Sequence[TaskInstanceRef], out: Any) -> None:
    rows = [[ref.dag_id, ref.task_id, None if ref.map_index < 0 else ref.map_index,
             ref.execution_date.isoformat()] for ref in refs]
    print_table(["DAG", "TASK", "MAP", "EXECUTION DATE"], rows, out)


def confirmed(context: CommandContext, count: int, question: str) -> bool:
    """Whether the user said yes to `question` ("Clear {what}?") on a terminal; False, with
    why, when stdin cannot be asked."""
    stdin = context.stdin
    if context.args.from_file == "-" or not _is_terminal(stdin):
        context.stderr.write("Nothing was changed: stdin is not a terminal to ask on; pass --yes "
                             "to apply, or --dry-run to only look.\n")
        return False
    what = "this task instance" if count == 1 else f"these {count} task instances"
    context.stderr.write(question.format(what=what) + " [y/N] ")
    context.stderr.flush()
    if stdin.readline().strip().lower() in ("y", "yes"):
        return True
    context.stderr.write("Nothing was changed.\n")
    return False


def _apply(context: CommandContext, units: Sequence[Unit], plans: dict[int, set[TaskInstanceRef]],
           wording: Wording) -> _Applied:
    def send(unit: Unit) -> list[TaskInstanceRef]:
        try:
            return unit.call(False)
        except UnusableAnswer as error:
            raise UnusableAnswer(f"sent, but the server's answer {error}: it cannot be used, and "
                                 "the change may have been made (look with airflow-sdk list)"
                                 ) from None

    progress = open_progress(len(units), wording.doing, context.stderr,
                             not context.args.no_progress)
    try:
        # One request at a time, in order; Ctrl-C lets the one in flight finish.
        result = run_bulk(units, send, workers=1, progress=progress)
    finally:
        progress.close()
    applied = _Applied(result)
    for unit, refs in result.succeeded:
        applied.changed.extend(refs)
        applied.unexpected.extend(ref for ref in refs if ref not in plans[id(unit)])
    applied.changed = sorted(set(applied.changed))
    applied.unexpected = sorted(set(applied.unexpected))
    return applied


def _show_applied(context: CommandContext, applied: _Applied, wording: Wording) -> None:
    out = context.stdout
    result = applied.result
    changed = len(applied.changed)
    total = len(result.succeeded) + len(result.failed) + len(result.not_attempted)
    what = f"{changed} task instance{'' if changed == 1 else 's'}"
    out.write(f"{wording.done.format(what=what)} ({len(result.succeeded)} of {total} "
              f"request{'' if total == 1 else 's'} done, {len(result.failed)} failed, "
              f"{len(result.not_attempted)} not attempted).\n")
    if result.failed:
        out.write("Failed:\n")
        for failure in result.failed:
            out.write(f"  {failure.item.label}  {describe(failure.error)}\n")
    if result.not_attempted:
        why = ("it was interrupted" if result.interrupted
               else "the run stopped after the error above")
        out.write(f"Not attempted ({why}):\n")
        for unit in result.not_attempted:
            out.write(f"  {unit.label}\n")
    if applied.unexpected:
        count = len(applied.unexpected)
        out.write(f"The server also changed {count} task instance{'' if count == 1 else 's'} "
                  "its dry run had not shown:\n")
        _ref_table(applied.unexpected, out)


def _exit_status(context: CommandContext, applied: _Applied) -> int:
    result = applied.result
    if result.interrupted:
        context.stderr.write("\nInterrupted.\n")
        return exit_codes.INTERRUPTED
    if result.stopped_by is not None:
        return exit_code_for(result.stopped_by)
    if applied.unexpected:
        return exit_codes.API_ERROR
    return exit_codes.SOME_FAILED if result.failed or result.not_attempted else exit_codes.OK


def _json(context: CommandContext, wording: Wording, planned: list[TaskInstanceRef],
          applied: Optional[_Applied]) -> None:
    document: dict[str, Any] = {
        "action": wording.verb,
        "applied": applied is not None,
        "would_change": [_ref_json(ref) for ref in planned],
    }
    if applied is not None:
        result = applied.result
        document.update(
            changed=[_ref_json(ref) for ref in applied.changed],
            unexpected=[_ref_json(ref) for ref in applied.unexpected],
            failed=[{"request": failure.item.label,
                     "status": getattr(failure.error, "status", 0),
                     "error": describe(failure.error)} for failure in result.failed],
            not_attempted=[unit.label for unit in result.not_attempted],
            stopped_by=None if result.stopped_by is None else describe(result.stopped_by),
            interrupted=result.interrupted,
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
