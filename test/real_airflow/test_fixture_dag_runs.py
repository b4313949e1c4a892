"""The real-Airflow fixture's DAG-run helpers, on the SDK's operations: proven here against the
embedded server (the draft dialect), which runs DAGs too, and on both real servers by the
real-server suite (test_dag_run_life_on_real_servers.py).

The wait and the states a FinishedRun holds, a mapped task included; a run that does not finish;
a scheduler that died; the message of a DAG the server does not have.
"""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import airflow_python_sdk
from airflow_python_sdk.testing.real_airflow import DagNotFound, DagRunTimeout, FinishedRun
from airflow_python_sdk.testing.real_airflow import dag_not_found as dag_not_found_module
from airflow_python_sdk.testing.real_airflow.dag_not_found import dag_not_found
from airflow_python_sdk.testing.real_airflow.dag_runs import TriggeredRun, wait_with_client
from airflow_python_sdk.testing.real_airflow.processes import CommandFailed
from airflow_python_sdk.testing.server import AirflowApiServer

SAMPLE = datetime(2026, 11, 26, tzinfo=timezone.utc)
SAMPLE_RUN = "scheduled__2026-11-26T00:00:00+00:00"


@pytest.fixture
def client(airflow_api: AirflowApiServer) -> Any:
    configuration = airflow_python_sdk.Configuration(host=airflow_api.url, username="admin",
                                                     password="admin")
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        yield api_client


def _alive() -> None:
    return None


def test_a_mapped_task_with_a_failed_index_is_a_failed_task(client: Any) -> None:
    # partitioned_load's sample run: load_partition is mapped over five partitions, 3 and 4
    # failed, the others succeeded; publish is upstream_failed.
    run = TriggeredRun("partitioned_load", SAMPLE_RUN, SAMPLE)

    finished = wait_with_client(client, run, 10, _alive, lambda: "no log")

    assert isinstance(finished, FinishedRun)
    assert (finished.state, finished.logical_date) == ("failed", SAMPLE)
    assert finished.task_states == {"list_partitions": "success", "load_partition": "failed",
                                    "publish": "upstream_failed"}
    assert finished.failed_tasks() == ["load_partition", "publish"]
    assert {key: state for key, state in finished.task_instance_states.items()
            if key[0] == "load_partition"} == {
        ("load_partition", 0): "success", ("load_partition", 1): "success",
        ("load_partition", 2): "success", ("load_partition", 3): "failed",
        ("load_partition", 4): "failed"}
    assert finished.task_instance_states[("publish", -1)] == "upstream_failed"


@pytest.mark.airflow_api(pace=0)
def test_a_triggered_run_is_waited_for_with_the_sdk(client: Any,
                                                   airflow_api: AirflowApiServer) -> None:
    from airflow_python_sdk.api.dag_run_api import DAGRunApi
    from airflow_python_sdk.model.dag_run import DAGRun

    when = datetime(2026, 12, 1, tzinfo=timezone.utc)
    DAGRunApi(client).trigger_dag_run("reporting", DAGRun(dag_run_id="r", execution_date=when))

    finished = wait_with_client(client, TriggeredRun("reporting", "r", when), 10, _alive,
                                lambda: "no log")

    assert finished.state == "failed"
    assert finished.task_states == {"archive": "skipped", "build_report": "success",
                                    "email_report": "failed"}
    assert finished.failed_tasks() == ["email_report"]
    # No database read: the requests went to the server.
    assert any(entry.path.endswith("/dagRuns/r") for entry in airflow_api.request_log.entries())


def test_a_run_that_does_not_finish_times_out_with_the_tasks_and_the_scheduler_log(
        client: Any) -> None:
    # etl_daily at 2026-11-27: extract is running, and nothing moves it.
    run = TriggeredRun("etl_daily", "scheduled__2026-11-27T00:00:00+00:00",
                       datetime(2026, 11, 27, tzinfo=timezone.utc))
    started = time.monotonic()

    with pytest.raises(DagRunTimeout) as caught:
        wait_with_client(client, run, 1, _alive, lambda: "scheduler log: the last lines")

    assert time.monotonic() - started < 5
    assert str(caught.value) == (
        "run scheduled__2026-11-27T00:00:00+00:00 of etl_daily not finished after 1 s (run "
        "running, tasks {'extract': 'running'}); scheduler log: the last lines")


def test_a_scheduler_that_died_ends_the_wait_at_once(client: Any, tmp_path: Path) -> None:
    dead = subprocess.Popen(["sh", "-c", "exit 3"])
    dead.wait()

    def check() -> None:
        if dead.poll() is not None:
            raise CommandFailed(f"scheduler exited with {dead.returncode}")

    run = TriggeredRun("etl_daily", "scheduled__2026-11-27T00:00:00+00:00",
                       datetime(2026, 11, 27, tzinfo=timezone.utc))
    with pytest.raises(CommandFailed, match="scheduler exited with 3"):
        wait_with_client(client, run, 60, check, lambda: "")


def test_an_unknown_dag_names_the_dags_there_are_and_no_unrelated_import_error(
        client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken_report.py"
    broken.write_text("import nothing_like_this\n")
    typo = tmp_path / "nightly_cleanup.py"
    typo.write_text('DAG(dag_id="nightly_cleanup")\nraise SyntaxError("bad")\n')
    errors = [(str(broken), "ModuleNotFoundError: No module named 'nothing_like_this'"),
              (str(typo), "SyntaxError: bad")]
    server = SimpleNamespace(version="3.3.2", dag_folders=(tmp_path,), client=client)

    # What Airflow's importErrors answers (read with plain HTTP from a real server).
    monkeypatch.setattr(dag_not_found_module, "_import_errors", lambda server: errors)

    unrelated = dag_not_found(server, "etl_dialy")  # type: ignore[arg-type]
    related = dag_not_found(server, "nightly_cleanup")  # type: ignore[arg-type]

    assert isinstance(unrelated, DagNotFound)
    text = str(unrelated)
    assert text.startswith(f"Airflow 3.3.2 has no DAG 'etl_dialy' (DAG folders: {tmp_path}). "
                           "Its DAGs: etl_daily, legacy_export, ml_training, nightly_billing, ")
    assert "No DAG file that failed to import mentions 'etl_dialy'." in text
    assert f"Other files that failed to import: {broken}, {typo}." in text
    assert "[" not in text  # not a Python list
    assert (f"{typo} mentions 'nightly_cleanup' but failed to import: SyntaxError: bad"
            in str(related))
    assert f"Other files that failed to import: {broken}." in str(related)
