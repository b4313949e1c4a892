"""python -m airflow_python_sdk.testing: serves until Ctrl-C (or SIGTERM), then stops cleanly."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Iterator

import pytest
from embedded_server.http_calls import Caller, assert_problem, ti_path
from support.embedded_server_process import start
from support.process_output import wait_for_url

import airflow_python_sdk


@pytest.fixture
def seed_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "seed.json"
    path.write_text(
        json.dumps(
            {
                "task_instances": [
                    {
                        "dag_id": "cli_dag",
                        "task_id": "cli_task",
                        "execution_date": "2026-06-01T00:00:00Z",
                        "state": "running",
                    }
                ]
            }
        )
    )
    yield path


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_it_serves_the_seed_to_the_given_users_and_stops_on_a_signal(
    seed_file: Path, stop_signal: signal.Signals
) -> None:
    process = start(
        "--port", "0", "--user", "ops:s3cret", "--read-only-user", "ro:ro", "--seed", str(seed_file)
    )
    try:
        url = wait_for_url(process)
        caller = Caller(url)
        path = ti_path("cli_dag", "cli_task", "2026-06-01T00:00:00Z")
        assert caller("GET", path, auth=("ops", "s3cret")).json()["state"] == "running"
        assert caller("GET", path, auth=("ro", "ro")).status == 200
        assert_problem(caller("DELETE", path, auth=("ro", "ro")), 403)
        assert_problem(caller("GET", path, auth=("admin", "admin")), 401)  # defaults replaced
        caller.close()
    finally:
        process.send_signal(stop_signal)
        stdout, stderr = process.communicate(timeout=15)

    assert process.returncode == 0, stderr
    assert "Stopped." in stdout
    assert "Traceback" not in stderr
    assert "GET /api/v1/dags/cli_dag" in stderr  # each request is printed unless --quiet


def test_without_options_it_serves_the_sample_data_to_the_default_users() -> None:
    process = start("--quiet")
    try:
        caller = Caller(wait_for_url(process))
        reply = caller("GET", ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z"))
        caller.close()
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)

    assert reply.json()["state"] == "failed"
    assert process.returncode == 0
    assert stderr == ""


def test_a_user_without_a_password_is_a_usage_error() -> None:
    process = start("--user", "nocolon")
    _, stderr = process.communicate(timeout=20)

    assert process.returncode == 2
    assert "name:password" in stderr


def test_a_missing_seed_file_is_reported(tmp_path: Path) -> None:
    process = start("--seed", str(tmp_path / "absent.json"))
    _, stderr = process.communicate(timeout=20)

    assert process.returncode == 1
    assert "absent.json" in stderr


def test_a_signal_right_after_the_url_still_stops_cleanly() -> None:
    process = start("--quiet")
    wait_for_url(process)
    process.send_signal(signal.SIGINT)  # possibly before it finished printing
    stdout, stderr = process.communicate(timeout=15)

    assert process.returncode == 0, stderr
    assert stdout.rstrip().endswith("Stopped.")


def test_its_banner_says_how_to_sign_in_and_the_export_line_it_prints_works() -> None:
    process = start("--quiet", "--user", "ops:s3cret", "--read-only-user", "ro:ro")
    try:
        url = wait_for_url(process)
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(5)]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)

    assert banner[0] == "Users (name:password): ops:s3cret, ro:ro (read-only)\n"
    export = banner[2].strip()
    assert export == (f"export AIRFLOW_API_HOST={url} AIRFLOW_API_USERNAME=ops "
                      "AIRFLOW_API_PASSWORD=s3cret")
    assert banner[3] == "Scheduler: runs what clients trigger or clear, 0.25 s per step.\n"
    assert banner[4] == "Ctrl-C stops it; a new start begins from the same data.\n"
    settings = dict(item.split("=", 1) for item in export.split()[1:])
    configuration = airflow_python_sdk.Configuration.from_env(settings)
    assert (configuration.host, configuration.username, configuration.password) == (
        url, "ops", "s3cret")


def test_it_runs_the_dags_of_a_file_at_the_pace_given(tmp_path: Path) -> None:
    from airflow_python_sdk import ApiClient, Configuration
    from airflow_python_sdk.api.dag_run_api import DAGRunApi

    dags = tmp_path / "dags.json"
    dags.write_text(json.dumps({"dags": [{"dag_id": "from_a_file", "tasks": [
        {"task_id": "first", "downstream": ["second"]},
        {"task_id": "second", "outcome": ["failed", "success"], "retries": 1}]}]}))
    process = start("--port", "0", "--quiet", "--dags", str(dags), "--pace", "0")
    try:
        url = wait_for_url(process)
        configuration = Configuration(host=url, username="admin", password="admin")
        with ApiClient(configuration) as client:
            result = DAGRunApi(client).trigger_dag_run_and_wait("from_a_file", timeout=20)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0
    # second fails on try 1 and succeeds on its retry: the file's script ran.
    assert (result.state, result.not_succeeded) == ("success", [])


@pytest.mark.parametrize(("content", "message"), [
    ("[{\"dag_id\": \"x\", \"tasks\": [{\"task_id\": \"t\", \"outcome\": \"boom\"}]}]",
     "outcome must be one of"),
    ("{\"task_instances\": []}", "expected a list of DAGs"),
    ("not json", "not JSON"),
])
def test_a_dags_file_that_cannot_be_run_is_reported(tmp_path: Path, content: str,
                                                    message: str) -> None:
    dags = tmp_path / "dags.json"
    dags.write_text(content)
    process = start("--port", "0", "--dags", str(dags))
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 1
    assert stderr.startswith("error: ") and message in stderr
