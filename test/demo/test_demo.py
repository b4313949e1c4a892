"""The demo end to end: run_demo.py with its own server, and maintenance_job.py against ours."""

from __future__ import annotations

import re
from typing import Any, Optional

import pytest
from demo.example_scripts import job_environment, run_example
from support.command_runner import clean_environment

from airflow_python_sdk.testing.server import AirflowApiServer

FLAKY = ["--flaky", "nightly_billing.invoice"]

COUNTS = """
  failed in the window  3
  cleared               1
  skipped (known flaky) 1
  left for a person     1
  rerun succeeded       1
  rerun failed again    0
  errors                0
"""


def _record(server: AirflowApiServer, dag_id: str, task_id: str) -> Any:
    keys = server.store.keys()
    key = next(key for key in keys if key.dag_id == dag_id and key.task_id == task_id)
    return server.store.get(key)


def _state(server: AirflowApiServer, dag_id: str, task_id: str) -> Optional[str]:
    state = _record(server, dag_id, task_id).fields.get("state")
    return None if state is None else str(state)


def test_run_demo_starts_a_server_and_the_job_looks_after_it() -> None:
    # A dialect set in the shell must not leak into the demo's own server.
    result = run_example("run_demo.py", clean_environment(AIRFLOW_API_DIALECT="airflow3"))

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("Embedded Airflow API server with sample data at http://127.0.0.1:")
    assert "(dialect draft)" in out
    assert "   3 found\n" in out
    assert ("nightly_billing.invoice @ " in out and ": failed on try 2; its log ends with:\n"
            in out)
    assert "    | ConnectionResetError: [Errno 104] Connection reset by peer\n" in out
    assert "    | ValueError: bad row 1187: amount 'N/A' is not a number\n" in out
    # The dry run is printed before the real clear.
    dry = out.index("  dry run: clearing nightly_inventory.reconcile @ ")
    assert out.index("  cleared nightly_inventory.reconcile @ ") > dry
    assert "would clear: reconcile\n" in out
    assert "  marked nightly_billing.invoice @ " in out
    # The demo's server runs what the job clears: the job waits, and the summary says how the
    # rerun went.
    assert "\n5. Waiting for the reruns (1):\n  nightly_inventory.reconcile @ " in out
    assert ": rerun succeeded (try 2, success)\n" in out
    assert re.search(r"nightly_inventory\.reconcile @ \S+ +1 +cleared: rerun succeeded +"
                     r"ConnectionResetError", out)
    assert COUNTS in out
    assert out.endswith("The maintenance job exited with status 0.\n")
    assert result.stderr == ""


@pytest.mark.airflow_api(pace=0)
def test_run_demo_uses_the_server_the_environment_names(airflow_api: AirflowApiServer) -> None:
    result = run_example("run_demo.py", job_environment(airflow_api), *FLAKY)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"Running the maintenance job against {airflow_api.url}\n")
    assert len(airflow_api.request_log) > 0
    assert _state(airflow_api, "nightly_billing", "invoice") == "skipped"  # its arguments too


def test_the_job_changes_exactly_what_it_says(airflow_api: AirflowApiServer) -> None:
    # No scheduler here: the job clears, and does not wait (--no-wait).
    result = run_example("maintenance_job.py", job_environment(airflow_api), *FLAKY, "--no-wait")

    assert result.returncode == 0, result.stdout + result.stderr
    assert COUNTS.replace("rerun succeeded       1", "rerun succeeded       0") in result.stdout
    assert "Waiting for the reruns" not in result.stdout
    assert _state(airflow_api, "nightly_inventory", "reconcile") is None  # cleared: runs again
    invoice = _record(airflow_api, "nightly_billing", "invoice")
    assert invoice.fields["state"] == "skipped"
    assert invoice.fields["note"].startswith(
        "Skipped by the nightly maintenance job: known flaky (TimeoutError: ")
    assert _state(airflow_api, "nightly_sales", "aggregate") == "failed"  # for a person
    assert _state(airflow_api, "nightly_sales", "notify") == "upstream_failed"
    assert _state(airflow_api, "etl_daily", "transform") == "failed"  # older than a day
    entries = airflow_api.request_log.entries()
    lists = [entry for entry in entries if entry.path.endswith("/dags/~/taskInstances")]
    assert len(lists) == 1 and "state=failed" in lists[0].query
    assert "end_date_gte=" in lists[0].query
    clears = [entry for entry in entries if entry.path.endswith("/clearTaskInstances")]
    assert [entry.path.split("/")[-2] for entry in clears] == ["nightly_inventory"] * 2
    # The cleared task instance runs again when the scheduler next looks.
    assert airflow_api.run_cleared() == 1
    assert _record(airflow_api, "nightly_inventory", "reconcile").fields["try_number"] == 2


