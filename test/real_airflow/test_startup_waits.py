"""The harness's bounded waits end as they should: on success, on a dead process, on time-out.

These use a small HTTP server and `sh`, not Airflow, so they run in seconds (the DAG-run waits
are test_fixture_dag_runs.py's, against the embedded server).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from airflow_python_sdk.testing.real_airflow import server_handle
from airflow_python_sdk.testing.real_airflow.plain_http import wait_until_healthy
from airflow_python_sdk.testing.real_airflow.processes import (
    CommandFailed,
    start_background,
    stop_session,
)
from airflow_python_sdk.testing.real_airflow.startup import start_server
from airflow_python_sdk.testing.real_airflow.versions import AirflowVersion, Venv


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output quiet


def _serve(status: int) -> Iterator[str]:
    handler = type("Handler", (_Health,), {"status": status})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/health"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def healthy_url() -> Iterator[str]:
    yield from _serve(200)


@pytest.fixture
def unhealthy_url() -> Iterator[str]:
    yield from _serve(503)


@pytest.fixture
def idle_process(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Stands where a server process would: alive, and stopped after the test."""
    proc = start_background(["sleep", "60"], os.environ, tmp_path, tmp_path / "idle.log")
    yield proc
    stop_session(proc, grace_s=2)


def test_health_wait_returns_once_the_server_answers_200(
    healthy_url: str, idle_process: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    wait_until_healthy(healthy_url, idle_process, tmp_path / "idle.log", timeout_s=10)


def test_health_wait_gives_up_after_its_time_out(
    unhealthy_url: str, idle_process: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    started = time.monotonic()
    with pytest.raises(CommandFailed, match="not healthy after 2 s"):
        wait_until_healthy(unhealthy_url, idle_process, tmp_path / "idle.log", timeout_s=2)
    assert time.monotonic() - started < 10


def test_health_wait_stops_at_once_when_the_server_dies_and_shows_its_log(
    tmp_path: Path, refused_port: int
) -> None:
    log = tmp_path / "server.log"
    proc = start_background(["sh", "-c", "echo address in use; exit 2"], os.environ, tmp_path, log)
    started = time.monotonic()
    url = f"http://127.0.0.1:{refused_port}/health"
    with pytest.raises(CommandFailed, match=r"(?s)exited with 2.*address in use"):
        wait_until_healthy(url, proc, log, timeout_s=60)
    assert time.monotonic() - started < 10


def test_a_failed_start_stops_what_it_started_and_keeps_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A version never installed: the first Airflow command cannot start.
    missing = Venv(AirflowVersion("0.0.0", 2, "/api/v1", "/api/v1/health"), tmp_path / "venvs")
    assert not missing.airflow_bin.exists()
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "my_dag.py").write_text("# a user's DAG\n")
    # Homes are made in the temporary folder: this test's own, so that no other test run
    # making homes at the same time (in parallel, or another checkout's) is counted.
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    with pytest.raises(FileNotFoundError):
        start_server(missing, [dags], timeout_s=30)
    assert not [s for s in server_handle._LIVE if s.venv is missing]
    kept = list(temp_root.glob("airflow-0.0.0-*"))
    assert len(kept) == 1, "the failed start's AIRFLOW_HOME should be kept for its logs"
    assert (kept[0] / "dags" / "my_dag.py").read_text() == "# a user's DAG\n"


def test_a_start_with_a_dag_folder_that_is_not_there_is_refused(tmp_path: Path) -> None:
    venv = Venv(AirflowVersion("0.0.0", 2, "/api/v1", "/api/v1/health"), tmp_path / "venvs")
    with pytest.raises(CommandFailed, match="no-such-dags: no such folder"):
        start_server(venv, [tmp_path / "no-such-dags"], timeout_s=30)
