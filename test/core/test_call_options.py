"""The keyword arguments every operation takes, and the timeouts that bound every call."""

from __future__ import annotations

import json
import threading
import time

import pytest
import urllib3
from core.payloads import (
    API_PREFIX,
    EXECUTION_DATE,
    LOG_CHUNK_PAYLOAD,
    TASK_INSTANCE_PAYLOAD,
    problem,
    task_instance_path_values,
)
from support.bounded_call import call_bounded
from support.paths import REPO_ROOT
from support.recording_server import THREAD_NAME_PREFIX, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

# urllib3 2 has a base class for its responses; urllib3 1.26 has only HTTPResponse.
URLLIB3_RESPONSE = getattr(urllib3, "BaseHTTPResponse", urllib3.response.HTTPResponse)

# A configured timeout may overrun by this much (thread start, socket close) and still count as
# "within the configured timeout".
TIMEOUT_SLACK_S = 1.0


def sdk_threads() -> set:
    """Threads other than the recording server's and pytest's main thread."""
    return {
        thread
        for thread in threading.enumerate()
        if not thread.name.startswith(THREAD_NAME_PREFIX) and thread is not threading.main_thread()
    }


def wait_until(predicate, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


# -- async_req ----------------------------------------------------------------------------------


def test_async_req_returns_a_result_with_get(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    pending = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True)
    ti = pending.get(timeout=10)

    assert isinstance(ti, TaskInstance)
    assert ti.state == TaskState.SUCCESS
    assert server.last.method == "GET"


def test_async_req_raises_the_error_from_get(server, api):
    server.answer(Reply.json(problem(404, "Task instance not found"), status=404))

    pending = api.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True)

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        pending.get(timeout=10)
    assert caught.value.error.title == "Task instance not found"


def test_async_req_runs_several_calls_concurrently(server, api):
    server.handler = lambda request: Reply.json(
        dict(LOG_CHUNK_PAYLOAD, content=request.path.rsplit("/", 1)[-1])
    )

    pending = [
        api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, n, async_req=True) for n in range(1, 6)
    ]

    assert [p.get(timeout=10).content for p in pending] == ["1", "2", "3", "4", "5"]


def test_async_req_honours_return_http_data_only(server, api):
    server.answer(Reply.no_content(headers=[("X-Deleted", "yes")]))

    pending = api.delete_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, async_req=True, _return_http_data_only=False
    )
    data, status, headers = pending.get(timeout=10)

    assert (data, status, headers["X-Deleted"]) == (None, 204, "yes")


def test_the_thread_pool_is_created_lazily_and_released_by_close(server, configuration):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD), Reply.json(TASK_INSTANCE_PAYLOAD))
    before = sdk_threads()

    client = airflow_python_sdk.ApiClient(configuration)
    api = TaskInstanceApi(client)
    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    assert not (sdk_threads() - before), "a synchronous call must not start a thread pool"

    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True).get(timeout=10)
    assert sdk_threads() - before, "an asynchronous call runs on a pool thread"

    client.close()
    assert wait_until(lambda: not (sdk_threads() - before), 5.0), "close() must end the pool"


def test_leaving_the_context_manager_releases_the_pool(server, configuration):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    before = sdk_threads()

    with airflow_python_sdk.ApiClient(configuration) as client:
        pending = TaskInstanceApi(client).get_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, async_req=True
        )
        assert pending.get(timeout=10).task_id == "echo_ok"

    assert wait_until(lambda: not (sdk_threads() - before), 5.0)


# -- _preload_content and _return_http_data_only -----------------------------------------------


def test_preload_content_false_returns_the_unread_urllib3_response(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, headers=[("X-Marker", "raw")]))

    response = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, _preload_content=False)

    assert isinstance(response, URLLIB3_RESPONSE)
    assert response.status == 200
    assert response.headers["X-Marker"] == "raw"
    assert json.loads(response.read()) == TASK_INSTANCE_PAYLOAD
    response.release_conn()


def test_preload_content_false_still_raises_the_status_exception(server, api):
    server.answer(Reply.json(problem(404, "Task instance not found"), status=404))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, _preload_content=False)

    assert caught.value.status == 404


def test_preload_content_false_on_logs_lets_the_caller_stream(server, api):
    text = "".join(f"line {n}\n" for n in range(2000))
    server.answer(Reply.text(text))

    response = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1, _preload_content=False)

    received = b"".join(response.stream(1024))
    assert received.decode() == text
    response.release_conn()


