"""set-state over many dates: the mask, where dates come from, dry runs, failures, the summary."""

from __future__ import annotations

import io
import json
import time
from datetime import datetime
from pathlib import Path

import pytest
from cli.bulk_seed import bulk_dates, bulk_seed
from cli.server_calls import operation_requests
from support.command_runner import CliRunner

from airflow_python_sdk.cli import main
from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey


def _states(server: AirflowApiServer, dates: list[str]) -> list[object]:
    states = []
    for date in dates:
        record = server.store.get(TaskInstanceKey("nightly", "sync", datetime.fromisoformat(date)))
        states.append(None if record is None else record.fields["state"])
    return states


@pytest.fixture
def five(airflow_api: AirflowApiServer) -> list[str]:
    airflow_api.load(bulk_seed(5))
    return bulk_dates(5)


def test_it_sets_every_date_with_the_state_mask(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", *five)

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Set nightly.sync to success: 5 of 5 done, 0 failed, 0 not attempted.\n"
    )
    assert _states(airflow_api, five) == ["success"] * 5
    patches = [entry for entry in airflow_api.request_log.entries() if entry.method == "PATCH"]
    assert len(patches) == 5
    assert all(entry.query == "update_mask=state" for entry in patches)
    # Nothing but the state changed.
    key = TaskInstanceKey("nightly", "sync", datetime.fromisoformat(five[0]))
    record = airflow_api.store.get(key)
    assert record is not None and record.fields["try_number"] == 1


def test_dates_may_come_before_or_after_the_options(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", five[0], "-s", "skipped", five[1], "-w", "2")

    assert result.returncode == 0, result.stderr
    assert _states(airflow_api, five[:3]) == ["skipped", "skipped", "failed"]


def test_dates_from_a_file_skip_blank_lines_and_comments(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str], tmp_path: Path
) -> None:
    dates_file = tmp_path / "dates.txt"
    dates_file.write_text("# the broken week\n" + "\n".join(five[:3]) + "\n\n")

    result = cli("set-state", "nightly", "sync", "--state", "success", "--dates-file",
                 str(dates_file))

    assert result.returncode == 0, result.stderr
    assert _states(airflow_api, five) == ["success"] * 3 + ["failed"] * 2


@pytest.mark.parametrize("how", [["-"], ["--dates-file", "-"]], ids=["dash", "dates-file"])
def test_dates_from_stdin(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str], how: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", *how,
                 stdin="\n".join(five[3:]) + "\n")

    assert result.returncode == 0, result.stderr
    assert _states(airflow_api, five) == ["failed"] * 3 + ["success"] * 2


def test_a_failure_is_summarised_and_the_rest_is_done(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    missing = "2027-01-01T00:00:00+00:00"

    result = cli("set-state", "nightly", "sync", "--state", "success", five[0], missing, five[1])

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "Set nightly.sync to success: 2 of 3 done, 1 failed, 0 not attempted.",
        "Failed:",
        f"  {missing}  404 Task instance not found: Task instance 'sync' of DAG 'nightly' at "
        f"{missing} does not exist.",
    ]
    assert _states(airflow_api, five[:2]) == ["success", "success"]


