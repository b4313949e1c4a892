"""trigger, wait, mark-run, clear-run and delete-run: a DAG run's life from the command line,
and clear's --wait.

trigger sends the run's execution date (now when --date is not given), so that its task
instances can be found by it on every server. clear-run shows the server's dry run before the
real clear, as clear does.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from airflow_python_sdk._waiting.states import state_text
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.clear_command import run_clear
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.dates import parse_execution_date
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.output import as_json_data, print_json, print_table
from airflow_python_sdk.cli.run_parser import check_run_arguments
from airflow_python_sdk.cli.safe_text import escaped, quoted
from airflow_python_sdk.cli.wait_report import wait_for_run, wait_for_task_instances
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun

__all__ = ["RUN_COMMANDS", "read_conf"]


def read_conf(text: Optional[str]) -> Optional[dict[str, Any]]:
    """--conf: a JSON object, or @FILE holding one."""
    if text is None:
        return None
    source = "--conf"
    if text.startswith("@"):
        path = text[1:]
        source = f"--conf @{path}"
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise UsageError(f"cannot read {quoted(path)}: {error.strerror or error}") from None
    try:
        conf = json.loads(text)
    except ValueError as error:
        raise UsageError(f"{source} is not JSON: {error}") from None
    if not isinstance(conf, dict):
        raise UsageError(f"{source} must be a JSON object ({{\"key\": value, ...}}), not "
                         f"{type(conf).__name__}")
    return conf


def run_trigger(context: CommandContext) -> int:
    args = context.args
    conf = read_conf(args.conf)
    when = (parse_execution_date(args.date, "--date") if args.date is not None
            else datetime.now(timezone.utc))
    api_client = context.api.api_client
    if args.unpause:
        dag = DAGApi(api_client).get_dag(args.dag_id)
        if dag.get("is_paused"):
            DAGApi(api_client).update_dag(args.dag_id, DAG(is_paused=False),
                                          update_mask=["is_paused"])
            if not context.json:
                context.stdout.write(f"Unpaused DAG {args.dag_id}.\n")
    fields: dict[str, Any] = {"execution_date": when}
    for name, value in (("dag_run_id", args.run_id), ("conf", conf), ("note", args.note)):
        if value is not None:
            fields[name] = value
    run = DAGRunApi(api_client).trigger_dag_run(args.dag_id, DAGRun(**fields))
    run_id = str(run.get("dag_run_id"))
    document = {"triggered": as_json_data(run)}
    if not args.wait:
        if context.json:
            print_json(document, context.stdout)
        else:
            _say_triggered(context, run)
        return exit_codes.OK
    if not context.json:
        _say_triggered(context, run)
        context.stdout.write("Waiting for it to finish...\n")
        context.stdout.flush()
    return wait_for_run(context, args.dag_id, run_id, document)


def _say_triggered(context: CommandContext, run: DAGRun) -> None:
    date = run.get("execution_date")
    context.stdout.write(
        f"Triggered run {escaped(str(run.get('dag_run_id')))} of {escaped(str(run.get('dag_id')))}"
        f" ({state_text(run.get('state')) or 'no state'}"
        f"{', execution date ' + date.isoformat() if date is not None else ''}).\n")


def run_wait(context: CommandContext) -> int:
    return wait_for_run(context, context.args.dag_id, context.args.dag_run_id)


def run_mark(context: CommandContext) -> int:
    args = context.args
    check_run_arguments(args)
    runs = DAGRunApi(context.api.api_client)
    current = runs.get_dag_run(args.dag_id, args.dag_run_id)
    changes = {name: value for name, value in (("state", args.state), ("note", args.note))
               if value is not None}
    what = " and ".join(f"{name} {value!r}" for name, value in changes.items())
    question = (f"Set the {what} of run {args.dag_run_id} of {args.dag_id} (now "
                f"{escaped(str(state_text(current.get('state'))))})? [y/N] ")
    if not args.yes and not _confirmed(context, question):
        return exit_codes.DECLINED
    run = runs.update_dag_run(args.dag_id, args.dag_run_id, DAGRun(**changes),
                              update_mask=sorted(changes))
    if context.json:
        print_json({"dag_run": as_json_data(run)}, context.stdout)
    else:
        context.stdout.write(f"Run {args.dag_run_id} of {args.dag_id} is now "
                             f"{escaped(str(state_text(run.get('state'))))}"
                             f"{'; note: ' + escaped(str(run.get('note'))) if args.note else ''}."
                             "\n")
    return exit_codes.OK


def run_clear_run(context: CommandContext) -> int:
    args = context.args
    runs = DAGRunApi(context.api.api_client)
    would = runs.clear_dag_run(args.dag_id, args.dag_run_id, ClearDagRun(dry_run=True))
    planned = list(would.get("task_instances") or [])
    if not context.json:
        _show_refs(context, planned, f"The server's dry run: clearing run {args.dag_run_id} of "
                                     f"{args.dag_id} would clear")
    if not planned or args.dry_run:
        if context.json:
            print_json({"would_clear": [_ref(item) for item in planned], "cleared": None},
                       context.stdout)
        elif args.dry_run:
            context.stdout.write("Dry run: nothing was changed.\n")
        return exit_codes.OK
    if not args.yes and not _confirmed(
            context, f"Clear these {len(planned)} task instances? [y/N] "):
        return exit_codes.DECLINED
    cleared = runs.clear_dag_run(args.dag_id, args.dag_run_id, ClearDagRun(dry_run=False))
    done = list(cleared.get("task_instances") or [])
    document = {"would_clear": [_ref(item) for item in planned],
                "cleared": [_ref(item) for item in done]}
    if not context.json:
        context.stdout.write(f"Cleared {len(done)} task instances; the run is queued again.\n")
    if not args.wait:
        if context.json:
            print_json(document, context.stdout)
        return exit_codes.OK
    return wait_for_task_instances(context, done, document)


def run_delete_run(context: CommandContext) -> int:
    args = context.args
    name = f"run {args.dag_run_id} of {args.dag_id}"
    if not args.yes and not _confirmed(context, f"Delete {name} and its task instances? "
                                                "[y/N] "):
        return exit_codes.DECLINED
    DAGRunApi(context.api.api_client).delete_dag_run(args.dag_id, args.dag_run_id)
    if context.json:
        print_json({"deleted": True, "dag_id": args.dag_id, "dag_run_id": args.dag_run_id},
                   context.stdout)
    else:
        context.stdout.write(f"Deleted {name}.\n")
    return exit_codes.OK


def run_clear_and_wait(context: CommandContext) -> int:
    """clear, and with --wait, a wait for what it cleared."""
    if not getattr(context.args, "wait", False):
        return run_clear(context)
    cleared: list[Any] = []
    status = run_clear(context, on_cleared=cleared.extend)
    if status != exit_codes.OK or not cleared:
        return status
    return wait_for_task_instances(context, cleared)


def _show_refs(context: CommandContext, refs: list[Any], heading: str) -> None:
    out = context.stdout
    if not refs:
        out.write(f"{heading} nothing.\n")
        return
    out.write(f"{heading} {len(refs)} task instance{'' if len(refs) == 1 else 's'}:\n")
    rows = [[item.get("task_id"), _map(item), _iso(item.get("execution_date"))] for item in refs]
    print_table(["TASK", "MAP", "EXECUTION DATE"], rows, out)
    out.flush()


def _ref(item: Any) -> dict[str, Any]:
    return {"dag_id": item.get("dag_id"), "dag_run_id": item.get("dag_run_id"),
            "task_id": item.get("task_id"), "map_index": item.get("map_index"),
            "execution_date": _iso(item.get("execution_date"))}


def _map(item: Any) -> Any:
    value = item.get("map_index")
    return None if value is None or value < 0 else value


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _confirmed(context: CommandContext, question: str) -> bool:
    # As delete does: the answer is read from stdin even when it is not a terminal, so that
    # `echo y | ...` works; an empty stdin answers no.
    context.stderr.write(question)
    context.stderr.flush()
    if context.stdin.readline().strip().lower() in ("y", "yes"):
        return True
    context.stderr.write("Nothing was changed.\n")
    return False


RUN_COMMANDS: dict[str, Callable[[CommandContext], int]] = {
    "trigger": run_trigger,
    "wait": run_wait,
    "mark-run": run_mark,
    "clear-run": run_clear_run,
    "delete-run": run_delete_run,
    "clear": run_clear_and_wait,
}
