"""The recording server itself: the other tests' assertions are only as good as its records."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply


def send_raw(server: RecordingServer, raw: bytes, timeout_s: float = 5.0) -> bytes:
    """Send bytes exactly as given and read until the answer's body is complete or EOF."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout_s) as sock:
        sock.sendall(raw)
        received = b""
        while True:
            head, sep, body = received.partition(b"\r\n\r\n")
            if sep:
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if len(body) >= length:
                    return received
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


def test_the_request_target_is_recorded_byte_for_byte(server):
    server.answer(Reply.no_content())
    target = "//api/v1/dags/%2E%2E/x%2fy/a+b?token=a%2Bb&flag=true&empty="

    send_raw(server, f"GET {target} HTTP/1.1\r\nHost: x\r\nX-Case: KeepMe\r\n\r\n".encode())

    request = server.last
    assert request.target == target
    assert request.path == "//api/v1/dags/%2E%2E/x%2fy/a+b"
    assert request.query == "token=a%2Bb&flag=true&empty="
    assert request.query_params == {"token": ["a+b"], "flag": ["true"], "empty": [""]}
    assert request.header("x-case") == "KeepMe"


def test_a_body_is_recorded_with_content_length_or_chunked(server):
    server.answer(Reply.no_content(), Reply.no_content())
    body = b'{"state": "failed"}'

    send_raw(
        server,
        b"PATCH /p HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body),
    )
    send_raw(
        server,
        b"PATCH /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"sta\r\ne\r\nte": "failed"}\r\n0\r\n\r\n',
    )

    assert [r.body for r in server.requests] == [body, body]
    assert server.requests[0].json() == {"state": "failed"}


def test_scripted_replies_then_handler_then_a_loud_default(server):
    server.answer(Reply.text("first", status=201))
    first = send_raw(server, b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
    unscripted = send_raw(server, b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
    server.handler = lambda request: Reply.json({"path": request.path}, status=202)
    handled = send_raw(server, b"GET /c HTTP/1.1\r\nHost: x\r\n\r\n")

    assert first.startswith(b"HTTP/1.1 201") and first.endswith(b"first")
    assert unscripted.startswith(b"HTTP/1.1 500") and b"no answer scripted" in unscripted
    assert handled.startswith(b"HTTP/1.1 202") and handled.endswith(b'{"path": "/c"}')


def test_a_failing_handler_answers_500(server):
    server.handler = lambda request: 1 / 0

    answer = send_raw(server, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 500") and b"ZeroDivisionError" in answer


def test_keep_alive_serves_several_requests_on_one_connection(server):
    server.answer(Reply.text("one"), Reply.text("two"))
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        deadline = time.monotonic() + 5
        while received.count(b"HTTP/1.1 200") < 2 or not received.endswith(b"two"):
            assert time.monotonic() < deadline, received
            received += sock.recv(65536)

    assert [r.path for r in server.requests] == ["/1", "/2"]
    assert len({r.client_port for r in server.requests}) == 1


def test_never_answer_records_then_stays_silent_until_stopped():
    server = RecordingServer(never_answer=True).start()
    try:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        sock.sendall(b"GET /silent HTTP/1.1\r\nHost: x\r\n\r\n")
        server.wait_for_requests(1, timeout_s=5)
        sock.settimeout(0.3)
        with pytest.raises(socket.timeout):
            sock.recv(1)
    finally:
        stopping = threading.Thread(target=server.stop)
        stopping.start()
    # Stopping releases the silent connection: the client sees the connection end.
    sock.settimeout(5)
    assert sock.recv(1) == b""
    sock.close()
    stopping.join(5)
    assert not stopping.is_alive()
    assert server.requests[0].path == "/silent"


def test_a_delayed_reply_waits(server):
    server.answer(Reply.text("late", delay_s=0.4))

    outcome = call_bounded(
        lambda: send_raw(server, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n"), bound_s=5
    )

    assert outcome.error is None
    assert outcome.elapsed_s >= 0.35
    assert outcome.result.endswith(b"late")


def test_wait_for_requests_fails_after_its_timeout(server):
    started = time.monotonic()
    with pytest.raises(AssertionError):
        server.wait_for_requests(1, timeout_s=0.2)
    assert time.monotonic() - started < 2


def read_to_end(server: RecordingServer, raw: bytes) -> bytes:
    """Send bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


def test_a_chunked_reply_is_framed_in_chunks(server):
    server.answer(Reply(200, b"abcdefghij", [("Content-Type", "text/plain")], chunk_size=4))

    answer = read_to_end(server, b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert body == b"4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n"


def test_hang_up_closes_the_connection_without_a_connection_header(server):
    server.answer(Reply(200, b"bye", hang_up=True))

    # The client asks for keep-alive; the server closes anyway, unannounced.
    answer = read_to_end(server, b"GET /h HTTP/1.1\r\nHost: x\r\n\r\n")

    assert answer.endswith(b"bye")
    assert b"Connection: close" not in answer
