"""Numbers too large for what they name (a span of a billion days, a limit of 23 digits, a poll
of 1e300 seconds) are usage errors before anything is sent; a count no list can have is the
server's error."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.command_runner import CliRunner
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes, main
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.when import parse_when
from airflow_python_sdk.testing.server import AirflowApiServer

SELECTING = [["list"], ["runs"], ["clear", "--dry-run"],
             ["set-state", "--state", "success", "--dry-run"]]


@pytest.mark.parametrize("command", SELECTING, ids=lambda command: command[0])
@pytest.mark.parametrize("span", ["1000000000d", "999999999w", "9" * 30 + "s", "365001d"])
def test_a_span_beyond_1000_years_is_a_usage_error(cli: CliRunner, airflow_api: AirflowApiServer,
                                                   command: list[str], span: str) -> None:
    result = cli(*command, "--since", span)

    assert result.returncode == exit_codes.USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert "reaches back more than 1000 years (the longest span is 365000d)" in result.stderr
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize("command", SELECTING[:3], ids=lambda command: command[0])
@pytest.mark.parametrize("limit", ["9" * 23, "9" * 5000, "1000000001"])
def test_a_limit_beyond_a_billion_is_a_usage_error(cli: CliRunner, airflow_api: AirflowApiServer,
                                                   command: list[str], limit: str) -> None:
    result = cli(*command, "--state", "failed", "--limit", limit)

    assert result.returncode == exit_codes.USAGE, result.stderr
    assert "Traceback" not in result.stderr
    assert "give at most 1000000000 (leave --limit out for every match)" in result.stderr
    assert len(result.stderr) < 500
    assert len(airflow_api.request_log) == 0


def test_the_longest_span_and_limit_are_taken(cli: CliRunner) -> None:
    result = cli("list", "--since", "365000d", "--limit", "1000000000", "--count")

    assert result.returncode == exit_codes.OK, result.stderr


@pytest.mark.parametrize("interval", ["1e300", "3601", "-1", "nan", "inf"])
def test_a_poll_interval_beyond_an_hour_is_a_usage_error(cli: CliRunner,
                                                         airflow_api: AirflowApiServer,
                                                         interval: str) -> None:
    result = cli("logs", "etl_daily", "transform", "2026-11-26", "--follow",
                 "--poll-interval", interval)

    assert result.returncode == exit_codes.USAGE
    assert "give a number of seconds from 0 to 3600" in result.stderr
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize("word", ["yesterday", "last week", "24x", "7 days"])
def test_a_when_that_is_neither_span_nor_date_says_how_to_write_both(cli: CliRunner,
                                                                     word: str) -> None:
    result = cli("list", "--since", word)

    assert result.returncode == exit_codes.USAGE
    assert f"--since '{word}' is neither a span nor a date: write a span back from now" in (
        result.stderr)
    assert "e.g. 24h or 7d" in result.stderr and "2026-11-26T06:00:00Z" in result.stderr


NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@given(number=st.integers(min_value=0, max_value=10**40), unit=st.sampled_from("smhdwSMHDW"))
def test_every_span_is_a_time_within_1000_years_or_a_usage_error(number: int, unit: str) -> None:
    try:
        when = parse_when(f"{number}{unit}", NOW, "--since")
    except UsageError as error:
        assert "reaches back more than 1000 years" in str(error)
    else:
        assert NOW - timedelta(days=365_000) <= when <= NOW


@given(text=st.text(max_size=30))
def test_any_text_is_a_time_or_a_usage_error(text: str) -> None:
    try:
        when = parse_when(text, NOW, "--since")
    except UsageError as error:
        assert str(error).startswith("--since ")
    else:
        assert when.tzinfo is not None


@pytest.mark.parametrize(("count", "said"), [
    (-5, "the server counts -5 task instances of every DAG: an impossible count, its answer "
         "cannot be used"),
    (True, "answer does not match the spec"),
    ("12", "answer does not match the spec"),  # the SDK's own check of the answer's types
])
def test_an_impossible_count_is_the_servers_error(count: object, said: str) -> None:
    def answer(request: RecordedRequest) -> Reply:
        return Reply.json({"task_instances": [], "total_entries": count})

    with RecordingServer(handler=answer) as server:
        out, err = io.StringIO(), io.StringIO()
        code = main(["list", "--count", "--host", server.url + "/api/v1", "--dialect", "draft"],
                    environ={"AIRFLOW_API_USERNAME": "u", "AIRFLOW_API_PASSWORD": "p"},
                    stdout=out, stderr=err)

    assert code == exit_codes.API_ERROR, err.getvalue()
    assert out.getvalue() == ""
    assert "Traceback" not in err.getvalue()
    assert said in err.getvalue()
