"""logs: the whole log by its tokens, one try or the latest, JSON lines, a file, --follow."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from cli.log_replies import API_PREFIX, chunk, running_task_replies
from support.command_runner import REPO_ROOT, CliRunner
from support.recording_server import RecordingServer

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

DATE = "2026-11-26T00:00:00+00:00"


def _stored_log(server: AirflowApiServer, dag_id: str, task_id: str, try_number: int) -> str:
    key = TaskInstanceKey(dag_id, task_id, datetime(2026, 11, 26, tzinfo=timezone.utc))
    record = server.store.get(key)
    assert record is not None
    return record.logs[try_number]


@pytest.fixture
def recording() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


def test_it_prints_the_latest_try_whole(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("logs", "etl_daily", "transform", DATE)

    assert result.returncode == 0, result.stderr
    assert result.stdout == _stored_log(airflow_api, "etl_daily", "transform", 2)
    log_calls = [entry for entry in airflow_api.request_log.entries() if "/logs/" in entry.path]
    assert len(log_calls) > 1  # it took several chunks
    assert all(entry.path.endswith("/logs/2") for entry in log_calls)


def test_try_picks_an_earlier_try(cli: CliRunner, airflow_api: AirflowApiServer) -> None:
    result = cli("logs", "etl_daily", "transform", DATE, "--try", "1")

    assert result.returncode == 0, result.stderr
    assert result.stdout == _stored_log(airflow_api, "etl_daily", "transform", 1)


def test_json_prints_one_line_per_chunk_with_its_token(
    cli: CliRunner, airflow_api: AirflowApiServer
) -> None:
    result = cli("logs", "reporting", "email_report", DATE, "--json")

    assert result.returncode == 0, result.stderr
    chunks = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(chunks) > 1
    assert "".join(c["content"] for c in chunks) == _stored_log(
        airflow_api, "reporting", "email_report", 1
    )
    assert chunks[-1]["continuation_token"] is None
    assert all(c["continuation_token"] for c in chunks[:-1])


def test_output_writes_the_log_to_a_file(
    cli: CliRunner, airflow_api: AirflowApiServer, tmp_path: Path
) -> None:
    target = tmp_path / "transform.log"

    result = cli("logs", "etl_daily", "transform", DATE, "--output", str(target))

    log = _stored_log(airflow_api, "etl_daily", "transform", 2)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == log
    assert result.stdout == f"Wrote {len(log)} characters of try 2 to {target}\n"


def test_an_unwritable_output_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("logs", "etl_daily", "transform", DATE, "-o", str(tmp_path / "no" / "such.log"))

    assert result.returncode == 2
    assert result.stderr.startswith("airflow-sdk: error: cannot write ")


def test_a_task_that_never_ran_has_no_log(cli: CliRunner) -> None:
    result = cli("logs", "etl_daily", "load", DATE)

    assert result.returncode == 4
    assert result.stderr.startswith("airflow-sdk: error: 404 Log not found: ")


@pytest.mark.parametrize("bad", ["0", "-1", "two"])
def test_a_bad_try_number_is_a_usage_error(cli: CliRunner, bad: str) -> None:
    result = cli("logs", "etl_daily", "transform", DATE, "--try", bad)

    assert result.returncode == 2
    assert "--try" in result.stderr


def test_follow_polls_until_the_log_ends(recording: RecordingServer) -> None:
    recording.answer(*running_task_replies())
    runner = CliRunner(recording.url + API_PREFIX, user="u", password="p", dialect="draft")

    result = runner(
        "logs", "d", "t", DATE, "--try", "1", "--follow", "--poll-interval", "0.1"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "first line\nlast line\n"
    tokens = [request.query_params.get("token", [None])[0] for request in recording.requests]
    assert tokens == [None, "t1", "t2", "t3"]


def test_without_follow_it_stops_at_what_there_is_now(recording: RecordingServer) -> None:
    recording.answer(*running_task_replies())
    runner = CliRunner(recording.url + API_PREFIX, user="u", password="p", dialect="draft")

    result = runner("logs", "d", "t", DATE, "--try", "1")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "first line\n"
    assert len(recording.requests) == 2


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "file"])
def test_follow_streams_each_chunk_before_the_log_ends(
    recording: RecordingServer, tmp_path: Path, to_file: bool
) -> None:
    # The end of the log comes only after a long pause: what came before must already be out.
    recording.answer(chunk("early line\n", "t1"), chunk("late line\n", None, delay_s=3.0))
    runner = CliRunner(recording.url + API_PREFIX, user="u", password="p", dialect="draft")
    target = tmp_path / "follow.log"
    extra = ["--output", str(target)] if to_file else []
    process = subprocess.Popen(
        [sys.executable, "-m", "airflow_python_sdk", "logs", "d", "t", DATE, "--try", "1",
         "--follow", *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=runner.environment(), cwd=REPO_ROOT,
    )
    try:
        if to_file:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not (
                target.exists() and target.read_text(encoding="utf-8")
            ):
                time.sleep(0.05)
            seen_early = target.read_text(encoding="utf-8") if target.exists() else ""
        else:
            assert process.stdout is not None
            seen_early = process.stdout.readline()  # bounded: the server answers within 3 s
        assert process.poll() is None, "the log had not ended yet"
        assert seen_early == "early line\n"
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    if to_file:
        assert target.read_text(encoding="utf-8") == "early line\nlate line\n"
    else:
        assert stdout == "late line\n"


def test_a_reader_that_goes_away_ends_it_quietly(recording: RecordingServer) -> None:
    # `airflow-sdk logs ... | head -1`: the second chunk finds nobody reading.
    recording.answer(chunk("first line\n", "t1"), chunk("second line\n", None, delay_s=1.0))
    runner = CliRunner(recording.url + API_PREFIX, user="u", password="p", dialect="draft")
    process = subprocess.Popen(
        [sys.executable, "-m", "airflow_python_sdk", "logs", "d", "t", DATE, "--try", "1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=runner.environment(), cwd=REPO_ROOT,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline() == "first line\n"
        process.stdout.close()
        returncode = process.wait(timeout=30)
        stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

    assert returncode == 141
    assert stderr == ""


def test_ctrl_c_stops_following_without_a_traceback() -> None:
    # A task that never ends: after its first line, every poll brings nothing new.
    with RecordingServer(handler=lambda request: chunk("", "still-running")) as server:
        server.answer(chunk("started\n", "t0"))
        runner = CliRunner(server.url + API_PREFIX, user="u", password="p", dialect="draft")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow_python_sdk", "logs", "d", "t", DATE, "--try", "1",
             "--follow", "--poll-interval", "0.05"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=runner.environment(), cwd=REPO_ROOT,
        )
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == "started\n"
            server.wait_for_requests(3)  # it is polling
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)

    assert process.returncode == 130
    assert stderr == "\nInterrupted.\n"
    assert stdout == ""
