"""clear over a selection against servers whose answers cannot be trusted: a dry run naming task
instances without an execution date or ids, a real change larger than its dry run, dry runs that
would change nothing; and Ctrl-C while the changes are sent. (set-state over a selection reads
states and makes bulk changes instead: test_set_state_in_bulk.py.)"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from support.command_runner import REPO_ROOT, CliRunner
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes, main

CLEAR = "clearTaskInstances"


def ref(day: int, task: str = "t", dag: str = "d", **more: Any) -> dict[str, Any]:
    item = {"dag_id": dag, "task_id": task,
            "execution_date": f"2026-11-{day:02d}T00:00:00+00:00", "map_index": -1}
    item.update(more)
    return item


def from_lines(*days: int) -> str:
    return "".join(json.dumps(ref(day)) + "\n" for day in days)


class ActionServer:
    """Plays the draft's clear and bulk state actions: `dry(body)` and `real(body)` give the
    task instances each answer names."""

    def __init__(self, dry, real=None, delay_real: float = 0.0) -> None:
        self.dry = dry
        self.real = real or dry
        self.delay_real = delay_real
        self.lock = threading.Lock()
        self.real_bodies: list[dict[str, Any]] = []

    def __call__(self, request: RecordedRequest) -> Reply:
        body = request.json()
        if body.get("dry_run"):
            return Reply.json({"task_instances": self.dry(body)})
        with self.lock:
            self.real_bodies.append(body)
        return Reply.json({"task_instances": self.real(body)}, delay_s=self.delay_real)


def day_of(body: dict[str, Any]) -> int:
    when = body.get("start_date") or body.get("execution_date")
    return int(str(when)[8:10])


def run(handler: Any, arguments: list[str], stdin: str) -> tuple[int, str, str]:
    with RecordingServer(handler=handler) as server:
        out, err = io.StringIO(), io.StringIO()
        code = main([*arguments, "--host", server.url + "/api/v1", "--dialect", "draft",
                     "--no-progress"],
                    environ={"AIRFLOW_API_USERNAME": "u", "AIRFLOW_API_PASSWORD": "p"},
                    stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


ACTIONS = [["clear", "--from", "-", "--yes"]]


@pytest.mark.parametrize("arguments", ACTIONS, ids=["clear"])
@pytest.mark.parametrize(("broken", "missing"), [
    ({"execution_date": None}, "execution_date"),
    ({"dag_id": None}, "dag_id"),
    ({"task_id": None}, "task_id"),
    ({"task_id": ""}, "task_id"),
], ids=["null-date", "null-dag", "null-task", "empty-task"])
def test_a_dry_run_that_names_what_cannot_be_addressed_changes_nothing(
        arguments: list[str], broken: dict[str, Any], missing: str) -> None:
    server = ActionServer(dry=lambda body: [ref(day_of(body), **broken)])

    code, _, err = run(server, arguments, from_lines(1, 2))

    assert code == exit_codes.API_ERROR, err
    assert "Traceback" not in err
    assert err.startswith("airflow-sdk: error: the server's dry run names a task instance "
                          f"without a usable {missing} (")
    assert err.rstrip().endswith("its answer cannot be used; nothing was changed")
    assert server.real_bodies == []


@pytest.mark.parametrize("arguments", ACTIONS, ids=["clear"])
@pytest.mark.parametrize("items", [[["not", "an", "object"]], [ref(1, map_index="first")]],
                         ids=["not-an-object", "map-index-not-a-number"])
def test_a_dry_run_the_sdk_cannot_read_changes_nothing(arguments: list[str],
                                                       items: list[Any]) -> None:
    server = ActionServer(dry=lambda body: items)

    code, _, err = run(server, arguments, from_lines(1))

    # The SDK refuses the answer as not matching the spec (exit 5): nothing was sent after it.
    assert code == exit_codes.API_ERROR, err
    assert "Traceback" not in err and "answer does not match the spec" in err
    assert server.real_bodies == []


@pytest.mark.parametrize("arguments", ACTIONS, ids=["clear"])
def test_a_change_larger_than_its_dry_run_names_the_extra_ones_and_fails(
        arguments: list[str]) -> None:
    server = ActionServer(dry=lambda body: [ref(day_of(body))],
                          real=lambda body: [ref(day_of(body)), ref(day_of(body), "surprise")])

    code, out, err = run(server, arguments, from_lines(1, 2))

    assert code == exit_codes.API_ERROR, err
    lines = out.splitlines()
    start = lines.index("The server also changed 2 task instances its dry run had not shown:")
    assert lines[start + 1].split() == ["DAG", "TASK", "MAP", "EXECUTION", "DATE"]
    assert lines[start + 2].split() == ["d", "surprise", "-", "2026-11-01T00:00:00+00:00"]
    assert lines[start + 3].split() == ["d", "surprise", "-", "2026-11-02T00:00:00+00:00"]


def test_a_change_larger_than_its_dry_run_is_in_the_json_report() -> None:
    server = ActionServer(dry=lambda body: [ref(1)], real=lambda body: [ref(1), ref(1, "x")])

    code, out, _ = run(server, ["clear", "--from", "-", "--yes", "--json"], from_lines(1))

    assert code == exit_codes.API_ERROR
    report = json.loads(out)
    assert report["unexpected"] == [{"dag_id": "d", "task_id": "x", "map_index": -1,
                                     "execution_date": "2026-11-01T00:00:00+00:00"}]


@pytest.mark.parametrize("arguments", ACTIONS, ids=["clear"])
def test_a_run_whose_dry_run_changes_nothing_is_not_sent(arguments: list[str]) -> None:
    # Day 2's dry run changes nothing: only days 1 and 3 are sent for real.
    server = ActionServer(dry=lambda body: [] if day_of(body) == 2 else [ref(day_of(body))])

    code, out, err = run(server, arguments, from_lines(1, 2, 3))

    assert code == exit_codes.OK, err
    assert sorted(day_of(body) for body in server.real_bodies) == [1, 3]
    assert "(2 of 2 requests done, 0 failed, 0 not attempted)" in out


def _ctrl_c_during(arguments: list[str], runs: int, tmp_path: Path) -> tuple[int, str, str, int]:
    selection = tmp_path / "selection.jsonl"
    selection.write_text(from_lines(*range(1, runs + 1)), encoding="utf-8")
    server = ActionServer(dry=lambda body: [ref(day_of(body))], delay_real=0.3)
    with RecordingServer(handler=server) as recording:
        runner = CliRunner(recording.url + "/api/v1", "u", "p", dialect="draft")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow_python_sdk", *arguments, str(selection),
             "--no-progress"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=runner.environment(), cwd=REPO_ROOT)
        try:
            _wait_for(lambda: len(server.real_bodies) >= 3)
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
        # Recorded on arrival: the request in flight when Ctrl-C came is counted, and finished.
        sent = len(server.real_bodies)
    return process.returncode, stdout, stderr, sent


def _wait_for(condition, timeout_s: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("arguments", [["clear", "--yes", "--from"]], ids=["clear"])
def test_ctrl_c_while_applying_reports_what_was_done_and_what_was_not(
        arguments: list[str], tmp_path: Path) -> None:
    code, stdout, stderr, sent = _ctrl_c_during(arguments, 20, tmp_path)

    assert code == exit_codes.INTERRUPTED, stderr
    assert "Traceback" not in stderr and "Interrupted." in stderr
    what = f"{sent} task instance{'' if sent == 1 else 's'}"
    done = f"Cleared {what}"
    assert (f"{done} ({sent} of 20 requests done, 0 failed, {20 - sent} not attempted)."
            ) in stdout
    assert "Not attempted (it was interrupted):" in stdout
    not_attempted = stdout.split("Not attempted (it was interrupted):\n", 1)[1].splitlines()
    assert len(not_attempted) == 20 - sent
