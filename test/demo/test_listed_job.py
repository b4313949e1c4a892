"""repair_listed_task_instances.py, the job over a list of task instances, against our server."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import pytest
from demo.example_scripts import job_environment, run_example
from support.command_runner import clean_environment

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

JOB = "repair_listed_task_instances.py"
NOV_26 = datetime(2026, 11, 26, tzinfo=timezone.utc)
NOV_25 = datetime(2026, 11, 25, tzinfo=timezone.utc)

SUMMARY = """
Summary
  task instances checked  6
  not found               1
  failed, marked success  2 of 2
  stale, deleted          1 of 1
  errors                  0
"""


def _state(server: AirflowApiServer, dag_id: str, task_id: str, date: datetime) -> Optional[str]:
    record = server.store.get(TaskInstanceKey(dag_id, task_id, date))
    return None if record is None else str(record.fields["state"])


def test_the_job_changes_exactly_what_it_says(airflow_api: AirflowApiServer) -> None:
    result = run_example(JOB, job_environment(airflow_api))

    assert result.returncode == 0, result.stdout + result.stderr
    assert SUMMARY in result.stdout
    assert _state(airflow_api, "etl_daily", "transform", NOV_26) == "success"
    assert _state(airflow_api, "reporting", "email_report", NOV_26) == "success"
    assert _state(airflow_api, "ml_training", "evaluate", NOV_25) is None  # deleted
    assert _state(airflow_api, "etl_daily", "load", NOV_26) == "upstream_failed"  # untouched
    assert _state(airflow_api, "ml_training", "train_model", NOV_25) == "up_for_retry"
    entries = airflow_api.request_log.entries()
    patches = [entry for entry in entries if entry.method == "PATCH"]
    assert len(patches) == 2
    assert all(entry.query == "update_mask=state" for entry in patches)
    # The log was read by following its tokens: one call per chunk, all but the first with one.
    transform_log = [entry for entry in entries if entry.path.endswith("/transform/"
                     "2026-11-26T00%3A00%3A00%2B00%3A00/logs/2")]
    assert len(transform_log) == 4
    assert ["token=" in entry.query for entry in transform_log] == [False, True, True, True]


def test_a_read_only_user_gets_each_refusal_reported(airflow_api: AirflowApiServer) -> None:
    result = run_example(JOB, job_environment(airflow_api, "viewer", "viewer"))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.count("marking it success FAILED: ") == 2
    assert result.stdout.count("deleting it FAILED: ") == 1
    assert "  errors                  3\n" in result.stdout
    assert "403" in result.stdout
    assert _state(airflow_api, "etl_daily", "transform", NOV_26) == "failed"
    assert _state(airflow_api, "ml_training", "evaluate", NOV_25) == "scheduled"


def test_wrong_credentials_stop_the_job_with_one_clear_line(
    airflow_api: AirflowApiServer,
) -> None:
    result = run_example(JOB, job_environment(airflow_api, "admin", "wrong"))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: stopped: ")
    assert "401" in result.stderr
    # One question of which server it is (from_env: auto), then one refused request: no point
    # in trying the others.
    assert [entry.path.endswith("/version") for entry in airflow_api.request_log.entries()] == [
        True, False]


def test_an_unreachable_server_stops_the_job(refused_port: int) -> None:
    environment = clean_environment(AIRFLOW_API_HOST=f"http://127.0.0.1:{refused_port}/api/v1",
                                    AIRFLOW_API_TIMEOUT="5")

    result = run_example(JOB, environment)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: stopped: GET http://127.0.0.1:")


def test_without_a_server_the_job_says_what_to_set() -> None:
    result = run_example(JOB, clean_environment())

    assert result.returncode == 2
    assert "AIRFLOW_API_HOST" in result.stderr


@pytest.mark.parametrize(
    "line, complaint",
    [("etl_daily transform", "expected DAG_ID TASK_ID EXECUTION_DATE"),
     ("etl_daily transform yesterday", "'yesterday'"),
     ("etl_daily transform 2026-11-26T00:00:00", "'2026-11-26T00:00:00'")],
)
def test_a_bad_list_is_refused_before_any_call(
    airflow_api: AirflowApiServer, tmp_path: Path, line: str, complaint: str
) -> None:
    task_list = tmp_path / "list.txt"
    task_list.write_text(f"# ours\n{line}\n")

    result = run_example(JOB, job_environment(airflow_api), str(task_list))

    assert result.returncode == 2
    assert complaint in result.stderr
    assert "line 2" in result.stderr
    assert len(airflow_api.request_log) == 0
