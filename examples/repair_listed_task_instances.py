#!/usr/bin/env python3
"""A repair job for a list of Airflow task instances, written with airflow_python_sdk.

(maintenance_job.py finds the failures itself; this one looks after the task instances a file
names, with the single-task-instance operations only, which every server supports.)

For every task instance in a list (a file of "DAG_ID TASK_ID EXECUTION_DATE" lines) it:

1. reads the task instance, to find the failed ones and the stale ones (never started, and
   due longer ago than --stale-after hours);
2. for each failed one, reads the log of its latest try to the end by following the
   continuation tokens, and lists its extra links;
3. marks each failed one success, sending only the state (update_mask=state), so nothing else
   of the task instance can be overwritten;
4. deletes the stale ones;

then prints a summary. Exit status: 0 when everything it tried worked, 1 when something failed,
2 when it could not run (no server named, credentials refused, server unreachable).

The server comes from the environment, so the same job runs anywhere:

    AIRFLOW_API_HOST=http://localhost:8080/api/v1 AIRFLOW_API_USERNAME=admin \\
    AIRFLOW_API_PASSWORD=... AIRFLOW_API_DIALECT=airflow2 \\
        python examples/repair_listed_task_instances.py my_task_instances.txt

task_instances.txt names the embedded server's sample data.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional, Sequence

import airflow_python_sdk
from airflow_python_sdk import (
    ApiConnectionError,
    ApiException,
    NotFoundException,
    UnauthorizedException,
)
from airflow_python_sdk._internal.datetimes import parse_datetime
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_logs
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

DEFAULT_LIST = Path(__file__).with_name("task_instances.txt")
# A task instance in one of these states was planned but has not started.
NOT_STARTED = {None, TaskState.NONE, TaskState.SCHEDULED, TaskState.QUEUED}
LOG_TAIL_LINES = 2
SHOWN_CHARS = 110


@dataclass(frozen=True)
class TaskInstanceRef:
    dag_id: str
    task_id: str
    execution_date: datetime

    def __str__(self) -> str:
        return f"{self.dag_id}.{self.task_id} @ {self.execution_date.isoformat()}"


@dataclass
class Report:
    checked: int = 0
    missing: int = 0
    failed_found: int = 0
    marked_success: int = 0
    stale_found: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)


def read_task_instance_list(path: Path) -> list[TaskInstanceRef]:
    """Lines of "DAG_ID TASK_ID EXECUTION_DATE"; blank lines and # comments are skipped."""
    refs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 3:
            raise ValueError(f"{path}, line {number}: expected DAG_ID TASK_ID EXECUTION_DATE")
        try:
            execution_date = parse_datetime(words[2])
        except ValueError as error:
            raise ValueError(f"{path}, line {number}: {error} (write the execution date as "
                             "RFC 3339 with its offset, e.g. 2026-11-26T00:00:00+00:00)") from None
        refs.append(TaskInstanceRef(words[0], words[1], execution_date))
    return refs


def look_after(
    api: TaskInstanceApi, ref: TaskInstanceRef, report: Report, stale_before: datetime
) -> None:
    """Check one task instance and repair or remove it. Errors that concern only this task
    instance are reported; UnauthorizedException and ApiConnectionError are left to the
    caller, since every later call would fail the same way."""
    try:
        task_instance = api.get_task_instance(ref.dag_id, ref.task_id, ref.execution_date)
    except NotFoundException:
        print(f"{ref}: not found, skipped")
        report.missing += 1
        return
    report.checked += 1
    state = task_instance.state
    if state == TaskState.FAILED:
        report.failed_found += 1
        print(f"{ref}: failed (try {task_instance.try_number})")
        show_log(api, ref, task_instance, report)
        show_links(api, ref, report)
        mark_success(api, ref, report)
    elif state in NOT_STARTED and task_instance.start_date is None and (
        ref.execution_date < stale_before
    ):
        report.stale_found += 1
        print(f"{ref}: {state or 'no state'}, never started: stale")
        delete_stale(api, ref, report)
    else:
        print(f"{ref}: {state or 'no state'}, nothing to do")


