"""Requests built to break the embedded server: credentials that are not text, bodies nested
past the parser, bursts of new connections. Each gets a proper answer."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import pytest
from embedded_server.http_calls import Caller, assert_problem, ti_path

from airflow_python_sdk.testing.server import AirflowApiServer

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")


def raw_exchange(server: AirflowApiServer, request: bytes) -> bytes:
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.mark.parametrize("credentials", [b"\xff\xfe", b"\xc3\x28", b"\x80" * 50, b"\x00"],
                         ids=["ff-fe", "bad-utf8", "high-bytes", "nul"])
def test_credentials_that_are_not_text_get_a_401(airflow_api: AirflowApiServer, credentials,
                                                 capsys):
    path = urlsplit(airflow_api.url).path + TRANSFORM
    answer = raw_exchange(airflow_api, b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                          b"Authorization: Basic " + credentials + b"\r\n"
                          b"Connection: close\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 401 "), answer[:100]
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_body_nested_past_the_parser_is_a_400(call: Caller, depth: int) -> None:
    reply = call("PATCH", TRANSFORM, raw_body=b"[" * depth,
                 headers={"Content-Type": "application/json"})

    assert assert_problem(reply, 400)["detail"] in (
        "The request body is nested too deeply.", "The request body is not JSON.")


def test_a_burst_of_new_connections_is_accepted_at_once(airflow_api: AirflowApiServer) -> None:
    # A listen backlog of 5 drops SYNs in such a burst, and the kernel resends them only after
    # a second: a connect timeout under that second fails exactly those connections.
    parts = urlsplit(airflow_api.url)
    failures: list[BaseException] = []
    sockets: list[socket.socket] = []
    lock = threading.Lock()
    start = threading.Barrier(100)

    def connect() -> None:
        start.wait()
        try:
            sock = socket.create_connection((parts.hostname, parts.port), timeout=0.8)
        except OSError as error:
            with lock:
                failures.append(error)
        else:
            with lock:
                sockets.append(sock)

    threads = [threading.Thread(target=connect) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for sock in sockets:
        sock.close()

    assert failures == []
