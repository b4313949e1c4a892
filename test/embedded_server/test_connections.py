"""HTTP/1.1 keep-alive, concurrent clients, and a clean stop."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from embedded_server.http_calls import Caller, basic, ti_path

from airflow_python_sdk.testing.server import AirflowApiServer

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")
AUTH = {"Authorization": basic("admin", "admin")}


def _connect(server: AirflowApiServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(server.host, server.port, timeout=5)


def test_one_connection_serves_many_requests_errors_included(
    airflow_api: AirflowApiServer,
) -> None:
    connection = _connect(airflow_api)
    try:
        statuses = []
        sockets = set()
        for path, headers in [
            (TRANSFORM, AUTH),
            (TRANSFORM + "/nope", AUTH),
            (TRANSFORM, {}),
            (TRANSFORM + "/logs/2", AUTH),
        ]:
            connection.request("GET", "/api/v1" + path, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            sockets.add(id(connection.sock))
            assert not response.will_close
    finally:
        connection.close()

    assert statuses == [200, 404, 401, 200]
    assert len(sockets) == 1


def test_the_server_closes_after_a_request_it_cannot_frame(airflow_api: AirflowApiServer) -> None:
    connection = _connect(airflow_api)
    try:
        connection.putrequest("PATCH", "/api/v1" + TRANSFORM)
        connection.putheader("Authorization", AUTH["Authorization"])
        connection.putheader("Content-Length", "lots")
        connection.endheaders()
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()

    assert response.status == 400
    assert body["status"] == 400
    assert response.will_close


def test_an_oversized_body_is_refused_without_reading_it(airflow_api: AirflowApiServer) -> None:
    connection = _connect(airflow_api)
    try:
        connection.putrequest("PATCH", "/api/v1" + TRANSFORM)
        connection.putheader("Authorization", AUTH["Authorization"])
        connection.putheader("Content-Length", str(50 << 20))
        connection.endheaders()
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()

    assert response.status == 413
    assert response.will_close


def test_concurrent_clients_each_get_whole_consistent_answers(
    airflow_api: AirflowApiServer,
) -> None:
    states = ["success", "failed", "queued", "running"]

    def worker(number: int) -> list[tuple[int, str]]:
        caller = Caller(airflow_api.url)
        seen = []
        try:
            for round_number in range(15):
                state = states[(number + round_number) % len(states)]
                patched = caller("PATCH", TRANSFORM, body={"state": state})
                seen.append((patched.status, patched.json()["state"]))
                got = caller("GET", TRANSFORM)
                seen.append((got.status, got.json()["state"]))
        finally:
            caller.close()
        return seen

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [item for part in pool.map(worker, range(8), timeout=60) for item in part]

    assert len(results) == 8 * 15 * 2
    assert {status for status, _ in results} == {200}
    assert {state for _, state in results} <= set(states)
    assert len(airflow_api.request_log) == len(results)


def test_stop_closes_idle_kept_alive_connections_and_frees_the_port() -> None:
    server = AirflowApiServer().start()
    connection = _connect(server)
    connection.request("GET", "/api/v1" + TRANSFORM, headers=AUTH)
    connection.getresponse().read()
    port = server.port

    started = time.monotonic()
    server.stop()

    assert time.monotonic() - started < 3
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    connection.close()


def test_the_context_manager_starts_and_stops() -> None:
    with AirflowApiServer() as server:
        url = server.url
        caller = Caller(url)
        assert caller("GET", TRANSFORM).status == 200
        caller.close()
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/api/v1")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_two_servers_run_side_by_side_with_their_own_state() -> None:
    with AirflowApiServer() as first, AirflowApiServer() as second:
        assert first.port != second.port
        one, two = Caller(first.url), Caller(second.url)
        try:
            assert one("DELETE", TRANSFORM).status == 204
            assert two("GET", TRANSFORM).status == 200
        finally:
            one.close()
            two.close()


def test_starting_twice_is_refused() -> None:
    with AirflowApiServer() as server, pytest.raises(RuntimeError, match="already running"):
        server.start()
    with pytest.raises(RuntimeError, match="cannot start again"):
        server.start()


def test_a_malformed_request_line_gets_a_problem_and_a_closed_connection(
    airflow_api: AirflowApiServer,
) -> None:
    with socket.create_connection((airflow_api.host, airflow_api.port), timeout=5) as raw:
        raw.sendall(b"NOT AN HTTP REQUEST LINE AT ALL\r\n\r\n")
        received = b""
        while chunk := raw.recv(4096):
            received += chunk

    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Content-Type: application/problem+json" in head
    assert b"Connection: close" in head
    assert json.loads(body)["status"] == 400


def test_request_threads_do_not_outlive_the_server() -> None:
    before = threading.active_count()
    with AirflowApiServer() as server:
        caller = Caller(server.url)
        for _ in range(5):
            caller("GET", TRANSFORM)
    caller.close()
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)

    assert threading.active_count() <= before
