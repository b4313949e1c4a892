#!/usr/bin/env python3
"""A nightly maintenance job for Airflow, written with airflow_python_sdk.

1. Finds the task instances that failed in the last day (--hours) across every DAG, walking the
   list's pages (memory stays at one page whatever the number of failures).
2. Prints the last lines of each one's latest log, read chunk by chunk.
3. Sorts them: a task named with --flaky (DAG_ID.TASK_ID) is known to fail now and then and is
   marked skipped, with a note saying why; a failure whose log ends like a passing outage (a
   reset connection, a timeout, a service unavailable; see TRANSIENT) is cleared so that it runs
   again, the server's dry run printed first; anything else is left for a person.
4. Waits for the reruns (--wait-timeout, in all; --no-wait does not wait), polling each rerun's
   DAG run with one request at a time.
5. Prints a summary table: for each rerun, whether it succeeded or failed again.

Exit status: 0 when every step worked (a rerun that failed again is reported, not an error of
the job), 1 when one failed, 2 when the job could not run (no server named, credentials refused,
server unreachable).

The server comes from the environment, so the same job runs anywhere:

    AIRFLOW_API_HOST=http://localhost:8080/api/v1 AIRFLOW_API_USERNAME=admin \\
    AIRFLOW_API_PASSWORD=... python examples/maintenance_job.py --flaky billing.invoice

`make demo` runs it against the embedded server, whose sample data has such failures.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator, Optional, Sequence

import airflow_python_sdk
from airflow_python_sdk import (
    ApiConnectionError,
    ApiException,
    DagPausedError,
    UnauthorizedException,
    WaitTimeoutError,
)
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_logs
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

# How a log ends when the failure was the world's, not the task's: worth one more run.
TRANSIENT = re.compile(
    r"Connection(Reset|Refused|Aborted)Error|connection reset|timed? ?out|TimeoutError|"
    r"503 Service Unavailable|temporarily unavailable|SMTPServerDisconnected",
    re.IGNORECASE,
)
ERROR_LINE = re.compile(r"\b[A-Z]\w*(Error|Exception|Exit|Disconnected)\b")
LOG_TAIL_LINES = 3
SHOWN_CHARS = 100
CLEARED, SKIPPED, LEFT, FAILED = "cleared", "skipped (known flaky)", "left for a person", "FAILED"
# How a rerun ended, as the summary says it.
RERUN_SUCCEEDED, RERUN_FAILED = "rerun succeeded", "rerun failed again"


@dataclass
class Failure:
    dag_id: str
    task_id: str
    execution_date: datetime
    map_index: int
    try_number: int
    last_lines: list[str] = field(default_factory=list)
    action: str = LEFT
    cleared: list[Any] = field(default_factory=list)  # what its clear answered: wait for these
    rerun: str = ""  # how its rerun ended, once waited for

    @classmethod
    def of(cls, ti: TaskInstance, execution_date: datetime) -> Failure:
        map_index = ti.get("map_index")
        return cls(str(ti.dag_id), str(ti.task_id), execution_date,
                   -1 if map_index is None else int(map_index), max(ti.try_number or 0, 1))

    @property
    def name(self) -> str:
        mapped = f"[{self.map_index}]" if self.map_index >= 0 else ""
        return f"{self.dag_id}.{self.task_id}{mapped} @ {self.execution_date.isoformat()}"

    @property
    def cause(self) -> str:
        """The last line naming an error (Airflow's own "Task failed" line comes after it)."""
        for line in reversed(self.last_lines):
            if ERROR_LINE.search(line):
                return line
        return self.last_lines[-1] if self.last_lines else "(no log)"


@dataclass
class Report:
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def find_failures(api: TaskInstanceApi, since: datetime) -> list[Failure]:
    """Task instances of every DAG ("~") that failed since `since`, pages walked by the SDK."""
    found = api.iter_task_instances("~", state=[TaskState.FAILED], end_date_gte=since)
    # A task instance is addressed by its execution date: one without cannot be acted on.
    return [Failure.of(ti, ti.execution_date) for ti in found if ti.execution_date is not None]


def read_log_tail(api: TaskInstanceApi, failure: Failure, report: Report) -> None:
    """The latest try's last lines, keeping only those whatever the log's size."""
    f = failure
    tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
    partial = ""
    try:
        if f.map_index >= 0:  # one mapped instance's log, whole
            chunks: Iterator[str] = iter([api.get_logs(
                f.dag_id, f.task_id, f.execution_date, f.try_number, full_content=True,
                map_index=f.map_index).content or ""])
        else:  # read what is there now, chunk by chunk; a failed task's log will not grow
            chunks = follow_logs(api, f.dag_id, f.task_id, f.execution_date, f.try_number,
                                 until_ended=False)
        for text in chunks:
            *complete, partial = (partial + text).split("\n")
            tail.extend(line for line in complete if line.strip())
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, failure, "reading the log", error)
        return
    if partial.strip():
        tail.append(partial)
    failure.last_lines = [_message(line) for line in tail]
    print(f"{failure.name}: failed on try {f.try_number}; its log ends with:")
    for line in failure.last_lines:
        print(f"    | {shorten(line)}")


