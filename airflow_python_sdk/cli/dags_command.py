"""dags, pause and unpause.

`pause --pattern TEXT` changes every DAG whose id contains TEXT: the DAGs that match are read
with the same filter first (iter_dags) and shown, and the command asks before the one request
that changes them all (update_dags); --yes does not ask, and a stdin that is not a terminal
declines, as clear does. A DAG already in the state asked for is shown as such and left alone by
the count, though the server's bulk change names it too.
"""

from __future__ import annotations

from typing import Any, Sequence

from airflow_python_sdk._model_runtime import Model
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.output import as_json_data, print_json, print_table
from airflow_python_sdk.cli.run_parser import check_run_arguments
from airflow_python_sdk.cli.safe_text import escaped
from airflow_python_sdk.model.dag import DAG

__all__ = ["DAG_COMMANDS"]


def run_dags(context: CommandContext) -> int:
    args = context.args
    found = list(DAGApi(context.api.api_client).iter_dags(
        dag_id_pattern=args.pattern, paused=args.paused, tags=args.tags))
    if context.json:
        print_json({"dags": [as_json_data(dag) for dag in found],
                    "total_entries": len(found)}, context.stdout)
        return exit_codes.OK
    if not found:
        context.stdout.write("No DAG matches.\n")
        return exit_codes.OK
    _dag_table(context, found)
    return exit_codes.OK


def run_pause(context: CommandContext) -> int:
    return _set_paused(context, True)


def run_unpause(context: CommandContext) -> int:
    return _set_paused(context, False)


def _set_paused(context: CommandContext, paused: bool) -> int:
    args = context.args
    check_run_arguments(args)
    dags = DAGApi(context.api.api_client)
    verb = "pause" if paused else "unpause"
    body = DAG(is_paused=paused)
    if args.dag_id is not None:
        dag = dags.update_dag(args.dag_id, body, update_mask=["is_paused"])
        if context.json:
            print_json({"changed": [as_json_data(dag)]}, context.stdout)
        else:
            context.stdout.write(f"{verb.capitalize()}d DAG {escaped(str(dag.dag_id))}.\n")
        return exit_codes.OK
    matching = list(dags.iter_dags(dag_id_pattern=args.pattern))
    to_change = [dag for dag in matching if bool(dag.get("is_paused")) != paused]
    if not context.json:
        _show_plan(context, matching, to_change, verb)
    if not to_change:
        if context.json:
            print_json({"matching": [as_json_data(dag) for dag in matching], "changed": []},
                       context.stdout)
        return exit_codes.OK
    if not args.yes and not _confirmed(context, f"{verb.capitalize()} {_count(to_change)}?"):
        return exit_codes.DECLINED
    answer = dags.update_dags(body, update_mask=["is_paused"], dag_id_pattern=args.pattern)
    changed = [dag for dag in answer.get("dags") or []
               if dag.get("dag_id") in {item.get("dag_id") for item in to_change}]
    if context.json:
        print_json({"matching": [as_json_data(dag) for dag in matching],
                    "changed": [as_json_data(dag) for dag in changed]}, context.stdout)
    else:
        context.stdout.write(f"{verb.capitalize()}d {_count(changed)}: "
                             f"{escaped(', '.join(str(dag.get('dag_id')) for dag in changed))}.\n")
    return exit_codes.OK


def _show_plan(context: CommandContext, matching: Sequence[Model], to_change: Sequence[Model],
               verb: str) -> None:
    out = context.stdout
    if not matching:
        out.write(f"No DAG id contains {context.args.pattern!r}: nothing to {verb}.\n")
        return
    out.write(f"{_count(matching)} match {context.args.pattern!r}; {verb} would change "
              f"{len(to_change)} of them:\n")
    _dag_table(context, matching)
    out.flush()


def _confirmed(context: CommandContext, question: str) -> bool:
    stdin = context.stdin
    try:
        terminal = bool(stdin.isatty())
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        context.stderr.write("Nothing was changed: stdin is not a terminal to ask on; pass --yes "
                             "to apply.\n")
        return False
    context.stderr.write(f"{question} [y/N] ")
    context.stderr.flush()
    if stdin.readline().strip().lower() in ("y", "yes"):
        return True
    context.stderr.write("Nothing was changed.\n")
    return False


def _dag_table(context: CommandContext, dags: Sequence[Model]) -> None:
    rows = [[dag.get("dag_id"), "yes" if dag.get("is_paused") else "no", _schedule(dag),
             ",".join(str(tag.get("name")) for tag in dag.get("tags") or []) or None,
             ",".join(dag.get("owners") or []) or None] for dag in dags]
    print_table(["DAG", "PAUSED", "SCHEDULE", "TAGS", "OWNERS"], rows, context.stdout)


def _schedule(dag: Model) -> Any:
    schedule = dag.get("schedule_interval")
    if schedule is None:
        return None
    value = schedule.get("value") if hasattr(schedule, "get") else None
    return value if value is not None else str(schedule)


def _count(dags: Sequence[Any]) -> str:
    return f"{len(dags)} DAG{'' if len(dags) == 1 else 's'}"


DAG_COMMANDS = {"dags": run_dags, "pause": run_pause, "unpause": run_unpause}
