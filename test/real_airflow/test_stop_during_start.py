"""A server stopped while it starts leaves no process behind, whatever step it was in.

Starts a real Airflow 2 (its own, not the shared one), stops it once its API server and
scheduler run, and then looks for any process on the machine still using its AIRFLOW_HOME.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Optional

import pytest

from airflow_python_sdk.testing.real_airflow import server_handle
from airflow_python_sdk.testing.real_airflow.install import ensure_installed
from airflow_python_sdk.testing.real_airflow.processes import processes_using_home
from airflow_python_sdk.testing.real_airflow.server_handle import RealAirflow, ServerStopped
from airflow_python_sdk.testing.real_airflow.startup import start_server
from airflow_python_sdk.testing.real_airflow.versions import AIRFLOW_2, Venv, default_venvs_dir
from integration.real_airflow.maintenance_run import DAGS_FOLDER

pytestmark = pytest.mark.real_airflow


def starting_handle(deadline: float, others: set[RealAirflow]) -> Optional[RealAirflow]:
    """The Airflow 2 handle being started once its API server and scheduler both run; others
    (the session's servers, running their schedulers too) do not count."""
    while time.monotonic() < deadline:
        for server in list(server_handle._LIVE - others):
            if server.version == AIRFLOW_2.version and {"api-server", "scheduler"} <= set(
                server.pids
            ):
                return server
        time.sleep(0.2)
    return None


def test_stopping_a_starting_server_leaves_no_process(tmp_path: Path) -> None:
    if os.environ.get("SDK_SKIP_REAL_AIRFLOW") == "1":
        pytest.skip("SDK_SKIP_REAL_AIRFLOW=1: real Airflow not started")
    venv = Venv(AIRFLOW_2, default_venvs_dir())
    ensure_installed(venv, say=lambda message: None)
    already_live = set(server_handle._LIVE)
    outcome: list[BaseException] = []

    def start() -> None:
        try:
            start_server(venv, [DAGS_FOLDER], timeout_s=240).stop()
        except BaseException as error:  # what the start raised is what the test checks
            outcome.append(error)

    thread = threading.Thread(target=start, name="start-to-stop", daemon=True)
    thread.start()
    handle = starting_handle(time.monotonic() + 240, already_live)
    assert handle is not None and handle not in already_live, "start never reached its servers"
    home = handle.airflow_home
    assert processes_using_home(home), "the starting server should have processes"
    handle.stop()
    thread.join(timeout=60)
    assert not thread.is_alive(), "start-up went on after its server was stopped"
    assert len(outcome) == 1 and isinstance(outcome[0], ServerStopped), outcome
    deadline = time.monotonic() + 10
    while processes_using_home(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_using_home(home) == []