def clear_transient(dags: DAGApi, failures: list[Failure], report: Report) -> None:
    """Clear each transient failure, printing the server's dry run before the real clear."""
    for failure in failures:
        body = {"start_date": failure.execution_date, "end_date": failure.execution_date,
                "task_ids": [failure.task_id], "only_failed": True}
        try:
            would = dags.clear_task_instances(failure.dag_id, ClearTaskInstance(**body))  # dry
            names = ", ".join(str(ref.task_id) for ref in would.task_instances or [])
            print(f"  dry run: clearing {failure.name} would clear: {names or 'nothing'}")
            done = dags.clear_task_instances(failure.dag_id,
                                             ClearTaskInstance(dry_run=False, **body))
        except (UnauthorizedException, ApiConnectionError):
            raise
        except ApiException as error:
            fail(report, failure, "clearing it", error)
            continue
        failure.action = CLEARED
        failure.cleared = list(done.task_instances or [])
        print(f"  cleared {failure.name}: it runs again")


def wait_for_reruns(api: TaskInstanceApi, failures: list[Failure], timeout: float,
                    report: Report) -> None:
    """Wait for each cleared failure's rerun (all within `timeout` seconds) and note how it
    ended: its own task instance's state and try number after the rerun."""
    deadline = time.monotonic() + timeout
    for failure in failures:
        f = failure
        try:
            done = api.wait_for_task_instances(f.cleared,
                                               timeout=max(deadline - time.monotonic(), 0.1))
        except WaitTimeoutError:
            f.rerun = f"rerun not finished within {timeout:g} s"
            print(f"  {f.name}: {f.rerun}")
            continue
        except DagPausedError:
            f.rerun = "rerun cannot start: its DAG is paused"
            print(f"  {f.name}: {f.rerun}")
            continue
        except (UnauthorizedException, ApiConnectionError):
            raise
        except ApiException as error:
            fail(report, failure, "waiting for its rerun", error)
            continue
        own = next((ti for ti in done if ti.task_id == f.task_id
                    and (ti.get("map_index") is None or ti.get("map_index") == f.map_index)),
                   done[0] if done else None)
        if own is None:
            continue
        state = own.state.value if own.state is not None else "none"
        f.rerun = RERUN_SUCCEEDED if state == "success" else RERUN_FAILED
        print(f"  {f.name}: {f.rerun} (try {own.try_number}, {state})")


def skip_flaky(api: TaskInstanceApi, dags: DAGApi, failure: Failure, report: Report) -> None:
    """Mark a known-flaky failure skipped, then say why in its note."""
    f = failure
    note = f"Skipped by the nightly maintenance job: known flaky ({shorten(failure.cause, 60)})"
    try:
        dags.update_task_instances_state(f.dag_id, UpdateTaskInstancesState(
            dry_run=False, task_id=f.task_id, execution_date=f.execution_date,
            new_state="skipped"))
        api.update_task_instance(f.dag_id, f.task_id, f.execution_date, TaskInstance(note=note),
                                 update_mask=["note"], map_index=f.map_index)
    except (UnauthorizedException, ApiConnectionError):
        raise
    except ApiException as error:
        fail(report, failure, "marking it skipped", error)
        return
    failure.action = SKIPPED
    print(f"  marked {failure.name} skipped, note: {note!r}")


