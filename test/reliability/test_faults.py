"""Faults below HTTP, over real sockets: each ends in a typed SDK error, in bounded time.

Every error is an `ApiException` subclass raised `from` the urllib3 error, never a urllib3
exception, and says how many attempts were made when there was more than one.
"""

from __future__ import annotations

import time

import pytest
import urllib3
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE, task_instance_body
from reliability.raw_server import RawConnection, RawServer
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

BOUND_S = 10.0  # no test here may come near it; it only turns a hang into a failure


def get(api, **options):
    return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, **options)


def assert_mapped(error: BaseException, expected: type) -> None:
    """A typed SDK error that still is an ApiException, chained to the urllib3 error below it."""
    assert isinstance(error, expected), repr(error)
    assert isinstance(error, airflow_python_sdk.ApiException)
    assert isinstance(error.__cause__, urllib3.exceptions.HTTPError), repr(error.__cause__)


# -- no connection -------------------------------------------------------------------------------


def test_connection_refused_is_a_connection_error_not_a_timeout(api_for, refused_port):
    api = api_for(f"http://127.0.0.1:{refused_port}")

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert_mapped(outcome.error, airflow_python_sdk.ApiConnectionError)
    assert not isinstance(outcome.error, airflow_python_sdk.ApiTimeoutError)
    message = str(outcome.error)
    assert "cannot connect: Failed to establish a new connection" in message
    assert "Connection(" not in message and "object at 0x" not in message  # no urllib3 noise
    assert "(after 4 attempts)" in message  # refused connections are retried: nothing was sent
    assert outcome.error.attempts == 4


def test_a_refused_patch_is_retried_too_since_nothing_was_sent(api_for, refused_port):
    api = api_for(f"http://127.0.0.1:{refused_port}")

    outcome = call_bounded(
        lambda: api.update_task_instance(
            "etl_daily", "extract", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
        ),
        BOUND_S,
    )

    assert_mapped(outcome.error, airflow_python_sdk.ApiConnectionError)
    assert outcome.error.attempts == 4


# -- broken answers ------------------------------------------------------------------------------


