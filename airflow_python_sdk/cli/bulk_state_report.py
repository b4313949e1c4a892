"""What set-state over a selection shows: the plan (what would change, each task instance's
state now), then each task instance's own result, as text for people or one JSON document.

Results: `changed`; `unchanged` (it had the new state already: left alone, or so the server
said); `not_found` (the server no longer lists it: not sent); `failed` (the server refused it,
with its reason); `unknown` (the request holding it failed once the server may have seen it: it
may have changed; look with `airflow-sdk list`); `not_attempted`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from airflow_python_sdk._errors import ApiException
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import describe, exit_code_for
from airflow_python_sdk.cli.output import print_table
from airflow_python_sdk.cli.safe_text import cut, escaped, json_text
from airflow_python_sdk.cli.selection import TaskInstanceRef

__all__ = ["Applied", "Plan", "PlannedChange", "TaskInstanceResult", "report", "show_plan"]

DONE = ("changed", "unchanged")
_REASON_CHARS = 500
# How the text report names the results that are not done, in the order it lists them.
_NOT_DONE = (("failed", "Failed:"),
             ("unknown", "May have changed (the request holding them failed once the server "
                         "may have seen it; look with airflow-sdk list):"))


@dataclass(frozen=True)
class PlannedChange:
    ref: TaskInstanceRef
    run_id: str
    current_state: Optional[str]


@dataclass
class Plan:
    new_state: str
    selected: int
    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: list[TaskInstanceRef] = field(default_factory=list)  # in the new state already
    not_found: list[TaskInstanceRef] = field(default_factory=list)  # no longer on the server


@dataclass(frozen=True)
class TaskInstanceResult:
    ref: TaskInstanceRef
    result: str
    status: Optional[int]
    error: Optional[str]


@dataclass
class Applied:
    results: list[TaskInstanceResult] = field(default_factory=list)
    stopped_by: Optional[ApiException] = None
    interrupted: bool = False

    def of(self, result: str) -> list[TaskInstanceResult]:
        return [item for item in self.results if item.result == result]


def show_plan(context: CommandContext, plan: Plan) -> None:
    out = context.stdout
    verb = f"set {plan.new_state}"
    if not plan.selected:
        out.write(f"Nothing to {verb}: no task instance is selected.\n")
        return
    if plan.not_found:
        out.write(f"Not found (the server no longer lists {_them(len(plan.not_found))}; "
                  "not sent):\n")
        _table([(ref, None) for ref in plan.not_found], out, with_state=False)
    if plan.unchanged:
        out.write(f"{_count(len(plan.unchanged))} of those selected {_have(len(plan.unchanged))} "
                  f"the state {plan.new_state} already.\n")
    if not plan.changes:
        out.write(f"Nothing to {verb}.\n")
        return
    out.write(f"Setting {plan.new_state} would change {_count(len(plan.changes))} (their "
              "states now):\n")
    _table([(change.ref, change.current_state) for change in plan.changes], out,
           with_state=True)
    if context.args.dry_run:
        out.write("Dry run: nothing was changed.\n")
    out.flush()


def report(context: CommandContext, plan: Plan, applied: Optional[Applied]) -> int:
    """Show what was done (JSON with --json; the plan alone when nothing was applied); the
    command's exit status."""
    if context.json:
        context.stdout.write(json_text(_document(plan, applied), indent=2) + "\n")
    elif applied is not None:
        _show_applied(context, plan, applied)
    if applied is None:  # a dry run, or nothing to change: what is not found is not done
        return exit_codes.SOME_FAILED if plan.not_found else exit_codes.OK
    if applied.interrupted:
        context.stderr.write("\nInterrupted.\n")
        return exit_codes.INTERRUPTED
    if applied.stopped_by is not None:
        return exit_code_for(applied.stopped_by)
    if plan.not_found or any(item.result not in DONE for item in applied.results):
        return exit_codes.SOME_FAILED
    return exit_codes.OK


