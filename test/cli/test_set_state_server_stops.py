"""A server that stops in the middle of a bulk run: what was done stays done, the rest is
reported."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime

from cli.bulk_seed import bulk_dates, bulk_seed
from support.command_runner import REPO_ROOT, CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

COUNT = 30


def test_done_stays_done_and_the_rest_is_reported() -> None:
    dates = bulk_dates(COUNT)
    # A server of its own: this test stops it, which the shared one must never be.
    server = AirflowApiServer(seed=bulk_seed(COUNT)).start()
    try:
        server.faults.delay(0.1)  # slow enough to stop it halfway
        runner = CliRunner(server.url, user="admin", password="admin")
        process = subprocess.Popen(
            [sys.executable, "-m", "airflow_python_sdk", "set-state", "nightly", "sync",
             "--state", "success", "--workers", "2", "--json", "--timeout", "10", *dates],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=runner.environment(), cwd=REPO_ROOT,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and sum(
                entry.status == 200 for entry in server.request_log.entries()
            ) < 6:
                time.sleep(0.01)
            # It dies as a crashing server does: the answers in flight break off, then it is gone.
            # (stop() alone would first serve what its kept-alive connections still send.)
            server.faults.drop_next(COUNT)
            server.stop()
            stdout, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
    finally:
        server.stop()

    assert process.returncode == 6, stdout + stderr  # stopped by an unreachable server
    assert "Traceback" not in stderr
    report = json.loads(stdout)
    succeeded = [item["execution_date"] for item in report["succeeded"]]
    failed = [item["execution_date"] for item in report["failed"]]
    not_attempted = report["not_attempted"]
    # Every date is accounted for, once, in the order given.
    assert sorted(succeeded + failed + not_attempted) == dates
    assert len(succeeded) >= 6
    assert failed, "the calls in flight when the server stopped are reported as failed"
    assert all(item["status"] == 0 for item in report["failed"])  # no answer came
    assert not_attempted, "after the server is gone, no more dates are tried"
    assert report["stopped_by"] is not None

    def state(date: str) -> object:
        record = server.store.get(TaskInstanceKey("nightly", "sync", datetime.fromisoformat(date)))
        assert record is not None
        return record.fields["state"]

    assert all(state(date) == "success" for date in succeeded)
    assert all(state(date) == "failed" for date in not_attempted)