def fail(report: Report, failure: Failure, what: str, error: ApiException) -> None:
    failure.action = FAILED
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    report.errors.append(f"{failure.name}: {what} failed: {first_line}")
    print(f"  {what} FAILED: {first_line}")


def _message(line: str) -> str:
    """A log line without Airflow's "[date] {file.py:123} LEVEL - " prefix."""
    return re.sub(r"^\[[^\]]*\] \{[^}]*\} (\w+ - )?", "", line)


def shorten(text: str, longest: int = SHOWN_CHARS) -> str:
    return text if len(text) <= longest else text[: longest - 3] + "..."


def print_summary(report: Report) -> None:
    rows = [("TASK INSTANCE", "TRY", "ACTION", "CAUSE, FROM THE LOG")]
    rows += [(f.name, str(f.try_number), f"{f.action}: {f.rerun}" if f.rerun else f.action,
              shorten(f.cause, 60)) for f in report.failures]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    print("\nSummary")
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
              + "  " + row[3])
    counts = {action: sum(f.action == action for f in report.failures)
              for action in (CLEARED, SKIPPED, LEFT)}
    print(f"\n  failed in the window  {len(report.failures)}")
    for action, count in counts.items():
        print(f"  {action:<21} {count}")
    for outcome in (RERUN_SUCCEEDED, RERUN_FAILED):
        print(f"  {outcome:<21} {sum(f.rerun == outcome for f in report.failures)}")
    print(f"  errors                {len(report.errors)}")
    for message in report.errors:
        print(f"  - {message}")


def parse_arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hours", type=float, default=24.0,
                        help="look at failures of the last HOURS hours (24)")
    parser.add_argument("--flaky", action="append", default=[], metavar="DAG_ID.TASK_ID",
                        help="a task known to be flaky: its failures are marked skipped")
    parser.add_argument("--dry-run", action="store_true",
                        help="only report; change nothing")
    parser.add_argument("--wait-timeout", type=float, default=1800.0, metavar="SECONDS",
                        help="wait at most SECONDS in all for the reruns (1800)")
    parser.add_argument("--no-wait", action="store_true",
                        help="clear, but do not wait for the reruns")
    return parser.parse_args(argv)


def run(api: TaskInstanceApi, dags: DAGApi, args: argparse.Namespace, report: Report) -> None:
    since = datetime.now(timezone.utc) - timedelta(hours=args.hours)
    print(f"1. Task instances that failed since {since.isoformat(timespec='seconds')}:")
    report.failures = find_failures(api, since)
    print(f"   {len(report.failures)} found\n")
    print("2. The end of each one's log:")
    for failure in report.failures:
        read_log_tail(api, failure, report)
    flaky = [f for f in report.failures if f"{f.dag_id}.{f.task_id}" in args.flaky]
    transient = [f for f in report.failures
                 if f not in flaky and f.action != FAILED and TRANSIENT.search(f.cause)]
    print(f"\n3. Clearing the failures a retry may fix (a lost connection, a timeout; "
          f"{len(transient)}):")
    if not args.dry_run:
        clear_transient(dags, transient, report)
    print(f"\n4. Marking the known-flaky ones skipped ({len(flaky)}):")
    if not args.dry_run:
        for failure in flaky:
            skip_flaky(api, dags, failure, report)
    cleared = [f for f in transient if f.action == CLEARED]
    if cleared and not args.no_wait:
        print(f"\n5. Waiting for the reruns ({len(cleared)}):")
        wait_for_reruns(api, cleared, args.wait_timeout, report)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_arguments(argv)
    if not os.environ.get("AIRFLOW_API_HOST"):
        print("error: set AIRFLOW_API_HOST (and AIRFLOW_API_USERNAME, AIRFLOW_API_PASSWORD)",
              file=sys.stderr)
        return 2
    try:
        configuration = airflow_python_sdk.Configuration.from_env()
    except airflow_python_sdk.ApiValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Nightly maintenance at {configuration.host} (dialect {configuration.dialect})\n")
    report = Report()
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        try:
            run(TaskInstanceApi(api_client), DAGApi(api_client), args, report)
        except (UnauthorizedException, ApiConnectionError) as error:
            print_summary(report)
            print(f"error: stopped: {str(error).splitlines()[0]}", file=sys.stderr)
            return 2
    print_summary(report)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
