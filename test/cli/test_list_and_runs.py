"""list and runs against the embedded server: filters, pages, the table, JSON lines, counts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cli.terminal import run_on_terminal
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer


def _rows(stdout: str) -> list[list[str]]:
    """The table's rows without its header and total line."""
    lines = stdout.splitlines()
    return [line.split() for line in lines[1:-1]]


def _seed(count: int) -> list[dict[str, Any]]:
    first = datetime(2026, 10, 1, tzinfo=timezone.utc)
    return [{"dag_id": f"dag_{number % 3}", "task_id": "step",
             "execution_date": (first + timedelta(hours=number)).isoformat(),
             "state": "failed" if number % 2 else "success", "try_number": 1}
            for number in range(count)]


def test_list_shows_every_dag_in_a_table(cli: CliRunner) -> None:
    result = cli("list")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["DAG", "TASK", "MAP", "EXECUTION", "DATE", "TRY", "STATE"]
    assert lines[-1] == "(25 task instances)"
    assert {row[0] for row in _rows(result.stdout)} == {
        "etl_daily", "reporting", "ml_training", "partitioned_load", "nightly_sales",
        "nightly_inventory", "nightly_billing"}
    assert "\033[" not in result.stdout  # piped: plain
    assert result.stderr == ""


def test_the_failures_of_the_last_day(cli: CliRunner) -> None:
    result = cli("list", "--state", "failed", "--since", "24h")

    assert result.returncode == 0, result.stderr
    assert [(row[0], row[1], row[-1]) for row in _rows(result.stdout)] == [
        ("nightly_billing", "invoice", "failed"),
        ("nightly_inventory", "reconcile", "failed"),
        ("nightly_sales", "aggregate", "failed")]


def test_filters_combine_and_repeat(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("list", "--dag", "etl_daily", "--dag", "partitioned_load", "--state", "failed",
                 "--state", "upstream_failed", "--until", "2026-11-26", "--task", "load_partition",
                 "--task", "load", "--task", "publish")

    assert result.returncode == 0, result.stderr
    assert [(row[0], row[1], row[2]) for row in _rows(result.stdout)] == [
        ("etl_daily", "load", "-"), ("partitioned_load", "load_partition", "3"),
        ("partitioned_load", "load_partition", "4"), ("partitioned_load", "publish", "-")]
    queries = [entry.query for entry in airflow_api.request_log.entries()
               if entry.path.endswith("/taskInstances")]
    assert any("state=failed&state=upstream_failed" in query for query in queries)


def test_pool_and_limit(cli: CliRunner) -> None:
    result = cli("list", "--pool", "gpu_pool", "--json")
    assert [json.loads(line)["task_id"] for line in result.stdout.splitlines()] == ["train_model"]

    limited = cli("list", "--limit", "2", "--json")
    assert limited.returncode == 0
    assert len(limited.stdout.splitlines()) == 2


def test_json_lines_are_whole_task_instances(cli: CliRunner) -> None:
    result = cli("list", "--state", "failed", "--since", "24h", "--json")

    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["dag_id"] for item in items] == [
        "nightly_billing", "nightly_inventory", "nightly_sales"]
    assert items[0]["try_number"] == 2
    assert items[0]["map_index"] == -1


def test_count_prints_only_the_number(cli: CliRunner) -> None:
    assert cli("list", "--count").stdout == "25\n"
    assert cli("list", "--state", "failed", "--count").stdout == "7\n"
    assert cli("list", "--count", "--limit", "4").stdout == "4\n"
    assert json.loads(cli("list", "--count", "--json").stdout) == {"count": 25}
    assert cli("runs", "--count").stdout == "8\n"


