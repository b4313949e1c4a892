"""Where the server and the credentials come from: flags, AIRFLOW_API_*, never a password flag."""

from __future__ import annotations

import io
import json

from support.command_runner import CliRunner, clean_environment

from airflow_python_sdk.cli import main
from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"


def test_host_and_user_from_flags_password_from_the_environment(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(None)
    environment = clean_environment(AIRFLOW_API_PASSWORD="viewer")

    result = runner(
        "get", "etl_daily", "extract", DATE, "--host", airflow_api.url, "--user", "viewer",
        "--json", env=environment,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["task_id"] == "extract"
    assert [entry.user for entry in airflow_api.request_log.entries()] == ["viewer"]


def test_flags_win_over_the_environment(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner("http://127.0.0.1:9/api/v1", user="nobody", password="admin")

    result = runner("get", "etl_daily", "extract", DATE, "--host", airflow_api.url, "-u", "admin")

    assert result.returncode == 0, result.stderr
    assert [entry.user for entry in airflow_api.request_log.entries()] == ["admin"]


def test_there_is_no_password_flag(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("get", "etl_daily", "extract", DATE, "--password", "admin")

    assert result.returncode == 2
    assert len(airflow_api.request_log) == 0


def test_wrong_credentials_are_exit_status_3(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner(airflow_api.url, user="admin", password="hunter2-wrong")

    result = runner("get", "etl_daily", "extract", DATE)

    assert result.returncode == 3
    assert result.stderr == (
        "airflow-sdk: error: 401 Unauthorized: The user name or password is wrong.\n"
    )
    assert "hunter2" not in result.stdout + result.stderr  # the password is never shown


def test_without_a_password_and_a_terminal_it_does_not_wait_for_one(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(airflow_api.url, user="admin")

    result = runner("get", "etl_daily", "extract", DATE, timeout=30)

    assert result.returncode == 3
    assert "401" in result.stderr


def test_without_a_host_it_says_how_to_give_one() -> None:
    runner = CliRunner(None, user="admin", password="admin")

    result = runner("get", "etl_daily", "extract", DATE)

    assert result.returncode == 2
    assert "--host" in result.stderr
    assert "AIRFLOW_API_HOST" in result.stderr


def test_a_bad_timeout_in_the_environment_is_a_usage_error(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "extract", DATE, env=cli.environment(AIRFLOW_API_TIMEOUT="x"))

    assert result.returncode == 2
    assert "AIRFLOW_API_TIMEOUT" in result.stderr


def test_a_read_only_user_is_refused_a_change_with_exit_status_3(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(airflow_api.url, user="viewer", password="viewer")

    result = runner("delete", "etl_daily", "extract", DATE, "--yes")

    assert result.returncode == 3
    assert result.stderr.startswith("airflow-sdk: error: 403 Forbidden: ")


class _TerminalInput(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_embedding_program_can_supply_the_prompt(airflow_api: AirflowApiServer) -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "admin"

    status = main(
        ["get", "etl_daily", "extract", DATE, "--user", "admin"],
        environ={"AIRFLOW_API_HOST": airflow_api.url}, stdin=_TerminalInput(),
        stdout=io.StringIO(), stderr=io.StringIO(), prompt=prompt,
    )

    assert status == 0
    assert asked == ["Password for admin: "]
