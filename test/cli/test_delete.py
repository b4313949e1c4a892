"""delete: confirmation unless --yes, and what each answer does."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

DATE = "2026-11-26T00:00:00+00:00"
KEY = TaskInstanceKey("reporting", "archive", datetime(2026, 11, 26, tzinfo=timezone.utc))


def test_yes_deletes_without_asking(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("delete", "reporting", "archive", DATE, "--yes")

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Deleted task instance reporting.archive at {DATE}.\n"
    assert result.stderr == ""
    assert KEY not in airflow_api.store


@pytest.mark.parametrize("answer", ["y\n", "YES\n"])
def test_a_yes_answer_deletes(cli: CliRunner, airflow_api: AirflowApiServer, answer: str) -> None:
    result = cli("delete", "reporting", "archive", DATE, stdin=answer)

    assert result.returncode == 0, result.stderr
    assert "? [y/N]" in result.stderr
    assert KEY not in airflow_api.store


@pytest.mark.parametrize("answer", ["n\n", "\n", "", "maybe\n"], ids=["n", "enter", "eof", "other"])
def test_anything_else_keeps_it(cli: CliRunner, airflow_api: AirflowApiServer, answer: str) -> None:
    result = cli("delete", "reporting", "archive", DATE, stdin=answer)

    assert result.returncode == 7
    assert result.stderr.endswith("Not deleted.\n")
    assert KEY in airflow_api.store
    assert not [entry for entry in airflow_api.request_log.entries() if entry.method == "DELETE"]


def test_json_confirms_what_was_deleted(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("delete", "reporting", "archive", "2026-11-26T00:00:00Z", "-y", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "deleted": True, "dag_id": "reporting", "task_id": "archive", "execution_date": DATE,
    }


def test_deleting_what_is_not_there_is_exit_status_4(cli: CliRunner) -> None:
    result = cli("delete", "reporting", "nothing", DATE, "--yes")

    assert result.returncode == 4
    assert result.stderr.startswith("airflow-sdk: error: 404 ")
