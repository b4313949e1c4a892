"""dags, pause, unpause, trigger, wait, mark-run, clear-run, delete-run and clear --wait, run as
users run them, against the embedded server; exit statuses as docs/CLI.md lists them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

DATE = "2026-12-01T00:00:00+00:00"
WHEN = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _paused(server: AirflowApiServer, dag_id: str) -> bool:
    dag = server.store.dag(dag_id)
    assert dag is not None
    return dag.is_paused


def _run(server: AirflowApiServer, dag_id: str, run_id: str) -> dict:
    def find(tables):
        return next((run for key, run in tables.runs.items()
                     if key[0] == dag_id and run["dag_run_id"] == run_id), None)
    return server.store.transact(find)


# -- dags, pause, unpause --------------------------------------------------------------------

def test_dags_lists_every_dag_with_its_pause_schedule_and_tags(cli: CliRunner) -> None:
    result = cli("dags")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["DAG", "PAUSED", "SCHEDULE", "TAGS", "OWNERS"]
    assert lines[1].split() == ["etl_daily", "no", "0", "0", "*", "*", "*", "etl,daily",
                                "data-eng"]
    assert len(lines) == 9
    assert "legacy_export      yes" in result.stdout


def test_dags_filters_by_pattern_and_pause(cli: CliRunner) -> None:
    listed = cli("dags", "--pattern", "NIGHTLY", "--active").stdout.splitlines()[1:]
    assert [line.split()[0] for line in listed] == [
        "nightly_billing", "nightly_inventory", "nightly_sales"]
    paused = json.loads(cli("dags", "--paused", "--json").stdout)
    assert [dag["dag_id"] for dag in paused["dags"]] == ["legacy_export"]
    assert cli("dags", "--pattern", "nope").stdout == "No DAG matches.\n"


def test_pause_one_dag_and_unpause_it(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("pause", "etl_daily")
    assert (result.returncode, result.stdout) == (0, "Paused DAG etl_daily.\n")
    assert _paused(airflow_api, "etl_daily")

    assert cli("unpause", "etl_daily").stdout == "Unpaused DAG etl_daily.\n"
    assert not _paused(airflow_api, "etl_daily")


def test_pause_by_pattern_shows_the_dags_and_asks_before_changing_them(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    declined = cli("pause", "--pattern", "nightly", stdin="y\n")  # a pipe is not asked

    assert declined.returncode == 7
    assert declined.stdout.startswith("3 DAGs match 'nightly'; pause would change 3 of them:\n")
    assert "Nothing was changed" in declined.stderr
    assert not _paused(airflow_api, "nightly_sales")

    applied = cli("pause", "--pattern", "nightly", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.endswith(
        "Paused 3 DAGs: nightly_billing, nightly_inventory, nightly_sales.\n")
    assert all(_paused(airflow_api, dag) for dag in (
        "nightly_billing", "nightly_inventory", "nightly_sales"))
    assert not _paused(airflow_api, "etl_daily")
    patches = [entry for entry in airflow_api.request_log.entries() if entry.method == "PATCH"]
    assert len(patches) == 1  # one bulk request


def test_pause_needs_a_dag_or_a_pattern(cli: CliRunner) -> None:
    for arguments in ((), ("etl_daily", "--pattern", "etl")):
        result = cli("pause", *arguments)
        assert result.returncode == 2
        assert "pause needs a DAG id, or --pattern TEXT" in result.stderr


def test_pausing_a_dag_that_does_not_exist_is_not_found(cli: CliRunner) -> None:
    assert cli("pause", "no_such_dag").returncode == 4


# -- trigger and wait ------------------------------------------------------------------------

@pytest.mark.airflow_api(pace=0)
def test_trigger_with_conf_note_and_date_then_wait(cli: CliRunner,
                                                  airflow_api: AirflowApiServer) -> None:
    result = cli("trigger", "etl_daily", "--conf", '{"rows": 5}', "--note", "by hand",
                 "--run-id", "hand", "--date", DATE, "--wait")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        f"Triggered run hand of etl_daily (queued, execution date {DATE}).\n"
        "Waiting for it to finish...\nRun hand of etl_daily ended success after ")
    run = _run(airflow_api, "etl_daily", "hand")
    assert (run["conf"], run["note"], run["state"]) == ({"rows": 5}, "by hand", "success")


@pytest.mark.airflow_api(pace=0)
def test_a_failed_run_has_its_own_exit_status_and_lists_what_did_not_succeed(
        cli: CliRunner) -> None:
    result = cli("trigger", "reporting", "--run-id", "r", "--date", DATE, "--wait")

    assert result.returncode == 8
    assert "Run r of reporting ended failed after " in result.stdout
    table = result.stdout.split("Task instances that did not succeed:\n")[1].splitlines()
    assert [line.split()[1::4] for line in table[1:]] == [["archive", "skipped"],
                                                          ["email_report", "failed"]]


def test_a_wait_that_times_out_has_its_own_exit_status(cli: CliRunner) -> None:
    # No scheduler: the run stays queued.
    assert cli("trigger", "etl_daily", "--run-id", "stuck", "--date", DATE).returncode == 0

    result = cli("wait", "etl_daily", "stuck", "--wait-timeout", "0.5")

    assert result.returncode == 9
    assert result.stderr == ("airflow-sdk: timed out: DAG run 'stuck' of DAG 'etl_daily' had not "
                             "finished after 0.5 s (last state: queued)\n")


@pytest.mark.airflow_api(pace=0)
def test_a_paused_dag_says_so_and_unpause_lets_the_run_go(cli: CliRunner) -> None:
    paused = cli("trigger", "legacy_export", "--wait", "--json")
    assert paused.returncode == 10
    assert json.loads(paused.stdout)["outcome"] == "dag paused"
    assert "DAG 'legacy_export' is paused" in paused.stderr

    unpaused = cli("trigger", "legacy_export", "--unpause", "--wait")
    assert unpaused.returncode == 0, unpaused.stderr
    assert unpaused.stdout.startswith("Unpaused DAG legacy_export.\nTriggered run ")


@pytest.mark.airflow_api(pace=0)
def test_trigger_reads_conf_from_a_file(cli: CliRunner, airflow_api: AirflowApiServer,
                                        tmp_path) -> None:
    conf = tmp_path / "conf.json"
    conf.write_text('{"table": "orders", "full": true}')

    result = cli("trigger", "ml_training", "--conf", f"@{conf}", "--run-id", "f", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["triggered"]["conf"] == {"table": "orders", "full": True}


@pytest.mark.parametrize(("arguments", "message"), [
    (("--conf", "[1, 2]"), "--conf must be a JSON object"),
    (("--conf", "{nope"), "--conf is not JSON"),
    (("--conf", "@/no/such/file.json"), "cannot read '/no/such/file.json'"),
    (("--date", "2026-12-01T00:00:00"), "--date"),
    (("--wait", "--wait-timeout", "0"), "give a finite number of seconds above 0"),
    (("--wait", "--wait-timeout", "nan"), "give a finite number of seconds above 0"),
])
def test_trigger_refuses_bad_arguments_before_sending_anything(
        cli: CliRunner, airflow_api: AirflowApiServer, arguments, message) -> None:
    result = cli("trigger", "etl_daily", *arguments)

    assert result.returncode == 2
    assert message in result.stderr
    assert not [entry for entry in airflow_api.request_log.entries() if entry.method == "POST"]


# -- mark, clear and delete a run ------------------------------------------------------------

def test_mark_run_asks_then_marks_and_notes(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    assert cli("trigger", "etl_daily", "--run-id", "m", "--date", DATE).returncode == 0

    declined = cli("mark-run", "etl_daily", "m", "--state", "success")
    assert declined.returncode == 7
    assert _run(airflow_api, "etl_daily", "m")["state"] == "queued"

    result = cli("mark-run", "etl_daily", "m", "--state", "success", "--note", "done by hand",
                 stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Run m of etl_daily is now success; note: done by hand.\n"
    assert _run(airflow_api, "etl_daily", "m")["note"] == "done by hand"
    extract = airflow_api.store.get(TaskInstanceKey("etl_daily", "extract", WHEN))
    assert extract is not None and extract.fields["state"] == "success"


@pytest.mark.airflow_api(pace=0)
def test_clear_run_shows_the_dry_run_first_then_waits_for_the_reruns(
        cli: CliRunner) -> None:
    first = cli("trigger", "nightly_inventory", "--run-id", "n", "--date", DATE, "--wait")
    assert first.returncode == 8  # reconcile fails on try 1

    dry = cli("clear-run", "nightly_inventory", "n", "--dry-run")
    assert dry.returncode == 0
    assert dry.stdout.startswith("The server's dry run: clearing run n of nightly_inventory "
                                 "would clear 3 task instances:\n")
    assert dry.stdout.endswith("Dry run: nothing was changed.\n")

    result = cli("clear-run", "nightly_inventory", "n", "--yes", "--wait")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Cleared 3 task instances; the run is queued again.\n" in result.stdout
    rows = {line.split()[1]: line.split() for line in result.stdout.splitlines()
            if line.startswith("nightly_inventory ")}
    assert rows["reconcile"][-3:] == ["2", "success", "succeeded"]
    assert result.stdout.endswith("3 succeeded, 0 failed again.\n")


def test_delete_run_asks_then_deletes_the_run(cli: CliRunner,
                                              airflow_api: AirflowApiServer) -> None:
    assert cli("trigger", "etl_daily", "--run-id", "gone", "--date", DATE).returncode == 0
    assert cli("delete-run", "etl_daily", "gone").returncode == 7
    assert _run(airflow_api, "etl_daily", "gone") is not None

    result = cli("delete-run", "etl_daily", "gone", "--yes")

    assert (result.returncode, result.stdout) == (0, "Deleted run gone of etl_daily.\n")
    assert _run(airflow_api, "etl_daily", "gone") is None
    assert airflow_api.store.get(TaskInstanceKey("etl_daily", "extract", WHEN)) is None


# -- clear --wait ----------------------------------------------------------------------------

@pytest.mark.airflow_api(pace=0)
def test_clear_wait_prints_whether_each_rerun_succeeded_or_failed_again(
        cli: CliRunner) -> None:
    # The last day's failures: aggregate fails again (a bad row), reconcile and invoice succeed.
    result = cli("clear", "--since", "2d", "--yes", "--wait")

    assert result.returncode == 8, result.stdout + result.stderr
    rows = [line.split() for line in
            result.stdout.split("to run again...\n")[1].splitlines()[1:-1]]
    # DAG, TASK, MAP, EXECUTION DATE, TRY, STATE, RERUN
    assert {(row[0], row[1]): (row[4], row[5], " ".join(row[6:])) for row in rows} == {
        ("nightly_billing", "invoice"): ("3", "success", "succeeded"),
        ("nightly_billing", "notify"): ("1", "success", "succeeded"),
        ("nightly_inventory", "notify"): ("1", "success", "succeeded"),
        ("nightly_inventory", "reconcile"): ("2", "success", "succeeded"),
        ("nightly_sales", "aggregate"): ("2", "failed", "failed again"),
        ("nightly_sales", "notify"): ("0", "upstream_failed", "failed again")}
    assert result.stdout.endswith("4 succeeded, 2 failed again.\n")


def test_clear_wait_gives_up_at_its_timeout(cli: CliRunner) -> None:
    # No scheduler: what is cleared never runs again.
    result = cli("clear", "--dag", "nightly_inventory", "--since", "2d", "--yes", "--wait",
                 "--wait-timeout", "0.5")

    assert result.returncode == 9
    assert "2 of 2 task instances had not finished after 0.5 s" in result.stderr


def test_the_server_text_of_dags_and_runs_is_escaped() -> None:
    import io

    from support.recording_server import RecordedRequest, RecordingServer, Reply

    from airflow_python_sdk.cli import main

    hostile = "etl\u001b[2K\u001b]0;pwned\u0007"
    run = {"dag_run_id": "r", "dag_id": hostile, "execution_date": DATE, "state": "failed\u009b"}

    def answer(request: RecordedRequest) -> Reply:
        if request.method == "PATCH":
            return Reply.json({"dag_id": hostile, "is_paused": True})
        if request.path.endswith("/dags"):
            return Reply.json({"dags": [{"dag_id": hostile, "is_paused": False,
                                         "tags": [{"name": hostile}], "owners": [hostile]}],
                               "total_entries": 1})
        if "/taskInstances" in request.path:
            return Reply.json({"task_instances": [], "total_entries": 0})
        return Reply.json(run)

    outputs = []
    # A state no server should send: the wait sees an unfinished run, and gives up at once.
    for arguments in (["dags"], ["pause", "etl"], ["wait", "etl", "r", "--wait-timeout", "0.3"]):
        with RecordingServer(handler=answer) as server:
            out, err = io.StringIO(), io.StringIO()
            main([*arguments, "--host", server.url + "/api/v1", "--dialect", "draft"],
                 environ={"AIRFLOW_API_USERNAME": "u", "AIRFLOW_API_PASSWORD": "p"},
                 stdin=io.StringIO(""), stdout=out, stderr=err)
        outputs.append(out.getvalue() + err.getvalue())

    for text in outputs:
        assert "\u001b" not in text and "\u0007" not in text and "\u009b" not in text, text
    assert "etl\\x1b[2K" in outputs[0] and "Paused DAG etl\\x1b[2K" in outputs[1]
    assert "(last state: failed\\x9b)" in outputs[2]
