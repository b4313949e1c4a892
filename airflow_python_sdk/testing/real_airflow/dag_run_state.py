"""Read a DAG run's progress straight from the server's SQLite database.

The SDK has no DAG-run operations yet, so waiting reads the database: a read-only SQLite
connection is cheap and works the same for Airflow 2 and 3. Once DAGRunApi.get_dag_run exists,
`wait_until_finished` can ask the API instead; its callers see only the `FinishedRun` it returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .processes import CommandFailed, tail

__all__ = ["FINISHED_RUN_STATES", "DagRunTimeout", "FinishedRun", "wait_until_finished"]

FINISHED_RUN_STATES = ("success", "failed")


class DagRunTimeout(CommandFailed):
    """The run had not finished within its time limit; the message has the scheduler's log."""


@dataclass(frozen=True)
class FinishedRun:
    """How a DAG run ended: its state and each task's final state.

    logical_date is what the SDK's task-instance calls take as the execution date.
    """

    dag_id: str
    run_id: str
    state: str
    task_states: dict[str, str]
    logical_date: Optional[dt.datetime] = None

    def failed_tasks(self) -> list[str]:
        """Ids of the tasks that failed or could not run because an upstream task failed."""
        return sorted(t for t, s in self.task_states.items() if s in ("failed", "upstream_failed"))


def _query(db_path: Path, dag_id: str, run_id: str) -> tuple[Optional[str], dict[str, str]]:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        row = connection.execute(
            "SELECT state FROM dag_run WHERE dag_id = ? AND run_id = ?", (dag_id, run_id)
        ).fetchone()
        tasks = connection.execute(
            "SELECT task_id, state FROM task_instance WHERE dag_id = ? AND run_id = ?",
            (dag_id, run_id),
        ).fetchall()
    finally:
        connection.close()
    return (row[0] if row else None), {task: state for task, state in tasks}


def wait_until_finished(
    db_path: Path,
    dag_id: str,
    run_id: str,
    scheduler: subprocess.Popen[bytes],
    log_path: Path,
    timeout_s: float,
) -> FinishedRun:
    """Wait for the run to end (success or failed) within timeout_s."""
    deadline = time.monotonic() + timeout_s
    run_state: Optional[str] = None
    task_states: dict[str, str] = {}
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            raise CommandFailed(
                f"scheduler exited with {scheduler.returncode} before run {run_id} finished; "
                f"log {log_path}:\n{tail(log_path)}"
            )
        # Locked by a writer for longer than 5 s: ask again on the next round.
        with contextlib.suppress(sqlite3.OperationalError):
            run_state, task_states = _query(db_path, dag_id, run_id)
        if run_state in FINISHED_RUN_STATES:
            assert run_state is not None
            return FinishedRun(dag_id, run_id, run_state, task_states)
        time.sleep(1.0)
    raise DagRunTimeout(
        f"run {run_id} of {dag_id} not finished after {timeout_s:.0f} s (run {run_state}, "
        f"tasks {task_states}); scheduler log {log_path}:\n{tail(log_path)}"
    )