def test_return_http_data_only_false_gives_data_status_and_headers(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, headers=[("X-Request-Id", "r-42")]))

    result = api.get_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, _return_http_data_only=False
    )

    assert isinstance(result, tuple) and len(result) == 3
    data, status, headers = result
    assert isinstance(data, TaskInstance) and data.task_id == "echo_ok"
    assert status == 200
    assert headers["X-Request-Id"] == "r-42"


def test_answer_headers_are_looked_up_without_regard_to_case(server, api):
    # HTTP header names are case-insensitive (RFC 9110, 5.1), as urllib3's header dict is.
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, headers=[("X-Request-Id", "r-42")]))

    _, _, headers = api.get_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, _return_http_data_only=False
    )

    assert headers["x-request-id"] == "r-42"
    assert headers.get("X-REQUEST-ID") == "r-42"
    assert headers["content-type"] == "application/json"


def test_return_http_data_only_false_on_delete(server, api):
    server.answer(Reply.no_content())

    data, status, _headers = api.delete_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, _return_http_data_only=False
    )

    assert (data, status) == (None, 204)


# -- timeouts -----------------------------------------------------------------------------------


@pytest.fixture
def silent_server():
    with RecordingServer(never_answer=True) as running:
        yield running


def silent_api(silent_server, **configuration_options):
    configuration = airflow_python_sdk.Configuration(
        host=silent_server.url + API_PREFIX, **configuration_options
    )
    client = airflow_python_sdk.ApiClient(configuration)
    return client, TaskInstanceApi(client)


def assert_timed_out(outcome, silent_server, timeout_s: float) -> None:
    assert outcome.error is not None, "a server that never answers cannot give a result"
    assert isinstance(outcome.error, airflow_python_sdk.ApiTimeoutError), repr(outcome.error)
    assert silent_server.requests, "the request must have been sent before the timeout"
    assert outcome.elapsed_s >= timeout_s * 0.8, f"gave up too early: {outcome.elapsed_s:.2f}s"
    assert outcome.elapsed_s <= timeout_s + TIMEOUT_SLACK_S, (
        f"took {outcome.elapsed_s:.2f}s for a {timeout_s}s timeout "
        f"after {len(silent_server.requests)} attempt(s): {outcome.error!r}"
    )


def test_a_request_timeout_number_bounds_a_get(silent_server):
    client, api = silent_api(silent_server)
    with client:
        outcome = call_bounded(
            lambda: api.get_task_instance(
                "feas_dag", "echo_ok", EXECUTION_DATE, _request_timeout=1.0
            ),
            bound_s=15,
        )
    assert_timed_out(outcome, silent_server, 1.0)


def test_a_connect_read_timeout_pair_bounds_a_patch(silent_server):
    client, api = silent_api(silent_server)
    with client:
        outcome = call_bounded(
            lambda: api.update_task_instance(
                "feas_dag",
                "echo_ok",
                EXECUTION_DATE,
                TaskInstance(state=TaskState.FAILED),
                _request_timeout=(2.0, 1.0),
            ),
            bound_s=15,
        )
    assert_timed_out(outcome, silent_server, 1.0)


def test_the_configured_timeout_bounds_every_call(silent_server):
    client, api = silent_api(silent_server, timeout=1.0)
    with client:
        outcome = call_bounded(
            lambda: api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1), bound_s=15
        )
    assert_timed_out(outcome, silent_server, 1.0)


def test_an_async_call_is_bounded_by_its_timeout_too(silent_server):
    client, api = silent_api(silent_server)
    with client:
        # Timed from the submission: the request starts then, not when the result is asked for.
        outcome = call_bounded(lambda: api.get_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, async_req=True, _request_timeout=1.0
        ).get(timeout=15), bound_s=20)
    assert_timed_out(outcome, silent_server, 1.0)


def test_the_timeout_error_is_an_api_exception(silent_server):
    # `except ApiException` is how callers catch a failed call; a timeout is one.
    client, api = silent_api(silent_server, timeout=0.5)
    with client:
        outcome = call_bounded(
            lambda: api.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE), bound_s=15
        )
    assert isinstance(outcome.error, airflow_python_sdk.ApiException), repr(outcome.error)