def _show_applied(context: CommandContext, plan: Plan, applied: Applied) -> None:
    out = context.stdout
    changed = len(applied.of("changed"))
    unchanged = len(plan.unchanged) + len(applied.of("unchanged"))
    failed = len(applied.of("failed")) + len(plan.not_found)
    unknown = len(applied.of("unknown"))
    skipped = len(applied.of("not_attempted"))
    others = [item for item in applied.results
              if item.result not in (*DONE, "failed", "unknown", "not_attempted")]
    out.write(f"Set {plan.new_state}: {changed} changed, {unchanged} had it already, {failed} "
              f"failed, {unknown} may have changed, {skipped} not attempted "
              f"(of {plan.selected} selected).\n")
    for result, title in _NOT_DONE:
        listed = applied.of(result)
        if listed:
            out.write(title + "\n")
            for item in listed:
                out.write(f"  {escaped(str(item.ref))}  {_reason(item)}\n")
    if others:  # results a newer server invented: not done
        out.write("Not done (results this command does not know):\n")
        for item in others:
            out.write(f"  {escaped(str(item.ref))}  {escaped(item.result)}: {_reason(item)}\n")
    not_attempted = applied.of("not_attempted")
    if not_attempted:
        why = ("it was interrupted" if applied.interrupted
               else "the run stopped after the error above")
        out.write(f"Not attempted ({why}):\n")
        for item in not_attempted:
            out.write(f"  {escaped(str(item.ref))}\n")
    if applied.stopped_by is not None:
        out.write(f"Stopped by: {describe(applied.stopped_by)}\n")


def _document(plan: Plan, applied: Optional[Applied]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "action": f"set {plan.new_state}",
        "state": plan.new_state,
        "applied": applied is not None,
        "would_change": [{**_ref_json(change.ref), "dag_run_id": change.run_id,
                          "current_state": change.current_state} for change in plan.changes],
        "unchanged": [_ref_json(ref) for ref in plan.unchanged],
        "not_found": [_ref_json(ref) for ref in plan.not_found],
    }
    if applied is not None:
        document["unchanged"] += [_ref_json(item.ref) for item in applied.of("unchanged")]
        document.update(
            changed=[_ref_json(item.ref) for item in applied.of("changed")],
            failed=[_failure_json(item) for item in applied.results
                    if item.result not in (*DONE, "unknown", "not_attempted")],
            unknown=[_failure_json(item) for item in applied.of("unknown")],
            not_attempted=[_ref_json(item.ref) for item in applied.of("not_attempted")],
            stopped_by=None if applied.stopped_by is None else describe(applied.stopped_by),
            interrupted=applied.interrupted,
        )
    return document


def _ref_json(ref: TaskInstanceRef) -> dict[str, Any]:
    return {"dag_id": ref.dag_id, "task_id": ref.task_id, "map_index": ref.map_index,
            "execution_date": ref.execution_date.isoformat()}


def _failure_json(item: TaskInstanceResult) -> dict[str, Any]:
    return {**_ref_json(item.ref), "result": item.result, "status": item.status,
            "error": item.error}


def _reason(item: TaskInstanceResult) -> str:
    text = " ".join((item.error or "no reason given").split())
    if item.status and not text.startswith(str(item.status)):
        text = f"{item.status} {text}"
    return escaped(cut(text, _REASON_CHARS))


def _table(rows: list[tuple[TaskInstanceRef, Optional[str]]], out: Any,
           with_state: bool) -> None:
    headers = ["DAG", "TASK", "MAP", "EXECUTION DATE"] + (["STATE"] if with_state else [])
    cells = [[ref.dag_id, ref.task_id, None if ref.map_index < 0 else ref.map_index,
              ref.execution_date.isoformat()] + ([state] if with_state else [])
             for ref, state in rows]
    print_table(headers, cells, out)


def _count(number: int) -> str:
    return f"{number} task instance{'' if number == 1 else 's'}"


def _them(number: int) -> str:
    return "it" if number == 1 else f"these {number}"


def _have(number: int) -> str:
    return "has" if number == 1 else "have"
