"""A wait ends near its own timeout whatever the server does: a Retry-After of an hour, an answer
that never comes, one that drips in slower than the wait has left. And a Retry-After the wait can
afford is honoured. Raw servers (raw_server.py) play each part byte by byte."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Callable

import pytest
from reliability.fast_clients import make_configuration
from reliability.raw_server import RawConnection, RawServer

import airflow_python_sdk
from airflow_python_sdk import (
    ApiTimeoutError,
    ServiceException,
    TooManyRequestsException,
    WaitTimeoutError,
)
from airflow_python_sdk.api.dag_run_api import DAGRunApi

RUN = {"dag_run_id": "r", "dag_id": "d", "execution_date": "2026-11-26T00:00:00+00:00",
       "state": "running"}
# The client's own timeout is far longer than the waits below: only the wait may cut them.
LONG_TIMEOUT = (30.0, 30.0)


def _json(state: str) -> bytes:
    return json.dumps({**RUN, "state": state}).encode()


def _serve(answer: Callable[[RawConnection, int], None]) -> Callable[[RawConnection, int], None]:
    """A script that answers every poll of the run with `answer(connection, n)`, n counting
    polls over all connections; the wait's question whether the DAG is paused gets "no"."""
    count = [0]
    lock = threading.Lock()

    def script(connection: RawConnection, index: int) -> None:
        while True:
            request = connection.read_request()
            if request is None:
                return
            if b"/dagRuns/" not in request.split(b"\r\n", 1)[0]:
                connection.answer(200, b'{"dag_id": "d", "is_paused": false}',
                                  (("Content-Type", "application/json"),))
                continue
            with lock:
                count[0] += 1
                number = count[0]
            answer(connection, number)

    script.requests = count  # type: ignore[attr-defined]
    return script


def _runs(server: RawServer) -> DAGRunApi:
    configuration = make_configuration(server.url, timeout=LONG_TIMEOUT)
    return DAGRunApi(airflow_python_sdk.ApiClient(configuration))


def test_a_retry_after_of_an_hour_does_not_stretch_the_wait() -> None:
    def answer(connection: RawConnection, number: int) -> None:
        connection.answer(503, b'{"title": "Service Unavailable"}',
                          (("Retry-After", "3600"), ("Content-Type", "application/json")))

    script = _serve(answer)
    with RawServer(script) as server:
        runs = _runs(server)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            runs.wait_for_dag_run("d", "r", timeout=1.0)
        elapsed = time.monotonic() - started
        runs.api_client.close()

    assert 0.9 <= elapsed < 2.0
    assert isinstance(caught.value.last_error, ServiceException)
    # The server asked for an hour: no second request within the wait.
    assert script.requests[0] == 1  # type: ignore[attr-defined]


def test_a_retry_after_as_a_date_an_hour_away_does_not_stretch_the_wait() -> None:
    later = format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)

    def answer(connection: RawConnection, number: int) -> None:
        connection.answer(429, b'{"title": "Too Many Requests"}',
                          (("Retry-After", later), ("Content-Type", "application/json")))

    with RawServer(_serve(answer)) as server:
        runs = _runs(server)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            runs.wait_for_dag_run("d", "r", timeout=1.0)
        elapsed = time.monotonic() - started
        runs.api_client.close()

    assert 0.9 <= elapsed < 2.0
    assert isinstance(caught.value.last_error, TooManyRequestsException)


def test_a_retry_after_within_the_wait_is_honoured() -> None:
    arrivals: list[float] = []

    def answer(connection: RawConnection, number: int) -> None:
        arrivals.append(time.monotonic())
        if number == 1:
            connection.answer(503, b"{}", (("Retry-After", "1"),
                                           ("Content-Type", "application/json")))
        else:
            connection.answer(200, _json("success"), (("Content-Type", "application/json"),))

    with RawServer(_serve(answer)) as server:
        runs = _runs(server)
        run = runs.wait_for_dag_run("d", "r", timeout=10)
        runs.api_client.close()

    assert run.state.value == "success"
    assert len(arrivals) == 2
    assert arrivals[1] - arrivals[0] >= 1.0  # not the first pause of 0.1 s


def test_an_answer_that_never_comes_ends_the_wait_at_its_timeout() -> None:
    stop = threading.Event()

    def answer(connection: RawConnection, number: int) -> None:
        stop.wait(30)  # says nothing; the client's read timeout is 30 s

    with RawServer(_serve(answer)) as server:
        runs = _runs(server)
        started = time.monotonic()
        try:
            with pytest.raises(WaitTimeoutError) as caught:
                runs.wait_for_dag_run("d", "r", timeout=1.0)
        finally:
            elapsed = time.monotonic() - started
            stop.set()
            runs.api_client.close()

    assert 0.9 <= elapsed < 2.0
    assert isinstance(caught.value.last_error, ApiTimeoutError)
    assert "(last state: none read); the last poll failed: " in str(caught.value)


def test_an_answer_dripping_slower_than_the_wait_ends_it_at_its_timeout() -> None:
    body = _json("running")

    def answer(connection: RawConnection, number: int) -> None:
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        connection.send(head)
        for byte in body:  # a byte every 50 ms: the whole answer would take several seconds
            if connection.stopping.wait(0.05):
                return
            connection.send(bytes([byte]))

    with RawServer(_serve(answer)) as server:
        runs = _runs(server)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError):
            runs.wait_for_dag_run("d", "r", timeout=1.0)
        elapsed = time.monotonic() - started
        runs.api_client.close()

    assert 0.9 <= elapsed < 2.0


def test_a_run_that_keeps_running_is_polled_ever_less_often() -> None:
    arrivals: list[float] = []

    def answer(connection: RawConnection, number: int) -> None:
        arrivals.append(time.monotonic())
        connection.answer(200, _json("running"), (("Content-Type", "application/json"),))

    with RawServer(_serve(answer)) as server:
        runs = _runs(server)
        with pytest.raises(WaitTimeoutError) as caught:
            runs.wait_for_dag_run("d", "r", timeout=2.0, poll_interval=0.8)
        runs.api_client.close()

    assert caught.value.last_state == "running"
    pauses = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    # 0.1, 0.2, 0.4, then the 0.8 cap (the last pause cut by the deadline).
    assert len(arrivals) <= 7
    assert pauses[0] < 0.3 and max(pauses) >= 0.7
    assert all(pause <= 1.2 for pause in pauses)