# The reconcile task fails again on its rerun: the connection is still refused.
STILL_BROKEN = {"dag_id": "nightly_inventory", "tasks": [
    {"task_id": "extract", "downstream": ["reconcile"], "operator": "PythonOperator"},
    {"task_id": "reconcile", "downstream": ["notify"], "operator": "PythonOperator",
     "outcome": "failed", "log": "ConnectionRefusedError: [Errno 111] Connection refused"},
    {"task_id": "notify", "operator": "PythonOperator"},
]}


@pytest.mark.airflow_api(dags=[STILL_BROKEN], pace=0)
def test_the_summary_says_when_a_rerun_failed_again(airflow_api: AirflowApiServer) -> None:
    result = run_example("maintenance_job.py", job_environment(airflow_api), *FLAKY)

    assert result.returncode == 0, result.stdout + result.stderr
    assert ": rerun failed again (try 2, failed)\n" in result.stdout
    assert re.search(r"nightly_inventory\.reconcile @ \S+ +1 +cleared: rerun failed again",
                     result.stdout)
    assert "  rerun succeeded       0\n  rerun failed again    1\n" in result.stdout
    reconcile = _record(airflow_api, "nightly_inventory", "reconcile")
    assert (reconcile.fields["state"], reconcile.fields["try_number"]) == ("failed", 2)


def test_a_rerun_that_never_comes_is_reported_at_the_jobs_wait_timeout(
        airflow_api: AirflowApiServer) -> None:
    # No scheduler: the cleared task instance never runs again.
    result = run_example("maintenance_job.py", job_environment(airflow_api), *FLAKY,
                  "--wait-timeout", "0.5")

    assert result.returncode == 0, result.stdout + result.stderr
    assert ": rerun not finished within 0.5 s\n" in result.stdout
    assert "cleared: rerun not finished within 0.5 s" in result.stdout


def test_the_failures_pages_are_walked(airflow_api: AirflowApiServer) -> None:
    from datetime import datetime, timedelta, timezone

    recent = datetime.now(timezone.utc) - timedelta(hours=2)
    airflow_api.load([
        {"dag_id": f"dag_{number:03}", "task_id": "step", "execution_date": recent.isoformat(),
         "state": "failed", "try_number": 1, "start_date": recent.isoformat(),
         "end_date": recent.isoformat(), "logs": {1: "TimeoutError: gone\n"}}
        for number in range(130)
    ])

    result = run_example("maintenance_job.py", job_environment(airflow_api), "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "   130 found\n" in result.stdout
    pages = [entry for entry in airflow_api.request_log.entries()
             if entry.path.endswith("/dags/~/taskInstances")]
    assert len(pages) == 2
    assert ("Clearing the failures a retry may fix (a lost connection, a timeout; 130):"
            in result.stdout)
    assert not any(entry.method == "POST" for entry in airflow_api.request_log.entries())


def test_a_read_only_user_gets_each_refusal_reported(airflow_api: AirflowApiServer) -> None:
    viewer = job_environment(airflow_api, "viewer", "viewer")
    result = run_example("maintenance_job.py", viewer, *FLAKY)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "  clearing it FAILED: " in result.stdout
    assert "  marking it skipped FAILED: " in result.stdout
    assert "  errors                2\n" in result.stdout
    assert _state(airflow_api, "nightly_inventory", "reconcile") == "failed"
    assert _state(airflow_api, "nightly_billing", "invoice") == "failed"


def test_wrong_credentials_stop_the_job_with_one_clear_line(
    airflow_api: AirflowApiServer,
) -> None:
    result = run_example("maintenance_job.py", job_environment(airflow_api, "admin", "wrong"))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: stopped: ")
    assert "401" in result.stderr
    # One question of which server it is (from_env: auto), then one refused request.
    assert [entry.path.endswith("/version") for entry in airflow_api.request_log.entries()] == [
        True, False]


def test_an_unreachable_server_stops_the_job(refused_port: int) -> None:
    environment = clean_environment(AIRFLOW_API_HOST=f"http://127.0.0.1:{refused_port}/api/v1",
                                    AIRFLOW_API_TIMEOUT="5")

    result = run_example("maintenance_job.py", environment)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: stopped: GET http://127.0.0.1:")


def test_without_a_server_the_job_says_what_to_set() -> None:
    result = run_example("maintenance_job.py", clean_environment())

    assert result.returncode == 2
    assert "AIRFLOW_API_HOST" in result.stderr