def show_log(
    api: TaskInstanceApi, ref: TaskInstanceRef, task_instance: TaskInstance, report: Report
) -> None:
    """Read the latest try's log chunk by chunk; keep only its last lines, whatever its size."""
    try_number = max(task_instance.try_number or 0, 1)
    tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
    lines = chunks = 0
    partial = ""
    try:
        # until_ended=False: read what is there now; a failed task's log will not grow.
        for text in follow_logs(api, ref.dag_id, ref.task_id, ref.execution_date, try_number,
                                until_ended=False):
            chunks += 1
            *complete, partial = (partial + text).split("\n")
            lines += len(complete)
            tail.extend(complete)
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, ref, "reading the log", error)
        return
    if partial:
        lines += 1
        tail.append(partial)
    print(f"  log of try {try_number}: {plural(lines, 'line')} in {plural(chunks, 'chunk')}; "
          "it ends with:")
    for line in tail:
        print(f"    | {shorten(line)}")


def show_links(api: TaskInstanceApi, ref: TaskInstanceRef, report: Report) -> None:
    try:
        links = api.get_extra_links(ref.dag_id, ref.task_id, ref.execution_date).extra_links
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, ref, "listing the extra links", error)
        return
    if not links:
        print("  extra links: none")
    for link in links or []:
        print(f"  extra link: {link.name}: {link.href}")


def mark_success(api: TaskInstanceApi, ref: TaskInstanceRef, report: Report) -> None:
    try:
        api.update_task_instance(
            ref.dag_id,
            ref.task_id,
            ref.execution_date,
            TaskInstance(state=TaskState.SUCCESS),
            update_mask=["state"],
        )
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, ref, "marking it success", error)
        return
    report.marked_success += 1
    print("  marked success")


def delete_stale(api: TaskInstanceApi, ref: TaskInstanceRef, report: Report) -> None:
    try:
        api.delete_task_instance(ref.dag_id, ref.task_id, ref.execution_date)
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, ref, "deleting it", error)
        return
    report.deleted += 1
    print("  deleted")


def fail(report: Report, ref: TaskInstanceRef, what: str, error: ApiException) -> None:
    message = f"{ref}: {what} failed: {error}"
    report.errors.append(message)
    print(f"  {what} FAILED: {error}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def shorten(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def print_summary(report: Report) -> None:
    rows = [
        ("task instances checked", report.checked),
        ("not found", report.missing),
        ("failed, marked success", f"{report.marked_success} of {report.failed_found}"),
        ("stale, deleted", f"{report.deleted} of {report.stale_found}"),
        ("errors", len(report.errors)),
    ]
    print("\nSummary")
    for name, value in rows:
        print(f"  {name:<24}{value}")
    for message in report.errors:
        print(f"  - {message}")


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task_instances", nargs="?", type=Path, default=DEFAULT_LIST,
                        help=f"the list of task instances (default: {DEFAULT_LIST.name})")
    parser.add_argument("--stale-after", type=float, default=48.0, metavar="HOURS",
                        help="a never-started task instance due longer ago is stale (48)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_arguments(argv)
    try:
        refs = read_task_instance_list(args.task_instances)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not os.environ.get("AIRFLOW_API_HOST"):
        print("error: set AIRFLOW_API_HOST (and AIRFLOW_API_USERNAME, AIRFLOW_API_PASSWORD)",
              file=sys.stderr)
        return 2
    try:
        configuration = airflow_python_sdk.Configuration.from_env()
    except airflow_python_sdk.ApiValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale_before = datetime.now(timezone.utc) - timedelta(hours=args.stale_after)
    print(f"Looking after {len(refs)} task instances at {configuration.host} "
          f"(dialect {configuration.dialect})\n")
    report = Report()
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        api = TaskInstanceApi(api_client)
        try:
            for ref in refs:
                look_after(api, ref, report, stale_before)
        except (UnauthorizedException, ApiConnectionError) as error:
            print_summary(report)
            print(f"error: stopped: {error}", file=sys.stderr)
            return 2
    print_summary(report)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