def test_json_reports_each_date(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    missing = "2027-01-01T00:00:00+00:00"

    result = cli("set-state", "nightly", "sync", "--state", "success", five[0], missing, "--json")

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["succeeded"] == [{"execution_date": five[0], "state": "success"}]
    assert [(f["execution_date"], f["status"]) for f in report["failed"]] == [(missing, 404)]
    assert report["not_attempted"] == []
    assert report["dry_run"] is False
    assert report["stopped_by"] is None


def test_dry_run_changes_nothing_and_shows_what_would(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    airflow_api.store.update(
        TaskInstanceKey("nightly", "sync", datetime.fromisoformat(five[1])), {"state": "running"}
    )

    result = cli("set-state", "nightly", "sync", "--state", "success", *five[:2], "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Setting nightly.sync to success would change:",
        "EXECUTION DATE             STATE",
        f"{five[0]}  failed -> success",
        f"{five[1]}  running -> success",
        "Dry run: nothing was changed.",  # last, as clear says it
    ]
    assert {entry.method for entry in airflow_api.request_log.entries()} == {"GET"}
    assert _states(airflow_api, five[:2]) == ["failed", "running"]


def test_an_unknown_state_is_a_usage_error_and_sends_nothing(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "done", *five)

    assert result.returncode == 2
    assert "unknown state 'done'" in result.stderr
    assert "success" in result.stderr  # the valid states are listed
    assert len(airflow_api.request_log) == 0


def test_malformed_dates_are_all_named_and_nothing_is_sent(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str], tmp_path: Path
) -> None:
    dates_file = tmp_path / "dates.txt"
    dates_file.write_text(f"{five[0]}\n2026-10-02T00:00:00\n{five[2]}\nnot a date\n")

    result = cli("set-state", "nightly", "sync", "--state", "success", "--dates-file",
                 str(dates_file))

    assert result.returncode == 2
    assert "line 2: '2026-10-02T00:00:00' has no time zone" in result.stderr
    assert "line 4: 'not a date'" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert len(airflow_api.request_log) == 0


def test_a_plain_date_means_midnight_utc(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", "2026-10-02")

    assert result.returncode == 0, result.stderr
    assert _states(airflow_api, five[:3]) == ["failed", "success", "failed"]


def test_a_malformed_date_argument_is_a_usage_error(
    cli: CliRunner, airflow_api: AirflowApiServer, five: list[str]
) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", five[0], "2026-10-32")

    assert result.returncode == 2
    assert "'2026-10-32'" in result.stderr
    assert len(airflow_api.request_log) == 0


def test_no_dates_is_a_usage_error(cli: CliRunner) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", stdin="")

    assert result.returncode == 2
    assert "no execution dates" in result.stderr


def test_a_missing_dates_file_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", "--dates-file",
                 str(tmp_path / "absent.txt"))

    assert result.returncode == 2
    assert "cannot read" in result.stderr


@pytest.mark.parametrize("workers", ["0", "65", "many"])
def test_a_bad_worker_count_is_a_usage_error(cli: CliRunner, workers: str) -> None:
    result = cli("set-state", "nightly", "sync", "--state", "success", "-w", workers,
                 "2026-10-01T00:00:00Z")

    assert result.returncode == 2
    assert "--workers" in result.stderr


def test_wrong_credentials_stop_the_run_after_the_first_refusal(
    airflow_api: AirflowApiServer, five: list[str]
) -> None:
    runner = CliRunner(airflow_api.url, user="admin", password="nope")

    result = runner("set-state", "nightly", "sync", "--state", "success", *five, "-w", "1",
                    "--json")

    assert result.returncode == 3
    report = json.loads(result.stdout)
    assert report["succeeded"] == []
    assert [f["status"] for f in report["failed"]] == [401]
    assert report["not_attempted"] == five[1:]
    assert report["stopped_by"] == "401 Unauthorized: The user name or password is wrong."
    assert len(operation_requests(airflow_api)) == 1
    assert _states(airflow_api, five) == ["failed"] * 5


def _run_in_process(server: AirflowApiServer, *arguments: str) -> tuple[int, str, float]:
    stdout = io.StringIO()
    environ = {"AIRFLOW_API_HOST": server.url, "AIRFLOW_API_USERNAME": "admin",
               "AIRFLOW_API_PASSWORD": "admin"}
    started = time.monotonic()
    status = main(list(arguments), environ=environ, stdin=io.StringIO(""), stdout=stdout,
                  stderr=io.StringIO())
    return status, stdout.getvalue(), time.monotonic() - started


def test_workers_bound_the_requests_in_flight(airflow_api: AirflowApiServer) -> None:
    airflow_api.load(bulk_seed(8))
    dates = bulk_dates(8)
    airflow_api.faults.delay(0.3)  # every answer takes 0.3 s

    status_two, _, two_workers = _run_in_process(
        airflow_api, "set-state", "nightly", "sync", "-s", "success", *dates, "-w", "2"
    )
    status_eight, _, eight_workers = _run_in_process(
        airflow_api, "set-state", "nightly", "sync", "-s", "running", *dates, "-w", "8"
    )

    assert status_two == status_eight == 0
    # Two at a time: four rounds of 0.3 s at least. Eight at a time: far less than one by one.
    assert two_workers >= 4 * 0.3
    assert eight_workers < 8 * 0.3 - 0.4
    assert _states(airflow_api, dates) == ["running"] * 8