def reset_in_the_middle_of_the_body(connection: RawConnection, index: int) -> None:
    if connection.read_request() is None:
        return
    body = task_instance_body()
    connection.answer(200, body[: len(body) // 2], content_length=len(body))
    connection.reset()


def test_a_reset_in_the_middle_of_a_body_is_retried_then_reported(api_for):
    with RawServer(reset_in_the_middle_of_the_body) as server:
        api = api_for(server.url)

        outcome = call_bounded(lambda: get(api), BOUND_S)

        assert_mapped(outcome.error, airflow_python_sdk.ApiConnectionError)
        assert "the connection broke" in str(outcome.error)
        assert outcome.error.attempts == 4
        assert server.connections == 4  # each retry on a fresh connection


def test_a_reset_body_then_a_good_answer_gives_the_good_answer(api_for):
    def first_breaks(connection: RawConnection, index: int) -> None:
        if index == 0:
            reset_in_the_middle_of_the_body(connection, index)
        elif connection.read_request() is not None:
            connection.answer(200, task_instance_body(), (("Content-Type", "application/json"),))

    with RawServer(first_breaks) as server:
        ti = call_bounded(lambda: get(api_for(server.url)), BOUND_S).result

    assert ti.task_id == TASK_INSTANCE["task_id"]


def closes_in_the_middle_of_the_body(connection: RawConnection, index: int) -> None:
    # A clean close (FIN, not a reset) before the Content-Length was reached: a proxy that gave
    # up, a server that crashed after flushing half its answer.
    if connection.read_request() is None:
        return
    body = task_instance_body()
    connection.answer(200, body[: len(body) // 2], content_length=len(body))


def test_a_body_cut_short_by_a_clean_close_is_retried_then_reported(api_for):
    with RawServer(closes_in_the_middle_of_the_body) as server:
        api = api_for(server.url)

        outcome = call_bounded(lambda: get(api), BOUND_S)

        # Never a 200 whose half body "is not JSON": the answer did not come whole.
        assert_mapped(outcome.error, airflow_python_sdk.ApiConnectionError)
        assert "the connection broke" in str(outcome.error)
        assert outcome.error.attempts == 4


def test_a_body_cut_short_then_a_whole_answer_gives_the_whole_answer(api_for):
    def first_is_cut(connection: RawConnection, index: int) -> None:
        if index == 0:
            closes_in_the_middle_of_the_body(connection, index)
        elif connection.read_request() is not None:
            connection.answer(200, task_instance_body(), (("Content-Type", "application/json"),))

    with RawServer(first_is_cut) as server:
        ti = call_bounded(lambda: get(api_for(server.url)), BOUND_S).result

    assert ti.task_id == TASK_INSTANCE["task_id"]


def closes_idle_connections_after_answering(connection: RawConnection, index: int) -> None:
    # Answers as if keeping the connection alive, then closes it: a server's keep-alive timeout.
    if connection.read_request() is not None:
        connection.answer(200, task_instance_body(), (("Content-Type", "application/json"),))
        connection.stopping.wait(0.05)


def test_a_kept_alive_connection_the_server_closed_between_calls_is_replaced(api_for):
    with RawServer(closes_idle_connections_after_answering) as server:
        api = api_for(server.url, retries=0)  # no retry needed: the pool notices the close

        first = get(api)
        time.sleep(0.2)  # the server has closed the connection by now
        second = call_bounded(lambda: get(api), BOUND_S)

    assert first.task_id == "extract"
    assert second.error is None, repr(second.error)
    assert second.result.task_id == "extract"
    assert server.connections == 2


def closes_as_the_second_request_arrives(connection: RawConnection, index: int) -> None:
    # The race a keep-alive timeout can lose: the request went out on a connection the server
    # is closing at that very moment; it reads the request and hangs up without answering.
    if index == 0:
        if connection.read_request() is not None:
            connection.answer(200, task_instance_body(), (("Content-Type", "application/json"),))
        connection.read_request()
        connection.sock.close()
        return
    while connection.read_request() is not None:
        connection.answer(200, task_instance_body(), (("Content-Type", "application/json"),))


def test_an_idempotent_call_on_a_connection_closed_under_it_is_retried_transparently(api_for):
    with RawServer(closes_as_the_second_request_arrives) as server:
        api = api_for(server.url)

        get(api)
        second = call_bounded(lambda: get(api), BOUND_S)

    assert second.error is None, repr(second.error)
    assert second.result.task_id == "extract"
    assert server.connections == 2


def test_a_patch_on_a_connection_closed_under_it_is_not_repeated(api_for):
    with RawServer(closes_as_the_second_request_arrives) as server:
        api = api_for(server.url)

        get(api)
        outcome = call_bounded(
            lambda: api.update_task_instance(
                "etl_daily", "extract", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
            ),
            BOUND_S,
        )

    # The server may have applied it: the caller decides, the SDK does not send it twice.
    assert_mapped(outcome.error, airflow_python_sdk.ApiConnectionError)
    assert str(outcome.error).endswith(
        "the connection broke: Connection aborted: Remote end closed connection without "
        "response; not repeated: the server may have applied it"
    )
    assert server.connections == 1


# -- stalls --------------------------------------------------------------------------------------


def test_a_server_that_never_answers_fails_after_about_the_read_timeout():
    with RecordingServer(never_answer=True) as server:
        configuration = airflow_python_sdk.Configuration(host=server.url + "/api/v1")
        configuration.timeout = (0.5, 0.3)  # the SDK's default retry policy is left in place
        with airflow_python_sdk.ApiClient(configuration) as client:
            api = airflow_python_sdk.api.task_instance_api.TaskInstanceApi(client)

            outcome = call_bounded(lambda: get(api), BOUND_S)

        assert_mapped(outcome.error, airflow_python_sdk.ApiTimeoutError)
        assert "no complete answer within the read timeout (0.3 s)" in str(outcome.error)
        assert 0.25 <= outcome.elapsed_s < 0.9  # one read timeout, not one per retry
        assert len(server.requests) == 1


def test_a_per_call_timeout_overrides_the_configured_one(api_for):
    with RecordingServer(never_answer=True) as server:
        api = api_for(server.url, timeout=(5.0, 5.0))

        outcome = call_bounded(lambda: get(api, _request_timeout=0.2), BOUND_S)

    assert_mapped(outcome.error, airflow_python_sdk.ApiTimeoutError)
    assert outcome.elapsed_s < 0.8


def drips_the_body(connection: RawConnection, index: int) -> None:
    if connection.read_request() is None:
        return
    body = task_instance_body()
    connection.send(
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
        "\r\n\r\n".encode()
    )
    for byte in body:  # each byte well within the read timeout, the whole far beyond it
        if connection.stopping.wait(0.1):
            return
        connection.send(bytes([byte]))


def test_a_slow_drip_past_the_read_timeout_ends_after_about_the_read_timeout(api_for):
    with RawServer(drips_the_body) as server:
        api = api_for(server.url, timeout=(0.5, 0.4))

        outcome = call_bounded(lambda: get(api), BOUND_S)

        assert_mapped(outcome.error, airflow_python_sdk.ApiTimeoutError)
        assert "no complete answer within the read timeout (0.4 s)" in str(outcome.error)
        assert 0.35 <= outcome.elapsed_s < 1.2, outcome.elapsed_s
        assert server.connections == 1  # a timeout is never retried


# -- error statuses ------------------------------------------------------------------------------


def test_503_with_retry_after_seconds_waits_that_long_then_succeeds(server, api_for):
    server.answer(
        Reply.json({"title": "Unavailable"}, status=503, headers=[("Retry-After", "1")]),
        Reply.json(TASK_INSTANCE),
    )
    api = api_for(server.url)

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert outcome.error is None, repr(outcome.error)
    assert outcome.result.task_id == "extract"
    assert 0.95 <= outcome.elapsed_s < 2.0, outcome.elapsed_s
    assert len(server.requests) == 2


def test_503_with_retry_after_as_an_http_date_is_honoured(server, api_for):
    from email.utils import formatdate

    server.answer(
        Reply(503, b"", [("Retry-After", formatdate(time.time() + 2, usegmt=True))]),
        Reply.json(TASK_INSTANCE),
    )
    api = api_for(server.url)

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert outcome.error is None, repr(outcome.error)
    # The date has whole seconds: the wait is between one and two seconds.
    assert 0.9 <= outcome.elapsed_s < 2.6, outcome.elapsed_s


def test_a_retry_after_of_an_hour_is_cut_to_the_cap(server, api_for):
    from reliability.fast_clients import fast_retry

    server.answer(
        Reply(503, b"", [("Retry-After", "3600")]),
        Reply.json(TASK_INSTANCE),
    )
    api = api_for(server.url, retries=fast_retry(retry_after_max=0.3))

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert outcome.error is None, repr(outcome.error)
    assert 0.25 <= outcome.elapsed_s < 1.5, outcome.elapsed_s


def test_a_garbled_retry_after_falls_back_to_the_backoff(server, api_for):
    server.answer(
        Reply(503, b"", [("Retry-After", "soon, promise")]),
        Reply.json(TASK_INSTANCE),
    )

    outcome = call_bounded(lambda: get(api_for(server.url)), BOUND_S)

    assert outcome.error is None, repr(outcome.error)
    assert outcome.elapsed_s < 1.0


def test_a_500_storm_exhausts_the_retries_and_says_how_many_attempts(server, api_for):
    server.handler = lambda request: Reply.json(
        {"title": "Internal Server Error", "detail": "database is locked"}, status=500
    )
    api = api_for(server.url)

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ServiceException), repr(outcome.error)
    assert outcome.error.status == 500
    assert outcome.error.attempts == 4
    assert str(outcome.error).endswith("database is locked (after 4 attempts)")
    assert len(server.requests) == 4
    assert outcome.elapsed_s < 2.0


def test_a_503_storm_on_a_patch_is_not_retried(server, api_for):
    server.handler = lambda request: Reply.json({"title": "Unavailable"}, status=503)
    api = api_for(server.url)

    outcome = call_bounded(
        lambda: api.update_task_instance(
            "etl_daily", "extract", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
        ),
        BOUND_S,
    )

    assert isinstance(outcome.error, airflow_python_sdk.ServiceException), repr(outcome.error)
    assert len(server.requests) == 1


def test_retries_zero_turns_retrying_off_but_still_follows_redirects(server, api_for):
    server.answer(
        Reply(307, b"", [("Location", server.url + "/api/v1/moved")]),
        Reply.json({"title": "Unavailable"}, status=503),
    )
    api = api_for(server.url, retries=0)

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ServiceException), repr(outcome.error)
    assert [r.path for r in server.requests][-1] == "/api/v1/moved"
    assert len(server.requests) == 2


def test_a_number_of_retries_in_the_configuration_keeps_the_sdk_policy(server, api_for):
    # A plain number means "the SDK's policy with that many repeats": still no read-timeout retry.
    with RecordingServer(never_answer=True) as silent:
        api = api_for(silent.url, retries=2, timeout=(0.5, 0.2))

        outcome = call_bounded(lambda: get(api), BOUND_S)

        assert_mapped(outcome.error, airflow_python_sdk.ApiTimeoutError)
        assert len(silent.requests) == 1


def test_retrying_stops_once_the_total_wait_budget_is_spent(server, api_for):
    from reliability.fast_clients import fast_retry

    server.handler = lambda request: Reply(503, b"", [("Retry-After", "1")])
    api = api_for(server.url, retries=fast_retry(10, total_wait_max=1.5))

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ServiceException), repr(outcome.error)
    # One wait of 1 s fits in 1.5 s, a second would not: two attempts, not eleven.
    assert len(server.requests) == 2
    assert outcome.elapsed_s < 2.0


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_each_retried_status_is_retried_for_get_and_delete(server, api_for, status):
    server.answer(Reply(status, b""), Reply.json(TASK_INSTANCE), Reply(status, b""),
                  Reply.no_content())
    api = api_for(server.url)

    get(api)
    api.delete_task_instance("etl_daily", "extract", EXECUTION_DATE)

    assert [r.method for r in server.requests] == ["GET", "GET", "DELETE", "DELETE"]


def test_the_transport_takes_a_retry_policy_per_call(server, api_for):
    server.handler = lambda request: Reply(503, b"")
    transport = api_for(server.url).api_client.rest_client

    for retries, attempts in ((0, 1), (2, 3)):
        server.clear()
        with pytest.raises(airflow_python_sdk.ServiceException):
            transport.request("GET", server.url + "/api/v1/health", retries=retries)
        assert len(server.requests) == attempts