def test_the_default_timeout_is_finite_and_the_one_the_docs_state():
    connect, read = airflow_python_sdk.Configuration().timeout
    assert 0 < connect < 3600 and 0 < read < 3600
    # What the README and the reliability table promise is what a Configuration gets.
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"({connect:g} s connect, {read:g} s read)" in readme
    table = (REPO_ROOT / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    assert f"| Timeout (connect, read) | {connect:g} s, {read:g} s |" in table


def test_a_slow_answer_within_the_timeout_is_read(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD, delay_s=0.3))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, _request_timeout=5)

    assert ti.task_id == "echo_ok"


# -- type checking switches ---------------------------------------------------------------------


def test_input_types_are_checked_by_default(server, api):
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, "one")

    assert "task_try_number" in str(caught.value)
    assert "int" in str(caught.value)
    assert server.requests == []


def test_check_input_type_false_sends_the_value_as_given(server, api):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, "7", _check_input_type=False)

    assert task_instance_path_values(server.last.path)[-2:] == ["logs", "7"]


def test_check_return_type_false_keeps_a_mistyped_answer(server, api):
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, try_number="three")))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, _check_return_type=False)

    assert ti.try_number == "three"
    assert ti.task_id == "echo_ok"


# -- _host_index --------------------------------------------------------------------------------


def test_host_index_picks_a_server_from_the_configured_list(server):
    unused = "http://127.0.0.1:9/unused"  # port 9 (discard): nothing listens there
    configuration = airflow_python_sdk.Configuration(
        host=unused,
        servers=[
            {"url": unused, "description": "not this one"},
            {"url": server.url + API_PREFIX, "description": "the recording server"},
        ],
    )
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration) as client:
        outcome = call_bounded(
            lambda: TaskInstanceApi(client).get_task_instance(
                "feas_dag", "echo_ok", EXECUTION_DATE, _host_index=1, _request_timeout=5
            ),
            bound_s=15,
        )

    assert outcome.error is None, repr(outcome.error)
    assert outcome.result.task_id == "echo_ok"
    assert server.last.path.startswith(API_PREFIX + "/dags/feas_dag/")


def test_an_out_of_range_host_index_is_refused(server, api):
    with pytest.raises(ValueError):
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, _host_index=7)

    assert server.requests == []


# -- argument checking --------------------------------------------------------------------------


def test_an_unknown_keyword_argument_is_named(server, api):
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, try_index=3)

    assert "try_index" in str(caught.value)
    assert server.requests == []


def test_a_missing_argument_is_named(server, api):
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE)

    assert "task_try_number" in str(caught.value)
    assert server.requests == []


def test_a_missing_body_is_named(server, api):
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert "task_instance" in str(caught.value)
    assert server.requests == []


def test_every_parameter_may_be_passed_by_keyword(server, api):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    api.get_logs(
        dag_id="feas_dag",
        task_id="echo_ok",
        execution_date=EXECUTION_DATE,
        task_try_number=3,
        full_content=False,
    )

    values = task_instance_path_values(server.last.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert values[4:] == ["logs", "3"]
    assert server.last.query_params == {"full_content": ["false"]}


def test_a_closed_client_can_still_call_and_creates_a_new_pool(server, configuration):
    server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)
    client = airflow_python_sdk.ApiClient(configuration)
    api = TaskInstanceApi(client)
    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True).get(timeout=10)
    client.close()

    try:
        again = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True)
        assert again.get(timeout=10).task_id == "echo_ok"
        assert api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE).task_id == "echo_ok"
    finally:
        client.close()


def test_pool_threads_run_async_calls_in_parallel(server, configuration):
    server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD, delay_s=0.5)

    with airflow_python_sdk.ApiClient(configuration, pool_threads=4) as client:
        api = TaskInstanceApi(client)
        started = time.monotonic()
        pending = [
            api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, async_req=True)
            for _ in range(4)
        ]
        results = [p.get(timeout=10) for p in pending]
        elapsed = time.monotonic() - started

    assert [ti.task_id for ti in results] == ["echo_ok"] * 4
    assert elapsed < 1.5, f"four 0.5 s calls on four threads took {elapsed:.2f}s"
    assert len({r.client_port for r in server.requests}) == 4


def test_one_client_serves_many_threads(server, api):
    server.handler = lambda request: Reply.json(
        dict(TASK_INSTANCE_PAYLOAD, task_id=request.path.split("/")[-2])
    )
    errors = []

    def worker(n):
        try:
            for i in range(10):
                ti = api.get_task_instance("feas_dag", f"t{n}-{i}", EXECUTION_DATE)
                assert ti.task_id == f"t{n}-{i}"
        except BaseException as error:  # collected: an assert on a thread would be lost
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(server.requests) == 80
