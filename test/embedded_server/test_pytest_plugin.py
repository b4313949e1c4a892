"""The pytest plugin as its users meet it: fixtures in their own test files, run by pytester."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest
from support.paths import REPO_ROOT

PLUGIN = "airflow_python_sdk.testing.pytest_plugin"

USER_TESTS = """
import pytest

import airflow_python_sdk
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

RUN = "2026-11-26T00:00:00Z"
SEEN_URLS = []


def test_a_job_marks_the_failed_task_as_succeeded(airflow_client, airflow_api):
    airflow_client.update_task_instance(
        "etl_daily", "transform", RUN, TaskInstance(state=TaskState("success")),
        update_mask=["state"],
    )
    airflow_client.delete_task_instance("etl_daily", "load", RUN)
    transform = airflow_client.get_task_instance("etl_daily", "transform", RUN)
    assert transform.state == TaskState("success")
    SEEN_URLS.append(airflow_api.url)


def test_the_next_test_starts_from_the_sample_data_again(airflow_client, airflow_api):
    transform = airflow_client.get_task_instance("etl_daily", "transform", RUN)
    assert transform.state == TaskState("failed")
    assert airflow_client.get_task_instance("etl_daily", "load", RUN).task_id == "load"
    assert len(airflow_api.request_log) == 2
    SEEN_URLS.append(airflow_api.url)


def test_a_job_survives_a_flaky_server(airflow_client, airflow_api):
    airflow_api.faults.fail_next(1, status=503, retry_after=0)
    assert airflow_client.get_task_instance("etl_daily", "extract", RUN).task_id == "extract"
    airflow_api.faults.fail_next(1, status=503, retry_after=0)
    with pytest.raises(airflow_python_sdk.ServiceException):  # the SDK never repeats a PATCH
        airflow_client.update_task_instance(
            "etl_daily", "extract", RUN, TaskInstance(state=TaskState("failed")),
            update_mask=["state"],
        )


def test_faults_do_not_leak_into_the_next_test(airflow_client, airflow_api):
    assert airflow_api.faults.pending == 0
    assert airflow_client.get_task_instance("etl_daily", "extract", RUN).task_id == "extract"


def test_one_server_serves_the_session():
    assert len(SEEN_URLS) == 2 and SEEN_URLS[0] == SEEN_URLS[1]
"""


@pytest.fixture
def user_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # Load the plugin explicitly and nothing else from entry points, so the run is the same
    # whether or not the SDK is installed with its pytest11 entry point.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.syspath_prepend(str(REPO_ROOT))
    return pytester


def test_users_fixtures_give_a_reset_server_and_a_client(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(test_my_job=USER_TESTS)

    result = user_project.runpytest("-p", PLUGIN, "-p", "no:cacheprovider", "-q")

    result.assert_outcomes(passed=5)


def test_users_can_serve_their_own_data_and_users(user_project: pytest.Pytester) -> None:
    seed = [
        {
            "dag_id": "billing",
            "task_id": "invoice",
            "execution_date": "2026-02-01T00:00:00Z",
            "state": "failed",
            "logs": {"1": "no invoices today\n"},
        }
    ]
    (user_project.path / "seed.json").write_text(json.dumps(seed))
    user_project.makeconftest(
        """
import pathlib

import pytest

from airflow_python_sdk.testing import User


@pytest.fixture(scope="session")
def airflow_api_seed():
    return pathlib.Path(__file__).with_name("seed.json")


@pytest.fixture(scope="session")
def airflow_api_users():
    return [User("billing_bot", "hunter2")]
"""
    )
    user_project.makepyfile(
        test_billing="""
def test_reads_the_projects_own_data(airflow_client, airflow_api):
    logs = airflow_client.get_logs("billing", "invoice", "2026-02-01T00:00:00Z", 1)
    assert logs.content == "no invoices today\\n"
    assert logs.continuation_token is None
    assert airflow_api.users[0].name == "billing_bot"
    assert [entry.user for entry in airflow_api.request_log.entries()] == ["billing_bot"]
"""
    )

    result = user_project.runpytest("-p", PLUGIN, "-p", "no:cacheprovider", "-q")

    result.assert_outcomes(passed=1)


def test_a_failing_user_test_fails(user_project: pytest.Pytester) -> None:
    user_project.makepyfile(
        test_wrong="""
def test_expects_the_wrong_state(airflow_client):
    instance = airflow_client.get_task_instance("etl_daily", "extract", "2026-11-26T00:00:00Z")
    assert instance.state.value == "failed"
"""
    )

    result = user_project.runpytest("-p", PLUGIN, "-p", "no:cacheprovider", "-q")

    result.assert_outcomes(failed=1)


def test_loading_the_plugin_does_not_load_the_server() -> None:
    probe = (
        f"import sys, {PLUGIN}; "
        "print(sorted(name for name in sys.modules if name.startswith("
        "('airflow_python_sdk.testing.', 'http.server', 'socketserver'))))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
        check=True,
    ).stdout

    assert output.strip() == f"['{PLUGIN}']"


def test_the_installed_package_registers_the_plugin_with_pytest() -> None:
    distribution = metadata.distribution("airflow-rest-api-client")  # installed by pip install
    plugins = [point for point in distribution.entry_points if point.group == "pytest11"]

    assert [point.value for point in plugins] == [PLUGIN]
