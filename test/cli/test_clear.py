"""clear against the embedded server: selections, the dry run first, confirmation, the pipe."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Optional

import pytest
from cli.terminal import run_on_terminal
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

NOV_26 = datetime.fromisoformat("2026-11-26T00:00:00+00:00")


def _state(server: AirflowApiServer, dag_id: str, task_id: str,
           when: datetime = NOV_26, map_index: int = -1) -> Optional[str]:
    record = server.store.get(TaskInstanceKey(dag_id, task_id, when, map_index))
    assert record is not None
    state = record.fields.get("state")
    return None if state is None else str(state)


def _posts(server: AirflowApiServer) -> int:
    """How many clear requests (dry runs and real ones) the server answered."""
    return sum(1 for entry in server.request_log.entries()
               if entry.method == "POST" and entry.path.endswith("/clearTaskInstances"))


def _recent(server: AirflowApiServer) -> dict[str, Optional[str]]:
    out = {}
    keys = server.store.keys()
    for key in keys:
        if key.dag_id.startswith("nightly_"):
            record = server.store.get(key)
            assert record is not None
            out[f"{key.dag_id}.{key.task_id}"] = record.fields.get("state")
    return out


def test_the_pipe_clears_the_last_days_failures(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    listed = cli("list", "--state", "failed", "--since", "24h", "--json")
    result = cli("clear", "--from", "-", "--yes", stdin=listed.stdout)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("The server's dry run: clear would change 3 task instances:\n")
    assert result.stdout.endswith(
        "Cleared 3 task instances (3 of 3 requests done, 0 failed, 0 not attempted).\n")
    states = _recent(airflow_api)
    assert states["nightly_sales.aggregate"] is None
    assert states["nightly_inventory.reconcile"] is None
    assert states["nightly_billing.invoice"] is None
    assert states["nightly_sales.notify"] == "upstream_failed"  # not selected
    assert states["nightly_sales.extract"] == "success"
    # Each DAG run got one dry run, then one real clear.
    assert _posts(airflow_api) == 6


def test_without_yes_off_a_terminal_nothing_changes(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    listed = cli("list", "--state", "failed", "--since", "24h", "--json")
    result = cli("clear", "--from", "-", stdin=listed.stdout)

    assert result.returncode == 7
    assert "nightly_sales      aggregate" in result.stdout
    assert "pass --yes" in result.stderr
    assert _posts(airflow_api) == 3  # the dry runs only
    assert _recent(airflow_api)["nightly_sales.aggregate"] == "failed"


def test_dry_run_only_shows(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("clear", "--dag", "etl_daily", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "The server's dry run: clear would change 2 task instances:\n"
        "DAG        TASK       MAP  EXECUTION DATE\n"
        "etl_daily  load       -    2026-11-26T00:00:00+00:00\n"
        "etl_daily  transform  -    2026-11-26T00:00:00+00:00\n"
        "Dry run: nothing was changed.\n")
    assert _posts(airflow_api) == 1
    assert _state(airflow_api, "etl_daily", "transform") == "failed"


def test_filters_select_and_downstream_follows(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("clear", "--dag", "etl_daily", "--task", "transform", "--downstream", "--yes",
                 "--json")

    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["applied"] is True
    assert [item["task_id"] for item in document["changed"]] == ["load", "transform"]
    assert _state(airflow_api, "etl_daily", "transform") is None
    assert _state(airflow_api, "etl_daily", "load") is None
    assert _state(airflow_api, "etl_daily", "extract") == "success"


def test_running_work_is_left_alone_unless_asked(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    when = datetime.fromisoformat("2026-11-27T00:00:00+00:00")
    kept = cli("clear", "--dag", "etl_daily", "--until", "2026-11-27", "--since", "2026-11-27",
               "--no-only-failed", "--yes")
    assert kept.returncode == 0
    assert "Nothing to clear" in kept.stdout
    assert _state(airflow_api, "etl_daily", "extract", when) == "running"

    cleared = cli("clear", "--dag", "etl_daily", "--since", "2026-11-27", "--include-running",
                  "--yes")
    assert cleared.returncode == 0, cleared.stderr
    assert "Cleared 1 task instance " in cleared.stdout
    assert _state(airflow_api, "etl_daily", "extract", when) == "restarting"


def test_a_mapped_task_is_cleared_by_task_and_date(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("clear", "--dag", "partitioned_load", "--task", "load_partition", "--yes")

    assert result.returncode == 0, result.stderr
    assert "Cleared 2 task instances" in result.stdout
    assert [_state(airflow_api, "partitioned_load", "load_partition", NOV_26, index)
            for index in range(5)] == ["success"] * 3 + [None, None]


def test_confirmation_on_a_terminal(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    declined = run_on_terminal(["clear", "--dag", "reporting", "--no-progress"],
                               cli.environment(), answer_when=("[y/N] ", "n\n"))
    assert declined.returncode == 7
    assert "Clear this task instance? [y/N]" in declined.output
    assert _state(airflow_api, "reporting", "email_report") == "failed"

    accepted = run_on_terminal(["clear", "--dag", "reporting"], cli.environment(),
                               answer_when=("[y/N] ", "y\n"))
    assert accepted.returncode == 0, accepted.output
    assert "Cleared 1 task instance" in accepted.output
    assert _state(airflow_api, "reporting", "email_report") is None


@pytest.mark.parametrize(
    "line, complaint",
    [("{not json", "stdin, line 2: not a JSON object"),
     ('{"dag_id": "etl_daily", "task_id": "load"}', "stdin, line 2: execution_date missing"),
     ('{"dag_id": "etl_daily", "task_id": "load", "execution_date": "2026-11-26T00:00:00"}',
      "stdin, line 2: '2026-11-26T00:00:00' has no time zone"),
     ('{"dag_id": "etl_daily", "task_id": "load", "execution_date": "2026-11-26", '
      '"map_index": "x"}', "stdin, line 2: map_index 'x'"),
     ("[1, 2]", "stdin, line 2: not a JSON object")],
)
def test_one_bad_line_and_nothing_is_sent(
    cli: CliRunner, airflow_api: AirflowApiServer, line: str, complaint: str
) -> None:
    good = '{"dag_id": "etl_daily", "task_id": "transform", "execution_date": "2026-11-26"}'
    result = cli("clear", "--from", "-", "--yes", stdin=f"{good}\n{line}\n{good}\n")

    assert result.returncode == 2
    assert complaint in result.stderr
    assert "nothing was changed" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert len(airflow_api.request_log) == 0


def test_a_line_naming_a_missing_dag_stops_before_any_change(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    lines = ('{"dag_id": "etl_daily", "task_id": "transform", "execution_date": "2026-11-26"}\n'
             '{"dag_id": "no_such_dag", "task_id": "t", "execution_date": "2026-11-26"}\n')
    result = cli("clear", "--from", "-", "--yes", stdin=lines)

    assert result.returncode == 4
    assert "no_such_dag" in result.stderr
    assert _posts(airflow_api) == 2  # both dry runs, no real clear
    assert _state(airflow_api, "etl_daily", "transform") == "failed"


def test_from_a_file(cli: CliRunner, airflow_api: AirflowApiServer, tmp_path: Path) -> None:
    listed = cli("list", "--dag", "reporting", "--state", "failed", "--json")
    selection = tmp_path / "failed.jsonl"
    selection.write_text(listed.stdout)

    result = cli("clear", "--from", str(selection), "--yes")

    assert result.returncode == 0, result.stderr
    assert _state(airflow_api, "reporting", "email_report") is None
    missing = cli("clear", "--from", str(tmp_path / "nope.jsonl"), "--yes")
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr


def test_a_selection_is_required(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    bare = cli("clear", "--yes")
    assert bare.returncode == 2
    assert "say which task instances" in bare.stderr
    both = cli("clear", "--from", "-", "--dag", "etl_daily", "--yes", stdin="")
    assert both.returncode == 2
    assert "not both" in both.stderr
    assert len(airflow_api.request_log) == 0


def test_a_read_only_user_is_refused_at_the_dry_run(cli: CliRunner,
                                                    airflow_api: AirflowApiServer) -> None:
    viewer = CliRunner(airflow_api.url, user="viewer", password="viewer")

    result = viewer("clear", "--dag", "etl_daily", "--yes")

    assert result.returncode == 3
    assert result.stderr.startswith("airflow-sdk: error: 403")
    assert _state(airflow_api, "etl_daily", "transform") == "failed"


def test_an_empty_selection_changes_nothing(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("clear", "--from", "-", "--yes", stdin="\n")

    assert result.returncode == 0
    assert result.stdout == "Nothing to clear: no task instance is selected.\n"
    assert len(airflow_api.request_log) == 0


def test_a_terminal_shows_progress_over_many_runs(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    # The three DAG runs of the last day: a dry run, then a clear, for each; each clears its
    # failed task and the upstream_failed one after it.
    run = run_on_terminal(["clear", "--since", "24h", "--yes"], cli.environment(NO_COLOR="1"))

    assert run.returncode == 0, run.output
    assert "dry run: 100%" in run.output
    assert "clearing: 100%" in run.output
    assert "3/3" in run.output
    assert "Cleared 6 task instances (3 of 3 requests done" in run.output
