"""A failed call in a worker process reaches its parent as the same exception: a job's
`ProcessPoolExecutor` keeps working after a call fails."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
from reliability.fast_clients import EXECUTION_DATE, make_configuration
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi


def fetch(host: str) -> object:
    """Run in the worker: one call, whose exception goes back to the parent."""
    configuration = make_configuration(host, retries=0, timeout=(2.0, 2.0))
    with airflow_python_sdk.ApiClient(configuration) as client:
        return TaskInstanceApi(client).get_task_instance("etl_daily", "extract", EXECUTION_DATE)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
# Python 3.12+ warns about forking a process with threads (the test's server); the worker only
# makes its own call, so no lock the server holds is ever needed there.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_errors_of_calls_in_worker_processes_reach_the_parent_whole(refused_port):
    problem = {"title": "Task instance not found", "detail": "no such TI", "status": 404}
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json(problem, status=404,
                                                     headers=[("X-Request-Id", "r-1")])
        refused = f"http://127.0.0.1:{refused_port}"
        # Forked: a spawned worker would have to import this test module by its pytest name.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            not_found = pool.submit(fetch, server.url).exception(timeout=60)
            unreachable = pool.submit(fetch, refused).exception(timeout=60)
            # The pool still works after both failures.
            again = pool.submit(fetch, server.url).exception(timeout=60)

    assert isinstance(not_found, airflow_python_sdk.NotFoundException), repr(not_found)
    assert not_found.status == 404 and not_found.headers["x-request-id"] == "r-1"
    assert not_found.error is not None and not_found.error.detail == "no such TI"
    assert "no such TI" in str(not_found)
    assert isinstance(unreachable, airflow_python_sdk.ApiConnectionError), repr(unreachable)
    assert "cannot connect" in str(unreachable)
    assert isinstance(again, airflow_python_sdk.NotFoundException)


@pytest.mark.parametrize("cls", [airflow_python_sdk.AnswerTooLargeError,
                                 airflow_python_sdk.AmbiguousRunException])
def test_the_new_exceptions_are_api_exceptions(cls):
    assert issubclass(cls, airflow_python_sdk.ApiException)
