"""On a terminal: a tqdm progress bar on stderr, and a password prompt. Off one: neither."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli.bulk_seed import bulk_dates, bulk_seed
from cli.server_calls import operation_requests
from cli.terminal import run_on_terminal
from support.command_runner import CliRunner, clean_environment

from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"


@pytest.fixture
def dates(airflow_api: AirflowApiServer) -> list[str]:
    airflow_api.load(bulk_seed(6))
    return bulk_dates(6)


def test_a_terminal_shows_a_progress_bar(
    cli: CliRunner, airflow_api: AirflowApiServer, dates: list[str]
) -> None:
    run = run_on_terminal(["set-state", "nightly", "sync", "-s", "success", *dates],
                          cli.environment())

    assert run.returncode == 0, run.output
    assert "100%" in run.output
    assert "6/6" in run.output
    assert " requests/s" in run.output and "ti/s" not in run.output  # it counts requests
    assert "6 of 6 done" in run.output


def test_no_progress_turns_the_bar_off(
    cli: CliRunner, airflow_api: AirflowApiServer, dates: list[str]
) -> None:
    run = run_on_terminal(["set-state", "nightly", "sync", "-s", "success", *dates,
                           "--no-progress"], cli.environment())

    assert run.returncode == 0, run.output
    assert "%" not in run.output
    assert "6 of 6 done" in run.output


def test_without_tqdm_there_is_no_bar_and_no_error(
    cli: CliRunner, airflow_api: AirflowApiServer, dates: list[str], tmp_path: Path
) -> None:
    # A tqdm that cannot be imported, first on the path: as if the `cli` extra were missing.
    blocked = tmp_path / "tqdm"
    blocked.mkdir()
    (blocked / "__init__.py").write_text("raise ImportError('tqdm is not installed')\n")
    environment = cli.environment()
    environment["PYTHONPATH"] = f"{tmp_path}:{environment['PYTHONPATH']}"

    run = run_on_terminal(["set-state", "nightly", "sync", "-s", "success", *dates], environment)

    assert run.returncode == 0, run.output
    assert "%" not in run.output
    assert "Traceback" not in run.output
    assert "6 of 6 done" in run.output


def test_off_a_terminal_there_is_no_bar(
    cli: CliRunner, airflow_api: AirflowApiServer, dates: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "-s", "success", *dates)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_terminal_prompts_for_a_missing_password(airflow_api: AirflowApiServer) -> None:
    environment = clean_environment(AIRFLOW_API_HOST=airflow_api.url)

    run = run_on_terminal(["get", "etl_daily", "extract", DATE, "--user", "viewer", "--json"],
                          environment, answer_when=("Password for viewer: ", "viewer\n"))

    assert run.returncode == 0, run.output
    assert '"task_id": "extract"' in run.output
    assert "viewer\r\n{" not in run.output  # the password is not echoed
    assert [entry.user for entry in operation_requests(airflow_api)] == ["viewer"]


def test_a_terminal_delete_asks_first(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner(airflow_api.url, user="admin", password="admin")

    run = run_on_terminal(["delete", "etl_daily", "extract", DATE], runner.environment(),
                          answer_when=("[y/N] ", "y\n"))

    assert run.returncode == 0, run.output
    assert "Delete task instance etl_daily.extract at 2026-11-26T00:00:00+00:00? [y/N]" in (
        run.output
    )
    assert "Deleted task instance" in run.output
