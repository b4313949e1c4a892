"""get and links: human output, --json, and the one-line errors with their exit statuses."""

from __future__ import annotations

import json

import pytest
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"


def test_get_prints_aligned_fields(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "transform", DATE)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    fields = dict(line.split(None, 1) for line in lines)
    assert fields["state"] == "failed"
    assert fields["try_number"] == "2"
    assert fields["execution_date"] == DATE
    assert fields["sla_miss"] == "-"  # null
    # Values start in one column.
    assert len({line.index(value) for line, value in zip(lines, fields.values())}) == 1


def test_get_json_is_the_task_instance(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "transform", "2026-11-26T00:00:00Z", "--json")

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["dag_id"] == "etl_daily"
    assert document["state"] == "failed"
    assert document["start_date"] == "2026-11-26T00:06:10+00:00"
    assert document["duration"] == 90.0


def test_shared_options_may_come_before_the_command(cli: CliRunner) -> None:
    result = cli("--json", "get", "etl_daily", "extract", DATE)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "success"


def test_links_prints_a_table(cli: CliRunner) -> None:
    result = cli("links", "reporting", "build_report", DATE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "NAME       URL",
        "Report     https://reports.example.com/daily/2026-11-26",
        "Dashboard  https://dashboards.example.com/d/daily",
    ]


def test_links_json_keeps_names_and_urls(cli: CliRunner) -> None:
    result = cli("links", "reporting", "build_report", DATE, "--json")

    assert result.returncode == 0, result.stderr
    links = json.loads(result.stdout)["extra_links"]
    assert [(link["name"], link["href"]) for link in links] == [
        ("Report", "https://reports.example.com/daily/2026-11-26"),
        ("Dashboard", "https://dashboards.example.com/d/daily"),
    ]
    assert links[0]["class_ref"]["class_name"] == "ReportLink"


def test_links_says_when_there_are_none(cli: CliRunner) -> None:
    result = cli("links", "etl_daily", "transform", DATE)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "No extra links.\n"


def test_not_found_is_one_line_with_status_title_and_detail(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "nope", DATE)

    assert result.returncode == 4
    assert result.stdout == ""
    assert result.stderr == (
        "airflow-sdk: error: 404 Task instance not found: Task instance 'nope' of DAG "
        "'etl_daily' at 2026-11-26T00:00:00+00:00 does not exist.\n"
    )


def test_a_traceback_comes_only_with_debug(cli: CliRunner) -> None:
    plain = cli("get", "etl_daily", "nope", DATE)
    # In a process of its own: --debug sets up logging for the whole process, as users get it.
    debug = cli.in_a_process("get", "etl_daily", "nope", DATE, "--debug")

    assert "Traceback" not in plain.stderr
    assert debug.returncode == 4
    assert "Traceback (most recent call last)" in debug.stderr
    assert "NotFoundException" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1].startswith("airflow-sdk: error: 404 ")


def test_a_server_error_is_exit_status_5(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    # More failures than the SDK's retries of a GET.
    airflow_api.faults.fail_next(6, status=500, retry_after=None)

    result = cli("get", "etl_daily", "transform", DATE)

    assert result.returncode == 5
    assert result.stderr.startswith("airflow-sdk: error: 500 ")
    assert len(result.stderr.splitlines()) == 1


def test_an_unreachable_server_is_exit_status_6(refused_port: int) -> None:
    runner = CliRunner(f"http://127.0.0.1:{refused_port}/api/v1", user="admin", password="admin")

    result = runner("get", "etl_daily", "transform", DATE, "--timeout", "5")

    assert result.returncode == 6
    assert result.stderr.startswith("airflow-sdk: error: GET http://127.0.0.1:")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_malformed_dates_are_usage_errors_and_send_nothing(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    for bad in ("2026-11-26T00:00:00", "yesterday", "2026-13-40T00:00:00Z", "2026-02-30"):
        result = cli("get", "etl_daily", "transform", bad)

        assert result.returncode == 2, bad
        assert bad in result.stderr
        assert "Traceback" not in result.stderr
    assert len(airflow_api.request_log) == 0


def test_an_unknown_dialect_is_a_usage_error(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("get", "etl_daily", "transform", DATE, "--dialect", "airflow9")

    assert result.returncode == 2
    assert result.stderr.startswith("airflow-sdk: error: ")
    assert "airflow9" in result.stderr
    assert len(airflow_api.request_log) == 0


def test_the_dialect_comes_from_the_environment_too(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli(
        "get", "etl_daily", "transform", DATE, env=cli.environment(AIRFLOW_API_DIALECT="airflow9")
    )

    assert result.returncode == 2
    assert "airflow9" in result.stderr


def test_the_draft_dialect_can_be_named(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "transform", DATE, "--dialect", "draft", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "failed"


def test_an_unknown_command_or_option_is_a_usage_error(cli: CliRunner) -> None:
    assert cli("frobnicate").returncode == 2
    result = cli("get", "etl_daily", "transform", DATE, "--colour")
    assert result.returncode == 2
    assert "--colour" in result.stderr


def test_a_date_without_a_time_zone_is_told_how_to_write_it(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "transform", "2026-11-26T00:00:00")

    assert result.returncode == 2
    assert "has no time zone: add one, e.g. 2026-11-26T00:00:00Z" in result.stderr


@pytest.mark.parametrize(
    "written", ["2026-11-26", "2026-11-26T00:00:00Z", "2026-11-26t00:00:00z",
                "2026-11-26 01:00:00+01:00", "2026-11-25T19:00:00-05:00",
                "2026-11-26T00:00:00.000000+00:00"]
)
def test_every_rfc3339_form_of_a_date_names_the_same_run(cli: CliRunner, written: str) -> None:
    result = cli("get", "etl_daily", "transform", written, "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["task_id"] == "transform"
