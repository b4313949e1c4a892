"""set-state over a selection through the bulk change: the states read first, one request per 100
task instances of a run, each task instance's own result in the report and the JSON, the errors
that stop it, Ctrl-C, and Airflow 2's one PATCH per task instance."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import pytest
from support.command_runner import REPO_ROOT, CliRunner
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes, main
from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

DATE = "2026-11-26T00:00:00+00:00"
WHEN = datetime.fromisoformat(DATE)
RUN = "manual_1"


def _seed_wide_run(server: AirflowApiServer, tasks: int) -> None:
    seed = [{"dag_id": "wide", "task_id": f"t{number:04d}", "execution_date": DATE,
             "state": "failed"} for number in range(tasks)]
    seed += [{"dag_id": "wide", "task_id": "mapped", "execution_date": DATE, "map_index": index,
              "state": "success" if index == 0 else "failed"} for index in range(3)]
    server.load(seed)


def _states(server: AirflowApiServer, task_id: str) -> set[Any]:
    keys = server.store.keys()
    return {record.fields["state"] for key in keys if key.task_id == task_id
            for record in [server.store.get(key)] if record is not None}


def _patches(server: AirflowApiServer) -> list[str]:
    return [entry.path for entry in server.request_log.entries() if entry.method == "PATCH"]


# -- on the embedded server ------------------------------------------------------------------------

def test_a_thousand_task_instances_of_a_run_take_ten_changes(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    _seed_wide_run(airflow_api, 1000)

    result = cli("set-state", "--dag", "wide", "--state", "success", "--yes")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "1 task instance of those selected has the state success already.\n"
        "Setting success would change 1002 task instances (their states now):\n")
    assert result.stdout.endswith(
        "Set success: 1002 changed, 1 had it already, 0 failed, 0 may have changed, 0 not "
        "attempted (of 1003 selected).\n")
    assert ["wide", "mapped", "2", DATE, "failed"] in [
        line.split() for line in result.stdout.splitlines()]
    assert _states(airflow_api, "t0999") == {"success"}
    assert _states(airflow_api, "mapped") == {"success"}
    assert len(_patches(airflow_api)) == 11  # 1002 task instances of one run


def test_a_dry_run_reads_the_states_and_sends_no_change(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    _seed_wide_run(airflow_api, 2)

    result = cli("set-state", "--dag", "wide", "--task", "mapped", "--state", "success",
                 "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "1 task instance of those selected has the state success already.\n"
        "Setting success would change 2 task instances (their states now):\n"
        "DAG   TASK    MAP  EXECUTION DATE             STATE\n"
        "wide  mapped  1    2026-11-26T00:00:00+00:00  failed\n"
        "wide  mapped  2    2026-11-26T00:00:00+00:00  failed\n"
        "Dry run: nothing was changed.\n")
    assert _patches(airflow_api) == []


def test_the_json_report_gives_each_task_instance(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    _seed_wide_run(airflow_api, 1)

    result = cli("set-state", "--dag", "wide", "--state", "skipped", "--yes", "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    ref = {"dag_id": "wide", "map_index": -1, "execution_date": DATE}
    assert report["action"] == "set skipped" and report["applied"] is True
    planned = {item["task_id"]: item for item in report["would_change"]}
    assert planned["t0000"] == {**ref, "task_id": "t0000",
                                "dag_run_id": "scheduled__2026-11-26T00:00:00+00:00",
                                "current_state": "failed"}
    assert sorted(report["changed"], key=lambda item: (item["task_id"], item["map_index"])) == [
        {**ref, "task_id": "mapped", "map_index": index} for index in range(3)] + [
        {**ref, "task_id": "t0000"}]
    assert (report["unchanged"], report["failed"], report["unknown"], report["not_found"],
            report["not_attempted"], report["stopped_by"], report["interrupted"]) == (
        [], [], [], [], [], None, False)


def test_a_task_instance_the_server_no_longer_has_is_not_sent(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    _seed_wide_run(airflow_api, 1)
    gone = json.dumps({"dag_id": "wide", "task_id": "gone", "execution_date": DATE})
    there = json.dumps({"dag_id": "wide", "task_id": "t0000", "execution_date": DATE})

    result = cli("set-state", "--from", "-", "--state", "success", "--yes",
                 stdin=f"{gone}\n{there}\n")

    assert result.returncode == exit_codes.SOME_FAILED, result.stderr
    assert result.stdout.startswith(
        "Not found (the server no longer lists it; not sent):\n"
        "DAG   TASK  MAP  EXECUTION DATE\n"
        "wide  gone  -    2026-11-26T00:00:00+00:00\n")
    assert "Set success: 1 changed, 0 had it already, 1 failed" in result.stdout
    record = airflow_api.store.get(TaskInstanceKey("wide", "t0000", WHEN))
    assert record is not None and record.fields["state"] == "success"


# -- against scripted servers ----------------------------------------------------------------------

def _ti(task: str, state: str = "failed", day: int = 26) -> dict[str, Any]:
    return {"dag_id": "d", "task_id": task, "execution_date": f"2026-11-{day:02d}T00:00:00+00:00",
            "dag_run_id": f"{RUN}_{day}", "map_index": -1, "state": state}


def _lines(*items: dict[str, Any]) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


class BulkServer:
    """The draft's list and bulk change: `listed` answers the state reads, `results(tasks)`
    the bulk change of the named tasks (each a result entry)."""

    def __init__(self, listed: list[dict[str, Any]],
                 results: Callable[[list[str]], list[dict[str, Any]]],
                 delay_s: float = 0.0) -> None:
        self.listed = listed
        self.results = results
        self.delay_s = delay_s
        self.changes: list[list[str]] = []
        self.lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        if request.method == "GET" and request.path.endswith("/taskInstances"):
            days = request.query_params["execution_date_gte"][0][8:10]
            items = [item for item in self.listed if item["execution_date"][8:10] == days]
            return Reply.json({"task_instances": items, "total_entries": len(items)})
        tasks = [entity["task_id"] for entity in request.json()["actions"][0]["entities"]]
        with self.lock:
            self.changes.append(tasks)
        return Reply.json({"task_instances": self.results(tasks)}, delay_s=self.delay_s)


def _result(task: str, result: str = "changed", **more: Any) -> dict[str, Any]:
    return {"task_id": task, "map_index": -1, "new_state": "success", "result": result, **more}


def _run(handler: Any, arguments: list[str], stdin: str,
         dialect: str = "draft", prefix: str = "/api/v1") -> tuple[int, str, str]:
    with RecordingServer(handler=handler) as server:
        out, err = io.StringIO(), io.StringIO()
        code = main([*arguments, "--host", server.url + prefix, "--dialect", dialect,
                     "--no-progress"],
                    environ={"AIRFLOW_API_USERNAME": "u", "AIRFLOW_API_PASSWORD": "p"},
                    stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


SET = ["set-state", "--state", "success", "--from", "-", "--yes"]


def test_each_failure_is_reported_with_the_servers_reason(tmp_path: Path) -> None:
    server = BulkServer([_ti("a"), _ti("b"), _ti("c")], lambda tasks: [
        _result("a"), _result("b", "failed", status=409, error="it is running\x1b[2J"),
        _result("c", "unknown", status=500, error="the request holding it failed")])

    code, out, err = _run(server, SET, _lines(_ti("a"), _ti("b"), _ti("c")))

    assert code == exit_codes.SOME_FAILED, err
    assert out.endswith(
        "Set success: 1 changed, 0 had it already, 1 failed, 1 may have changed, 0 not attempted "
        "(of 3 selected).\n"
        "Failed:\n"
        "  d.b @ 2026-11-26T00:00:00+00:00  409 it is running\\x1b[2J\n"
        "May have changed (the request holding them failed once the server may have seen it; "
        "look with airflow-sdk list):\n"
        "  d.c @ 2026-11-26T00:00:00+00:00  500 the request holding it failed\n")
    code, out, _ = _run(server, [*SET, "--json"], _lines(_ti("a"), _ti("b"), _ti("c")))
    report = json.loads(out)
    assert report["failed"] == [{"dag_id": "d", "task_id": "b", "map_index": -1,
                                 "execution_date": "2026-11-26T00:00:00+00:00",
                                 "result": "failed", "status": 409,
                                 "error": "it is running\x1b[2J"}]
    assert [item["task_id"] for item in report["unknown"]] == ["c"]
    assert "\x1b" not in out  # escaped in the JSON text, the same value read back


def test_wrong_credentials_stop_at_the_first_run_and_the_others_are_not_attempted() -> None:
    def handler(request: RecordedRequest) -> Reply:
        if request.method == "PATCH":
            return Reply.json({"title": "Unauthorized", "status": 401}, status=401)
        return server(request)

    server = BulkServer([_ti("a", day=day) for day in (26, 27, 28)], lambda tasks: [])

    code, out, _ = _run(handler, SET, _lines(*[_ti("a", day=day) for day in (26, 27, 28)]))

    assert code == exit_codes.AUTH_FAILED
    assert "Set success: 0 changed, 0 had it already, 1 failed, 0 may have changed, 2 not " \
           "attempted (of 3 selected).\n" in out
    assert out.endswith(
        "Not attempted (the run stopped after the error above):\n"
        "  d.a @ 2026-11-27T00:00:00+00:00\n  d.a @ 2026-11-28T00:00:00+00:00\n"
        "Stopped by: 401 Unauthorized\n")


def test_task_instances_in_the_new_state_already_are_not_sent() -> None:
    server = BulkServer([_ti("a", "success"), _ti("b")], lambda tasks: [_result("b")])

    code, out, _ = _run(server, SET, _lines(_ti("a"), _ti("b")))

    assert code == exit_codes.OK
    assert server.changes == [["b"]]
    assert "Set success: 1 changed, 1 had it already" in out


def test_ctrl_c_while_applying_lets_the_run_in_flight_finish(tmp_path: Path) -> None:
    days = list(range(1, 21))
    server = BulkServer([_ti("a", day=day) for day in days],
                        lambda tasks: [_result("a")], delay_s=0.3)
    selection = tmp_path / "selection.jsonl"
    selection.write_text(_lines(*[_ti("a", day=day) for day in days]), encoding="utf-8")
    with RecordingServer(handler=server) as recording:
        runner = CliRunner(recording.url + "/api/v1", "u", "p", dialect="draft")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow_python_sdk", "set-state", "-s", "success", "--yes",
             "--from", str(selection), "--no-progress"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=runner.environment(), cwd=REPO_ROOT)
        try:
            deadline = time.monotonic() + 30
            while len(server.changes) < 3:
                assert time.monotonic() < deadline, "no changes came"
                time.sleep(0.01)
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
        sent = len(server.changes)

    assert process.returncode == exit_codes.INTERRUPTED, stderr
    assert "Traceback" not in stderr and "Interrupted." in stderr
    assert (f"Set success: {sent} changed, 0 had it already, 0 failed, 0 may have changed, "
            f"{20 - sent} not attempted (of 20 selected).") in stdout
    not_attempted = stdout.split("Not attempted (it was interrupted):\n", 1)[1].splitlines()
    assert len(not_attempted) == 20 - sent


# -- Airflow 2: one PATCH per task instance ------------------------------------------------------

def test_on_airflow2_each_task_instance_is_its_own_patch() -> None:
    patched: list[tuple[str, Any]] = []

    def handler(request: RecordedRequest) -> Reply:
        if request.path == "/api/v1/dags/~/dagRuns/~/taskInstances/list":
            items = [_ti(task) for task in ("a", "b", "c")]
            return Reply.json({"task_instances": items, "total_entries": 3})
        if request.method == "PATCH":
            patched.append((request.path, request.json()))
            if request.path.endswith("/b"):
                return Reply.json({"title": "Task not found", "status": 404,
                                   "detail": "Task 'b' not found"}, status=404,
                                  content_type="application/problem+json")
            return Reply.json({})
        return Reply.json({"title": "Not Found", "status": 404}, status=404)

    code, out, err = _run(handler, SET, _lines(_ti("a"), _ti("b"), _ti("c")),
                          dialect="airflow2")

    assert code == exit_codes.SOME_FAILED, err
    assert sorted(patched) == [
        (f"/api/v1/dags/d/dagRuns/{RUN}_26/taskInstances/{task}",
         {"dry_run": False, "new_state": "success"}) for task in ("a", "b", "c")]
    assert "Set success: 2 changed, 0 had it already, 1 failed" in out
    assert ("  d.b @ 2026-11-26T00:00:00+00:00  404 Task not found: task instance 'b' of DAG "
            f"'d' (run '{RUN}_26') not found: Task 'b' not found\n") in out


@pytest.mark.parametrize("arguments", [["--dry-run"], []], ids=["dry run", "declined"])
def test_nothing_is_sent_without_yes_or_with_a_dry_run(arguments: list[str]) -> None:
    server = BulkServer([_ti("a")], lambda tasks: [_result("a")])

    code, _, err = _run(server, ["set-state", "-s", "success", "--from", "-", *arguments],
                          _lines(_ti("a")))

    assert server.changes == []
    assert code == (exit_codes.OK if arguments else exit_codes.DECLINED), err


def test_a_server_that_gives_two_dates_one_run_id_gets_a_change_per_date() -> None:
    listed = [{**_ti("a", day=day), "dag_run_id": "same"} for day in (26, 27)]
    server = BulkServer(listed, lambda tasks: [_result(task) for task in tasks])

    code, out, err = _run(server, SET, _lines(*listed))

    assert code == exit_codes.OK, err
    assert server.changes == [["a"], ["a"]]
    assert "Set success: 2 changed" in out


def test_a_dry_run_with_a_task_instance_not_found_says_so_in_its_exit_status(
        cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    _seed_wide_run(airflow_api, 1)
    gone = json.dumps({"dag_id": "wide", "task_id": "gone", "execution_date": DATE})
    there = json.dumps({"dag_id": "wide", "task_id": "t0000", "execution_date": DATE})

    result = cli("set-state", "--from", "-", "--state", "success", "--dry-run",
                 stdin=f"{gone}\n{there}\n")

    assert result.returncode == exit_codes.SOME_FAILED, result.stderr
    assert "wide  gone  -    2026-11-26T00:00:00+00:00" in result.stdout
    assert result.stdout.endswith("Dry run: nothing was changed.\n")
    assert _patches(airflow_api) == []