def test_pages_are_walked_for_the_user(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    airflow_api.load(_seed(250))

    result = cli("list", "--json")

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 250
    pages = [entry for entry in airflow_api.request_log.entries()
             if entry.path.endswith("/taskInstances") and "offset=" in entry.query]
    assert len(pages) == 3


def test_a_long_table_is_streamed_with_the_first_window_sizing_it(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    airflow_api.load(_seed(250))

    result = cli("list")

    lines = result.stdout.splitlines()
    assert len(lines) == 252
    assert lines[-1] == "(250 task instances)"
    assert len({line.index("step") for line in lines[1:-1]}) == 1  # columns stay aligned


def test_runs_lists_dag_runs_with_filters(cli: CliRunner) -> None:
    result = cli("runs", "--state", "failed", "--since", "2026-11-26")

    assert result.returncode == 0, result.stderr
    assert [row[0] for row in _rows(result.stdout)] == [
        "etl_daily", "partitioned_load", "reporting", "nightly_billing", "nightly_inventory",
        "nightly_sales"]
    running = cli("runs", "--dag", "etl_daily", "--state", "running", "--json")
    assert [json.loads(line)["dag_run_id"] for line in running.stdout.splitlines()] == [
        "scheduled__2026-11-27T00:00:00+00:00"]


def test_nothing_matching_says_so(cli: CliRunner) -> None:
    result = cli("list", "--dag", "etl_daily", "--state", "deferred")

    assert result.returncode == 0
    assert result.stdout == "No task instances match.\n"
    assert cli("list", "--dag", "etl_daily", "--state", "deferred", "--json").stdout == ""


@pytest.mark.parametrize(
    "arguments, complaint",
    [(["--state", "bogus"], "unknown state 'bogus'"),
     (["--since", "24x"], "'24x' is neither a span nor a date"),
     (["--since", "2026-11-26T00:00:00"], "has no time zone: add one, e.g. 2026-11-26T00:00:00Z"),
     (["--until", "yesterday"], "'yesterday'"),
     (["--since", "1h", "--until", "2h"], "is after --until"),
     (["--limit", "0"], "--limit 0"),
     (["--dag", ""], "an empty name")],
)
def test_bad_filters_are_one_line_and_send_nothing(
    cli: CliRunner, airflow_api: AirflowApiServer, arguments: list[str], complaint: str
) -> None:
    result = cli("list", *arguments)

    assert result.returncode == 2
    assert result.stderr.startswith("airflow-sdk: error: ")
    assert complaint in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert len(airflow_api.request_log) == 0


def test_an_unknown_run_state_is_refused(cli: CliRunner) -> None:
    result = cli("runs", "--state", "skipped")

    assert result.returncode == 2
    assert "unknown DAG run state 'skipped'" in result.stderr


def test_a_dag_that_does_not_exist_is_not_found(cli: CliRunner) -> None:
    for command in ("list", "runs"):
        result = cli(command, "--dag", "etl_daily", "--dag", "etl_dialy")

        assert result.returncode == 4
        assert result.stderr == (
            "airflow-sdk: error: no DAG 'etl_dialy' on the server (it has no task instances)\n")
        assert result.stdout == ""


def test_state_is_coloured_on_a_terminal_only(cli: CliRunner) -> None:
    coloured = run_on_terminal(["list", "--dag", "etl_daily"], cli.environment())
    assert coloured.returncode == 0, coloured.output
    assert "\033[31mfailed\033[0m" in coloured.output
    assert "\033[32msuccess\033[0m" in coloured.output

    plain = run_on_terminal(["list", "--dag", "etl_daily"], cli.environment(NO_COLOR="1"))
    assert plain.returncode == 0
    assert "\033[" not in plain.output
    assert "failed" in plain.output


def test_on_a_narrow_terminal_long_ids_are_cut(cli: CliRunner) -> None:
    # The pseudo-terminal is 100 columns wide; COLUMNS narrows what the command sees.
    result = run_on_terminal(["list", "--dag", "partitioned_load"],
                             cli.environment(COLUMNS="70", NO_COLOR="1"))

    lines = [line for line in result.output.splitlines() if line.strip()]
    assert all(len(line) <= 70 for line in lines), lines
    assert any("…" in line for line in lines)


def test_version() -> None:
    from airflow_python_sdk import __version__

    result = CliRunner(None)("--version")
    assert result.returncode == 0
    assert result.stdout == f"airflow-sdk {__version__}\n"


@pytest.mark.parametrize("command", [["runs", "--dag", "etl_daily"],
                                     ["list", "--dag", "etl_daily"]])
def test_a_date_with_microseconds_keeps_the_columns_aligned(
    cli: CliRunner, command: list[str]
) -> None:
    # A run triggered without a date is dated now, to the microsecond: longer than the usual date.
    assert cli("trigger", "etl_daily", "--run-id", "now_run").returncode == 0

    result = cli(*command)

    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()[:-1]
    assert any("." in row.split()[-3 if command[0] == "list" else 2] for row in rows)
    state_at = header.index("STATE")
    assert all(row[state_at - 2:state_at] == "  " and row[state_at] != " " for row in rows), (
        result.stdout)
