"""The command against input and output that fight back: a binary or endless dates file, an
output that cannot be written, and a server whose error text tries to drive the terminal."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.command_runner import REPO_ROOT, CliRunner
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main

DATE = "2026-11-26T00:00:00+00:00"
ESCAPES = "\u001b[1A\u001b[2K\u001b]0;pwned\u0007\u009b31m"


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def test_a_binary_dates_file_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    dates = tmp_path / "dates.bin"
    dates.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 100)

    result = cli("set-state", "etl_daily", "transform", "--state", "success", "--dates-file",
                 str(dates))

    assert result.returncode == exit_codes.USAGE
    no_traceback(result)
    assert "not UTF-8 text" in result.stderr


def test_a_one_line_50_mb_dates_file_gives_a_short_error(cli: CliRunner, tmp_path: Path) -> None:
    dates = tmp_path / "dates.txt"
    dates.write_bytes(b"2026-11-26T00:00:00" + b"9" * 50_000_000 + b"\n")

    result = cli("set-state", "etl_daily", "transform", "--state", "success", "--dates-file",
                 str(dates))

    assert result.returncode == exit_codes.USAGE
    no_traceback(result)
    assert len(result.stderr) < 1000
    assert "line 1" in result.stderr and "..." in result.stderr


def test_a_long_date_argument_is_quoted_short(cli: CliRunner) -> None:
    result = cli("get", "etl_daily", "transform", "x" * 100_000)

    assert result.returncode == exit_codes.USAGE
    assert len(result.stderr) < 2000


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_logs_to_an_output_that_cannot_be_written_is_a_usage_error(cli: CliRunner) -> None:
    result = cli("logs", "etl_daily", "transform", DATE, "--try", "1", "--output", "/dev/full")

    assert result.returncode == exit_codes.USAGE
    no_traceback(result)
    assert "cannot write '/dev/full': No space left on device" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_that_cannot_be_written_is_a_usage_error(cli: CliRunner) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "airflow_python_sdk", "get", "etl_daily", "transform", DATE],
            stdout=full, stderr=subprocess.PIPE, text=True, env=cli.environment(), timeout=60,
            cwd=REPO_ROOT)

    assert result.returncode == exit_codes.USAGE
    assert "Traceback" not in result.stderr
    assert "cannot write the output" in result.stderr


def run_against(detail: str, status: int = 404, field_value: str = "") -> tuple[int, str, str]:
    with RecordingServer() as server:
        if field_value:
            server.answer(Reply.json({"task_id": "t", "hostname": field_value}))
        else:
            server.answer(Reply.json({"title": "Not Found", "detail": detail}, status=status,
                                     content_type="application/problem+json"))
        out, err = io.StringIO(), io.StringIO()
        code = main(["get", "etl", "t", DATE, "--host", server.url + "/api/v1", "--dialect",
                     "draft"], environ={}, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_escape_sequences_in_a_servers_error_are_shown_escaped() -> None:
    code, _, err = run_against(f"gone {ESCAPES} for good")

    assert code == exit_codes.NOT_FOUND
    assert "\u001b" not in err and "\u009b" not in err and "\u0007" not in err
    assert "\\x1b[1A\\x1b[2K" in err and "for good" in err


def test_escape_sequences_in_a_field_are_shown_escaped() -> None:
    code, out, _ = run_against("", field_value=f"worker-1{ESCAPES}")

    assert code == exit_codes.OK
    assert "\u001b" not in out and "worker-1\\x1b[1A" in out


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(detail=st.text(max_size=200))
def test_no_servers_error_text_reaches_the_terminal_unescaped(detail: str) -> None:
    code, _, err = run_against(detail, status=409)

    assert code == exit_codes.API_ERROR
    line = err.rstrip("\n")
    assert "\n" not in line
    assert all(char.isprintable() for char in line), repr(line)


def test_ctrl_c_during_set_state_still_prints_what_was_changed() -> None:
    def answer(request: RecordedRequest) -> Reply:
        return Reply.json({"task_id": "t", "state": "failed"}, delay_s=0.3)

    dates = [f"2026-11-{day:02d}T00:00:00+00:00" for day in range(1, 21)]
    with RecordingServer(handler=answer) as server:
        runner = CliRunner(server.url + "/api/v1", dialect="draft")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow_python_sdk", "set-state", "d", "t", "--state",
             "failed", "--workers", "1", "--no-progress", *dates],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=runner.environment(), cwd=REPO_ROOT)
        try:
            server.wait_for_requests(3, timeout_s=30)
            process.send_signal(signal.SIGINT)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
        # Recorded on arrival: the call in flight when Ctrl-C came is counted, and finished.
        patched = sum(request.method == "PATCH" for request in server.requests)

    assert process.returncode == exit_codes.INTERRUPTED
    assert "Traceback" not in stderr and "Interrupted." in stderr
    assert f"{patched} of 20 done, 0 failed, {20 - patched} not attempted." in stdout
    assert "Not attempted (it was interrupted):" in stdout
