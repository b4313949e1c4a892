"""list and runs: task instances and DAG runs across DAGs, streamed as they are read.

Rows are written as pages arrive and forgotten: memory stays at one page (and the table's first
window of rows, which sizes its id columns; see style.StreamTable) whatever the number of rows.
"""

from __future__ import annotations

import os
from itertools import islice
from typing import Any, Iterator, Mapping, Optional

from airflow_python_sdk._model_runtime import ModelEnum
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UnusableAnswer
from airflow_python_sdk.cli.output import as_json_data
from airflow_python_sdk.cli.safe_text import cut, json_text, quoted
from airflow_python_sdk.cli.selection import (
    EVERY_DAG,
    Filters,
    check_dags_exist,
    filters_from,
    iter_selected,
)
from airflow_python_sdk.cli.style import Column, StreamTable, style_for
from airflow_python_sdk.model.dag_run import DAGRun

__all__ = ["run_list", "run_runs"]

_DATE_WIDTH = len("2026-11-26T00:00:00+00:00")
_TASK_INSTANCE_COLUMNS = [
    Column("DAG", 3, grows=True), Column("TASK", 4, grows=True), Column("MAP", 3),
    Column("EXECUTION DATE", _DATE_WIDTH), Column("TRY", 3), Column("STATE", 15, is_state=True),
]
_RUN_COLUMNS = [
    Column("DAG", 3, grows=True), Column("RUN ID", 6, grows=True),
    Column("EXECUTION DATE", _DATE_WIDTH), Column("STATE", 7, is_state=True),
]


def run_list(context: CommandContext, environ: Optional[Mapping[str, str]] = None) -> int:
    filters = filters_from(context.args)
    check_dags_exist(context.api, filters.dags)
    if context.args.count:
        return _print_count(context, _count_task_instances(context, filters))
    rows = 0
    table = StreamTable(_TASK_INSTANCE_COLUMNS, context.stdout,
                        style_for(context.stdout, os.environ if environ is None else environ))
    for task_instance in iter_selected(context.api, filters):
        rows += 1
        if context.json:
            _json_line(context, as_json_data(task_instance))
            continue
        map_index = task_instance.get("map_index")
        table.row([
            task_instance.dag_id, task_instance.task_id,
            None if map_index in (None, -1) else str(map_index),
            _date(task_instance.execution_date), str(task_instance.get("try_number", "-")),
            _state(task_instance.get("state")),
        ])
    if not context.json:
        table.close()
        _print_total(context, rows, "task instance")
    return exit_codes.OK


def run_runs(context: CommandContext, environ: Optional[Mapping[str, str]] = None) -> int:
    args = context.args
    filters = filters_from(args)
    check_dags_exist(context.api, filters.dags)
    runs = _iter_runs(DAGRunApi(context.api.api_client), filters)
    if args.count:
        return _print_count(context, sum(1 for _ in runs))
    rows = 0
    table = StreamTable(_RUN_COLUMNS, context.stdout,
                        style_for(context.stdout, os.environ if environ is None else environ))
    for run in runs:
        rows += 1
        if context.json:
            _json_line(context, as_json_data(run))
            continue
        table.row([run.dag_id, run.get("dag_run_id"), _date(run.get("execution_date")),
                   _state(run.get("state"))])
    if not context.json:
        table.close()
        _print_total(context, rows, "DAG run")
    return exit_codes.OK


def _iter_runs(api: DAGRunApi, filters: Filters) -> Iterator[DAGRun]:
    def every() -> Iterator[DAGRun]:
        for dag_id in filters.dags or (EVERY_DAG,):
            yield from api.iter_dag_runs(dag_id, execution_date_gte=filters.since,
                                         execution_date_lte=filters.until, state=filters.states)

    return every() if filters.limit is None else islice(every(), filters.limit)


def _count_task_instances(context: CommandContext, filters: Filters) -> int:
    """The servers' own counts: one request per DAG whatever the number of rows."""
    total = 0
    for dag_id in filters.dags or (EVERY_DAG,):
        page = context.api.get_task_instances(
            dag_id, execution_date_gte=filters.since, execution_date_lte=filters.until,
            state=filters.states, pool=filters.pools, task_id=filters.tasks, limit=1)
        counted = page.get("total_entries")
        if counted is None:  # a server that does not count: count by walking
            counted = sum(1 for _ in iter_selected(
                context.api, Filters((dag_id,), filters.states, filters.since, filters.until,
                                     filters.tasks, filters.pools)))
        elif isinstance(counted, bool) or not isinstance(counted, int) or counted < 0:
            where = "every DAG" if dag_id == EVERY_DAG else f"DAG {quoted(dag_id)}"
            raise UnusableAnswer(f"the server counts {cut(repr(counted))} task instances of "
                                 f"{where}: an impossible count, its answer cannot be used")
        total += counted
    return total if filters.limit is None else min(total, filters.limit)


def _print_count(context: CommandContext, count: int) -> int:
    if context.json:
        _json_line(context, {"count": count})
    else:
        context.stdout.write(f"{count}\n")
    return exit_codes.OK


def _print_total(context: CommandContext, rows: int, noun: str) -> None:
    if rows == 0:
        context.stdout.write(f"No {noun}s match.\n")
    else:
        context.stdout.write(f"({rows} {noun}{'' if rows == 1 else 's'})\n")


def _json_line(context: CommandContext, data: Any) -> None:
    context.stdout.write(json_text(data) + "\n")


def _date(value: Any) -> Optional[str]:
    return None if value is None else value.isoformat()


def _state(value: Any) -> str:
    if value is None:
        return "none"
    return str(value.value) if isinstance(value, ModelEnum) else str(value)
