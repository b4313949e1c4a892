"""set-state over a selection: filters or --from lines; the states read first, then a bulk
change per DAG run (test_set_state_in_bulk.py has each task instance's results)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import pytest
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

NOV_26 = datetime.fromisoformat("2026-11-26T00:00:00+00:00")


def _state(server: AirflowApiServer, dag_id: str, task_id: str,
           when: datetime = NOV_26) -> Optional[str]:
    record = server.store.get(TaskInstanceKey(dag_id, task_id, when))
    assert record is not None
    state = record.fields.get("state")
    return None if state is None else str(state)


def _bulk_changes(server: AirflowApiServer) -> int:
    return sum(1 for entry in server.request_log.entries()
               if entry.method == "PATCH" and entry.path.endswith("/taskInstances"))


def test_filters_select_and_the_states_are_read_first(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("set-state", "--dag", "etl_daily", "--dag", "reporting", "--in-state", "failed",
                 "--state", "skipped", "--yes")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Setting skipped would change 2 task instances (their states now):\n"
        "DAG        TASK          MAP  EXECUTION DATE             STATE\n"
        "etl_daily  transform     -    2026-11-26T00:00:00+00:00  failed\n"
        "reporting  email_report  -    2026-11-26T00:00:00+00:00  failed\n"
        "Set skipped: 2 changed, 0 had it already, 0 failed, 0 may have changed, 0 not attempted "
        "(of 2 selected).\n")
    assert _state(airflow_api, "etl_daily", "transform") == "skipped"
    assert _state(airflow_api, "reporting", "email_report") == "skipped"
    assert _state(airflow_api, "etl_daily", "load") == "upstream_failed"
    assert _bulk_changes(airflow_api) == 2  # one per DAG run


def test_the_pipe_from_list(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    listed = cli("list", "--state", "failed", "--since", "24h", "--dag", "nightly_billing",
                 "--json")
    result = cli("set-state", "--from", "-", "--state", "success", "--yes", stdin=listed.stdout)

    assert result.returncode == 0, result.stderr
    keys = airflow_api.store.keys()
    invoice = next(key for key in keys
                   if key.dag_id == "nightly_billing" and key.task_id == "invoice")
    record = airflow_api.store.get(invoice)
    assert record is not None and record.fields["state"] == "success"


def test_dag_and_task_arguments_join_the_filters(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("set-state", "reporting", "email_report", "--until", "2026-11-26", "-s",
                 "success", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "reporting  email_report  -    2026-11-26T00:00:00+00:00" in result.stdout
    assert result.stdout.endswith("Dry run: nothing was changed.\n")
    assert _state(airflow_api, "reporting", "email_report") == "failed"


def test_without_yes_off_a_terminal_nothing_changes(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("set-state", "--dag", "reporting", "--in-state", "failed", "-s", "skipped")

    assert result.returncode == 7
    assert "pass --yes" in result.stderr
    assert _state(airflow_api, "reporting", "email_report") == "failed"


@pytest.mark.parametrize(
    "arguments, complaint",
    [(["--dag", "reporting", "-s", "running"], "the state can be success, failed, skipped"),
     (["reporting", "email_report", "2026-11-26", "--since", "1d", "-s", "success"],
      "not both"),
     (["--dag", "reporting", "--in-state", "broken", "-s", "success"], "unknown state 'broken'"),
     (["-s", "success"], "set-state needs DAG_ID TASK_ID and execution dates, or a selection")],
)
def test_bad_selections_are_usage_errors(
    cli: CliRunner, airflow_api: AirflowApiServer, arguments: list[str], complaint: str
) -> None:
    result = cli("set-state", *arguments)

    assert result.returncode == 2
    assert complaint in result.stderr
    assert len(airflow_api.request_log) == 0


def test_a_bad_from_line_changes_nothing(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    good = '{"dag_id": "reporting", "task_id": "email_report", "execution_date": "2026-11-26"}'
    result = cli("set-state", "--from", "-", "-s", "skipped", "--yes",
                 stdin=f"{good}\n{{\"dag_id\": 3}}\n")

    assert result.returncode == 2
    assert "stdin, line 2" in result.stderr
    assert len(airflow_api.request_log) == 0
