"""Where the server and the credentials come from: flags, AIRFLOW_API_*, never a password flag."""

from __future__ import annotations

import io
import json

import pytest
from cli.server_calls import operation_requests
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
    assert [entry.user for entry in operation_requests(airflow_api)] == ["viewer"]


def test_flags_win_over_the_environment(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner("http://127.0.0.1:9/api/v1", user="nobody", password="admin")

    result = runner("get", "etl_daily", "extract", DATE, "--host", airflow_api.url, "-u", "admin")

    assert result.returncode == 0, result.stderr
    assert [entry.user for entry in operation_requests(airflow_api)] == ["admin"]


@pytest.mark.parametrize("given", [["--password", "s3cret-pw"], ["--password=s3cret-pw"],
                                   ["--pass", "s3cret-pw"], ["--password"]])
def test_there_is_no_password_flag_and_the_error_says_what_to_do(
    cli: CliRunner, airflow_api: AirflowApiServer, given: list[str]
) -> None:
    before = cli("get", "etl_daily", "extract", DATE, *given)
    after = cli(*given, "get", "etl_daily", "extract", DATE)

    for result in (before, after):
        assert result.returncode == 2
        assert "invalid choice" not in result.stderr
        assert "there is no --password option" in result.stderr
        assert "AIRFLOW_API_PASSWORD" in result.stderr and "terminal" in result.stderr
        assert "s3cret-pw" not in result.stderr  # the secret is never repeated
    assert len(airflow_api.request_log) == 0


def test_wrong_credentials_are_exit_status_3(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner(airflow_api.url, user="admin", password="hunter2-wrong")

    result = runner("get", "etl_daily", "extract", DATE)

    assert result.returncode == 3
    assert result.stderr == (
        "airflow-sdk: error: 401 Unauthorized: The user name or password is wrong.\n"
    )
    assert "hunter2" not in result.stdout + result.stderr  # the password is never shown


def test_without_a_password_and_a_terminal_it_names_what_is_missing_and_sends_nothing(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(airflow_api.url, user="admin")

    result = runner("get", "etl_daily", "extract", DATE, timeout=30)

    assert result.returncode == 2
    assert result.stderr == (
        "airflow-sdk: error: no password for user 'admin' (AIRFLOW_API_USERNAME): set "
        "AIRFLOW_API_PASSWORD, or run the command on a terminal to be asked for it\n")
    assert len(airflow_api.request_log) == 0


def test_a_password_without_a_user_name_names_the_user_as_missing(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(airflow_api.url, password="admin")

    result = runner("get", "etl_daily", "extract", DATE)

    assert result.returncode == 2
    assert result.stderr == (
        "airflow-sdk: error: AIRFLOW_API_PASSWORD is set but no user name is given: pass "
        "--user NAME or set AIRFLOW_API_USERNAME\n")
    assert len(airflow_api.request_log) == 0


def test_no_credentials_at_all_are_sent_as_none_and_the_refusal_says_what_to_give(
    airflow_api: AirflowApiServer,
) -> None:
    # Some servers take requests without credentials, so none is not refused up front.
    result = CliRunner(airflow_api.url)("get", "etl_daily", "extract", DATE)

    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "airflow-sdk: error: 401 Unauthorized: Send HTTP basic credentials of a configured user.",
        "airflow-sdk: hint: no credentials were given: pass --user NAME (or set "
        "AIRFLOW_API_USERNAME) and set AIRFLOW_API_PASSWORD",
    ]


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
