"""Stopping a command stops every process it started, even one that left its process group.

Airflow 2's task runner moves each task into a process group of its own; killing the group of
the command alone would leave such a task running. Uses `sh` and `sleep` only, no Airflow.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from airflow_python_sdk.testing.real_airflow.processes import (
    CommandFailed,
    run_logged,
    session_members,
    start_background,
    stop_session,
)

# sh starts two sleepers; the python one moves itself into a process group of its own.
ESCAPING_CHILD = (
    "python3 -c 'import os, time; os.setpgid(0, 0); time.sleep(300)' & sleep 300 & wait"
)


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def process_groups(session_id: int) -> set[int]:
    groups = set()
    for pid in session_members(session_id):
        with contextlib.suppress(ProcessLookupError):
            groups.add(os.getpgid(pid))
    return groups


def test_stop_kills_children_in_other_process_groups(tmp_path: Path) -> None:
    proc = start_background(["sh", "-c", ESCAPING_CHILD], os.environ, tmp_path, tmp_path / "log")
    try:
        # sh, sleep and the python child, which has left the command's process group.
        assert wait_for(lambda: len(process_groups(proc.pid)) == 2)
        assert len(session_members(proc.pid)) == 3
    finally:
        stop_session(proc, grace_s=5)
    assert proc.poll() is not None
    assert wait_for(lambda: session_members(proc.pid) == [], timeout_s=5)


def test_a_command_that_overruns_its_time_is_stopped_with_its_log_tail(tmp_path: Path) -> None:
    log = tmp_path / "slow.log"
    started = time.monotonic()
    try:
        run_logged(["sh", "-c", "echo started-slowly; sleep 300"], os.environ, tmp_path, log, 1.0)
    except CommandFailed as failure:
        assert "started-slowly" in str(failure)
        assert "longer than 1 s" in str(failure)
    else:
        raise AssertionError("run_logged returned although the command ran past its time")
    assert time.monotonic() - started < 15


def test_a_failing_command_raises_with_its_exit_code_and_output(tmp_path: Path) -> None:
    log = tmp_path / "fail.log"
    try:
        run_logged(["sh", "-c", "echo boom >&2; exit 7"], os.environ, tmp_path, log, 30.0)
    except CommandFailed as failure:
        assert "exited with 7" in str(failure)
        assert "boom" in str(failure)
    else:
        raise AssertionError("run_logged returned although the command failed")
