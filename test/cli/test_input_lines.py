"""Lines of `--from`, `--dates-file` and `-` that fight back: JSON nested 100,000 deep, dates
at the edge of time, bytes that are not UTF-8 (under any locale): each a usage error naming its
line, with nothing sent. A byte-order mark on the first line is accepted."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.command_runner import REPO_ROOT, CliRunner

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import json_text
from airflow_python_sdk.cli.selection import TaskInstanceRef, read_reference_lines
from airflow_python_sdk.testing.server import AirflowApiServer

GOOD = json.dumps({"dag_id": "etl_daily", "task_id": "transform",
                   "execution_date": "2026-11-26T00:00:00+00:00"})
EDGES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]


def run_bytes(runner: CliRunner, arguments: list[str], stdin: bytes,
              **environment: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "airflow_python_sdk", *arguments], input=stdin,
                          capture_output=True, env=runner.environment(**environment),
                          cwd=REPO_ROOT, timeout=60)


def assert_usage_error_naming(result: subprocess.CompletedProcess, line: int,
                              server: AirflowApiServer) -> str:
    stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert result.returncode == exit_codes.USAGE, stderr
    assert "Traceback" not in stderr
    assert f"line {line}" in stderr
    assert len(server.request_log) == 0  # not even the question of which server it is
    return stderr


@pytest.mark.parametrize("command", [["clear", "--yes"],
                                     ["set-state", "--state", "success", "--yes"]])
def test_json_nested_100000_deep_is_a_usage_error(cli: CliRunner, airflow_api: AirflowApiServer,
                                                   command: list[str]) -> None:
    result = cli(*command, "--from", "-", stdin=GOOD + "\n" + "[" * 100_000 + "\n")

    stderr = assert_usage_error_naming(result, 2, airflow_api)
    assert "nested too deeply" in stderr
    assert len(stderr) < 1000


@pytest.mark.parametrize("edge", EDGES)
def test_from_dates_at_the_edge_of_time_are_usage_errors(cli: CliRunner,
                                                         airflow_api: AirflowApiServer,
                                                         edge: str) -> None:
    line = json.dumps({"dag_id": "d", "task_id": "t", "execution_date": edge})

    result = cli("clear", "--from", "-", "--yes", stdin=GOOD + "\n" + line + "\n")

    stderr = assert_usage_error_naming(result, 2, airflow_api)
    assert "is out of range: in UTC it falls before 0001-01-01 or after 9999-12-31" in stderr


@pytest.mark.parametrize("edge", EDGES)
def test_dates_at_the_edge_of_time_are_usage_errors_everywhere(
        cli: CliRunner, airflow_api: AirflowApiServer, edge: str) -> None:
    for arguments in (["get", "etl_daily", "transform", edge],
                      ["list", "--since", edge],
                      ["runs", "--until", edge],
                      ["set-state", "etl_daily", "transform", "-s", "success", edge]):
        result = cli(*arguments)

        assert result.returncode == exit_codes.USAGE, (arguments, result.stderr)
        assert "Traceback" not in result.stderr
        assert "out of range" in result.stderr, arguments
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize("locale", [{}, {"LC_ALL": "C", "LANG": "C"},
                                    {"LC_ALL": "C", "PYTHONUTF8": "0"}],
                         ids=["default", "C", "C-no-utf8-mode"])
@pytest.mark.parametrize("command", [["clear", "--yes", "--from", "-"],
                                     ["set-state", "--state", "success", "--yes", "--from", "-"],
                                     ["set-state", "etl_daily", "transform", "-s", "success",
                                      "-"]])
def test_bytes_that_are_not_utf8_on_stdin_name_their_line_and_send_nothing(
        cli: CliRunner, airflow_api: AirflowApiServer, locale: dict[str, str],
        command: list[str]) -> None:
    first = GOOD if "--from" in command else "2026-11-26"
    stdin = first.encode() + b"\n" + b"\xff\xfe not \xc3( utf-8\n" + first.encode() + b"\n"

    result = run_bytes(cli, command, stdin, **locale)

    stderr = assert_usage_error_naming(result, 2, airflow_api)
    assert "stdin, line 2 is not UTF-8 text: byte 0xff at position 1 is not UTF-8" in stderr


def test_a_dates_file_that_is_not_utf8_names_its_line(cli: CliRunner,
                                                       airflow_api: AirflowApiServer,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short path, quoted whole
    Path("dates.txt").write_bytes(b"2026-11-26\n2026-11-25\n\xc3\x28\n")

    result = cli("set-state", "etl_daily", "transform", "-s", "success", "--dates-file",
                 "dates.txt")

    stderr = assert_usage_error_naming(result, 3, airflow_api)
    assert "'dates.txt', line 3 is not UTF-8 text" in stderr


def test_a_byte_order_mark_on_the_first_line_is_accepted(cli: CliRunner,
                                                          airflow_api: AirflowApiServer,
                                                          tmp_path: Path) -> None:
    listed = cli("list", "--state", "failed", "--since", "24h", "--json").stdout.encode()
    dates = tmp_path / "dates.txt"
    dates.write_bytes(b"\xef\xbb\xbf2026-11-26\n")

    cleared = run_bytes(cli, ["clear", "--from", "-", "--dry-run"], b"\xef\xbb\xbf" + listed)
    set_from_file = cli("set-state", "etl_daily", "extract", "-s", "success", "--dry-run",
                        "--dates-file", str(dates))

    assert cleared.returncode == exit_codes.OK, cleared.stderr
    assert b"would change 3 task instances" in cleared.stdout
    assert set_from_file.returncode == exit_codes.OK, set_from_file.stderr


# -- properties of the NDJSON lines ------------------------------------------------------------

_IDS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
# Offsets as RFC 3339 writes them (whole minutes), as a server's dates come.
_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_DATES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                      timezones=_OFFSETS)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(items=st.lists(st.tuples(_IDS, _IDS, _DATES, st.integers(-1, 10**6)), max_size=5))
def test_what_list_json_writes_reads_back_as_the_same_task_instances(items) -> None:
    lines = [json_text({"dag_id": dag, "task_id": task,
                        "execution_date": when.isoformat(), "map_index": index}) + "\n"
             for dag, task, when, index in items]

    refs = read_reference_lines(enumerate(lines, start=1), "stdin")

    expected = list(dict.fromkeys(
        TaskInstanceRef(dag, when, task, index) for dag, task, when, index in items))
    assert refs == expected


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(st.one_of(
    st.text(max_size=60),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.sampled_from(["dag_id", "task_id", "execution_date",
                                                    "map_index", "x"]), inner, max_size=5),
                 max_leaves=10).map(json.dumps),
), max_size=6))
def test_any_line_is_read_or_refused_as_a_usage_error_naming_it(lines: list[str]) -> None:
    try:
        read_reference_lines(enumerate(lines, start=1), "stdin")
    except UsageError as error:
        assert "stdin, line " in str(error) and "nothing was changed" in str(error)
