"""Faults on demand: failures with Retry-After, dropped connections, delays."""

from __future__ import annotations

import threading
import time

import pytest
import urllib3
from embedded_server.http_calls import Caller, assert_problem, basic, ti_path

from airflow_python_sdk.testing.faults import Faults
from airflow_python_sdk.testing.server import AirflowApiServer

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")


def test_fail_next_fails_that_many_requests_then_serves_again(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.fail_next(2, status=503, retry_after=3)

    first, second, third = (call("GET", TRANSFORM) for _ in range(3))

    for failed in (first, second):
        assert assert_problem(failed, 503)["title"] == "Service Unavailable"
        assert failed.headers["Retry-After"] == "3"
    assert third.status == 200
    assert [entry.status for entry in airflow_api.request_log.entries()] == [503, 503, 200]


def test_a_failure_without_retry_after_leaves_the_header_out(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.fail_next(status=500, retry_after=None)

    reply = call("GET", TRANSFORM)

    assert_problem(reply, 500)
    assert "Retry-After" not in reply.headers


def test_a_failed_request_changes_nothing(call: Caller, airflow_api: AirflowApiServer) -> None:
    airflow_api.faults.fail_next(status=502)

    assert_problem(call("DELETE", TRANSFORM), 502)

    assert call("GET", TRANSFORM).status == 200


def test_failures_come_before_authentication(call: Caller, airflow_api: AirflowApiServer) -> None:
    airflow_api.faults.fail_next(status=429, retry_after=0)

    assert_problem(call("GET", TRANSFORM, auth=None), 429)


def test_scripted_faults_are_served_in_the_order_they_were_asked_for(
    airflow_api: AirflowApiServer,
) -> None:
    airflow_api.faults.fail_next(1, status=500)
    airflow_api.faults.drop_next(1)
    airflow_api.faults.fail_next(1, status=429, retry_after=7)
    assert airflow_api.faults.pending == 3
    pool = urllib3.PoolManager(retries=False, timeout=5.0)
    url = airflow_api.url + TRANSFORM
    headers = {"Authorization": basic("admin", "admin")}

    first = pool.request("GET", url, headers=headers)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        pool.request("GET", url, headers=headers)
    third = pool.request("GET", url, headers=headers)
    fourth = pool.request("GET", url, headers=headers)

    assert (first.status, third.status, fourth.status) == (500, 429, 200)
    assert third.headers["Retry-After"] == "7"
    assert [entry.status for entry in airflow_api.request_log.entries()] == [500, None, 429, 200]
    assert airflow_api.faults.pending == 0


def test_a_dropped_response_cuts_the_body_short(airflow_api: AirflowApiServer) -> None:
    airflow_api.faults.drop_next()
    pool = urllib3.PoolManager(retries=False, timeout=5.0)

    with pytest.raises(urllib3.exceptions.ProtocolError) as raised:
        pool.request(
            "GET", airflow_api.url + TRANSFORM, headers={"Authorization": basic("admin", "admin")}
        )

    assert "IncompleteRead" in repr(raised.value) or "incomplete" in str(raised.value).lower()


def test_a_dropped_delete_was_done_although_its_answer_was_lost(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.drop_next()

    with pytest.raises(urllib3.exceptions.ProtocolError):
        call("DELETE", TRANSFORM)

    assert_problem(call("GET", TRANSFORM), 404)


def test_a_delay_holds_every_response_until_cleared(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.delay(0.6)

    started = time.monotonic()
    delayed = [call("GET", TRANSFORM).status for _ in range(2)]
    elapsed = time.monotonic() - started
    airflow_api.faults.delay(0)
    started = time.monotonic()
    prompt = call("GET", TRANSFORM).status

    assert delayed == [200, 200]
    assert elapsed >= 1.2
    assert prompt == 200
    assert time.monotonic() - started < 0.6


def test_a_delay_longer_than_the_clients_timeout_times_it_out(
    airflow_api: AirflowApiServer,
) -> None:
    airflow_api.faults.delay(2)
    pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=2, read=0.2))

    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        pool.request(
            "GET", airflow_api.url + TRANSFORM, headers={"Authorization": basic("admin", "admin")}
        )


def test_stopping_does_not_wait_for_a_delay_to_run_out() -> None:
    server = AirflowApiServer().start()
    server.faults.delay(30)
    pool = urllib3.PoolManager(retries=False, timeout=10.0)
    outcome: list[object] = []

    def request() -> None:
        try:
            outcome.append(pool.request("GET", server.url + TRANSFORM).status)
        except urllib3.exceptions.HTTPError as error:
            outcome.append(error)

    worker = threading.Thread(target=request)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    worker.join(10)

    assert time.monotonic() - started < 5
    assert not worker.is_alive()
    assert len(outcome) == 1


def test_clear_forgets_pending_faults_and_the_delay(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.fail_next(5)
    airflow_api.faults.delay(5)

    airflow_api.faults.clear()

    started = time.monotonic()
    assert call("GET", TRANSFORM).status == 200
    assert time.monotonic() - started < 2


def test_the_fixture_starts_each_test_without_faults(airflow_api: AirflowApiServer) -> None:
    # The tests above leave faults pending; the airflow_api fixture must have cleared them.
    assert airflow_api.faults.pending == 0
    assert airflow_api.faults.take().delay == 0


@pytest.mark.parametrize(
    "misuse",
    [
        lambda faults: faults.fail_next(0),
        lambda faults: faults.fail_next(1, status=200),
        lambda faults: faults.fail_next(1, retry_after=-1),
        lambda faults: faults.fail_next(1, retry_after=0.5),
        lambda faults: faults.drop_next(0),
        lambda faults: faults.delay(-1),
    ],
)
def test_nonsense_fault_requests_are_refused(misuse: object) -> None:
    faults = Faults()
    with pytest.raises(ValueError):
        misuse(faults)  # type: ignore[operator]
    assert faults.pending == 0
