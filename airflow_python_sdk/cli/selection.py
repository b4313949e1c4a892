"""Which task instances a command is about: filters walked page by page, or `--from` lines.

Filters (`--dag`, `--state`, `--since`, `--until`, `--task`, `--pool`, `--limit`) are sent to the
server's list operation and its pages are walked as they are consumed, one page in memory. The
dates filter on the execution date (the run's logical date), the same field `clear` and
`set-state` address runs by.

`--from FILE` (`-` for stdin) reads task instances as `list --json` writes them, one JSON object
per line. Every line is checked before any is used: one bad line (its number is named) and
nothing is changed.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from typing import Any, Iterable, Iterator, Optional, TextIO

from airflow_python_sdk._errors import NotFoundException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.dates import parse_execution_date
from airflow_python_sdk.cli.diagnosis import is_no_api_here
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.input_lines import NumberedLines, read_lines, source_name
from airflow_python_sdk.cli.safe_text import escaped, quoted
from airflow_python_sdk.model.task_instance import TaskInstance

__all__ = [
    "EVERY_DAG",
    "DagNotFound",
    "Filters",
    "TaskInstanceRef",
    "check_dags_exist",
    "filters_from",
    "iter_selected",
    "read_reference_lines",
    "read_references",
    "reference_of",
]

EVERY_DAG = "~"
_SHOWN_PROBLEMS = 5


class DagNotFound(UsageError):
    """A DAG named with --dag has no task instances on the server (or the server says 404)."""

    exit_code = exit_codes.NOT_FOUND


@dataclass(frozen=True)
class Filters:
    dags: tuple[str, ...]  # empty: every DAG
    states: Optional[list[Any]] = None
    since: Optional[datetime] = None
    until: Optional[datetime] = None
    tasks: Optional[list[str]] = None
    pools: Optional[list[str]] = None
    limit: Optional[int] = None

    @property
    def given(self) -> bool:
        """Whether any filter narrows the selection (a bulk change needs at least one)."""
        return bool(self.dags or self.states or self.since or self.until or self.tasks
                    or self.pools)


@dataclass(frozen=True, order=True)
class TaskInstanceRef:
    dag_id: str
    execution_date: datetime
    task_id: str
    map_index: int = -1

    def __str__(self) -> str:
        mapped = f"[{self.map_index}]" if self.map_index >= 0 else ""
        return f"{self.dag_id}.{self.task_id}{mapped} @ {self.execution_date.isoformat()}"


def filters_from(args: argparse.Namespace, states: Optional[list[Any]] = None) -> Filters:
    """The filters of parsed arguments; `states` replaces --state when given."""
    if args.since is not None and args.until is not None and args.since > args.until:
        raise UsageError(
            f"--since {args.since.isoformat()} is after --until {args.until.isoformat()}: "
            "nothing can match"
        )
    return Filters(
        dags=tuple(dict.fromkeys(args.dags or ())),
        states=states if states is not None else (args.states or None),
        since=args.since,
        until=args.until,
        tasks=args.tasks or None,
        pools=args.pools or None,
        limit=args.limit,
    )


def check_dags_exist(api: TaskInstanceApi, dags: Iterable[str]) -> None:
    """One small request per named DAG: a DAG without a single task instance is a typo far more
    often than an empty DAG, and an empty answer would not say which."""
    for dag_id in dags:
        try:
            page = api.get_task_instances(dag_id, limit=1)
        except NotFoundException as error:
            if is_no_api_here(error):
                raise  # the requests miss the API itself: no DAG is to blame
            page = None
        if page is None or not (page.get("task_instances") or page.get("total_entries")):
            raise DagNotFound(f"no DAG {quoted(dag_id)} on the server (it has no task instances)")


def iter_selected(api: TaskInstanceApi, filters: Filters) -> Iterator[TaskInstance]:
    """The task instances the filters select, DAG after DAG, pages fetched as consumed."""

    def every() -> Iterator[TaskInstance]:
        for dag_id in filters.dags or (EVERY_DAG,):
            yield from api.iter_task_instances(
                dag_id,
                execution_date_gte=filters.since,
                execution_date_lte=filters.until,
                state=filters.states,
                pool=filters.pools,
                task_id=filters.tasks,
            )

    return every() if filters.limit is None else islice(every(), filters.limit)


def reference_of(task_instance: TaskInstance) -> TaskInstanceRef:
    map_index = task_instance.get("map_index")
    when = task_instance.execution_date
    if when is None:  # the API addresses task instances by execution date; none, no address
        raise UsageError(f"{escaped(f'{task_instance.dag_id}.{task_instance.task_id}')} has no "
                         "execution date: it cannot be addressed")
    return TaskInstanceRef(
        dag_id=str(task_instance.dag_id),
        execution_date=when,
        task_id=str(task_instance.task_id),
        map_index=-1 if map_index is None else int(map_index),
    )


def read_references(path: str, stdin: TextIO) -> list[TaskInstanceRef]:
    """The task instances of a file of `list --json` lines, or of stdin when `path` is "-"."""
    return read_reference_lines(read_lines(path, stdin), source_name(path))


def read_reference_lines(lines: NumberedLines, source: str) -> list[TaskInstanceRef]:
    """One JSON object per line with dag_id, task_id, execution_date (map_index optional);
    blank lines are skipped; a task instance given twice is kept once."""
    refs: dict[TaskInstanceRef, None] = {}
    problems: list[str] = []
    for number, line in lines:
        if not line.strip():
            continue
        try:
            refs.setdefault(_reference(line), None)
        except ValueError as error:
            problems.append(f"{source}, line {number}: {error}")
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        tail = f" (and {more} more)" if more > 0 else ""
        raise UsageError("; ".join(problems[:_SHOWN_PROBLEMS]) + tail + "; nothing was changed")
    return list(refs)


def _reference(line: str) -> TaskInstanceRef:
    try:
        item = json.loads(line)
    except RecursionError:
        raise ValueError(f"not a JSON object: nested too deeply: {_excerpt(line)}") from None
    except ValueError:
        raise ValueError(f"not a JSON object: {_excerpt(line)}") from None
    if not isinstance(item, dict):
        raise ValueError(f"not a JSON object: {_excerpt(line)}")
    missing = [name for name in ("dag_id", "task_id", "execution_date")
               if not isinstance(item.get(name), str) or not item[name]]
    if missing:
        raise ValueError(f"{', '.join(missing)} missing (each line needs dag_id, task_id and "
                         "execution_date, as `airflow-sdk list --json` writes them)")
    map_index = item.get("map_index", -1)
    if map_index is None:
        map_index = -1
    if isinstance(map_index, bool) or not isinstance(map_index, int) or map_index < -1:
        raise ValueError(f"map_index {map_index!r} is not a whole number, -1 or more")
    try:
        when = parse_execution_date(item["execution_date"])
    except UsageError as error:
        raise ValueError(str(error)) from None
    return TaskInstanceRef(item["dag_id"], when.astimezone(timezone.utc), item["task_id"],
                           map_index)


def _excerpt(line: str, longest: int = 60) -> str:
    text = line.strip()
    return repr(text if len(text) <= longest else text[: longest - 3] + "...")
