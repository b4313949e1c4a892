"""The finished `sdk_maintenance` run the SDK's own real-server tests read and change.

Each server of the public fixture runs the DAG once, at a fixed run id and logical date, and the
DAG is paused afterwards: the scheduler keeps running (other tests trigger DAGs of their own) but
leaves this DAG's runs alone, so task instances stay as the tests set them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from airflow_python_sdk.testing.real_airflow import CommandFailed, RealAirflow

__all__ = [
    "DAGS_FOLDER",
    "DAG_ID",
    "FAILING_TASK",
    "LOGICAL_DATE",
    "RUN_ID",
    "SUCCEEDING_TASK",
    "AirflowServer",
    "prepare",
]

DAGS_FOLDER = Path(__file__).resolve().parent / "dags"
DAG_ID = "sdk_maintenance"
RUN_ID = "sdk_run_20261126"
LOGICAL_DATE = "2026-11-26T00:00:00+00:00"
SUCCEEDING_TASK = "echo_ok"
FAILING_TASK = "fail_task"
RUN_TIMEOUT_S = 240.0


@dataclass(eq=False)
class AirflowServer:
    """A server of the public fixture with the finished maintenance run.

    Everything else (url, admin, reader, version, target, pids, ...) is the server's own:
    attributes not defined here are looked up on it.
    """

    server: RealAirflow
    task_states: dict[str, str] = field(default_factory=dict)
    dag_id: str = DAG_ID
    run_id: str = RUN_ID
    logical_date: str = LOGICAL_DATE

    def __getattr__(self, name: str) -> Any:
        return getattr(self.server, name)


def prepare(server: RealAirflow) -> AirflowServer:
    """Run sdk_maintenance once, check echo_ok succeeded and fail_task failed, pause the DAG."""
    started = time.monotonic()
    finished = server.run_dag(DAG_ID, RUN_ID, LOGICAL_DATE, timeout_s=RUN_TIMEOUT_S)
    # Shown with the start-up steps in the session's "real Airflow servers" summary.
    server.timings_s["sdk_maintenance-run"] = round(time.monotonic() - started, 1)
    server.pause_dag(DAG_ID)
    expected = {SUCCEEDING_TASK: "success", FAILING_TASK: "failed"}
    if finished.task_states != expected:
        raise CommandFailed(
            f"run {RUN_ID} ended with tasks {finished.task_states}, expected {expected}; "
            f"logs in {server.airflow_home}"
        )
    return AirflowServer(server, dict(finished.task_states))
