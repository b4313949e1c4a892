"""Read a DAG run's progress straight from the server's SQLite database.

The scheduler runs before Airflow 2's webserver exists, so the API cannot be asked; a read-only
SQLite connection is cheap and works the same for Airflow 2 and 3.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Optional

from integration.real_airflow.processes import CommandFailed, tail

FINISHED_RUN_STATES = ("success", "failed")


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
) -> dict[str, str]:
    """Wait for the run to end; return each task's final state."""
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
            return task_states
        time.sleep(1.0)
    raise CommandFailed(
        f"run {run_id} not finished after {timeout_s:.0f} s (run {run_state}, tasks "
        f"{task_states}); scheduler log {log_path}:\n{tail(log_path)}"
    )
