"""A minimal threaded HTTP/1.1 keep-alive server that answers canned bytes.

It runs in its own process so the client under test never shares a GIL with it, and it does
as little as possible per request (no header objects, no logging) so that it is not what the
end-to-end figures measure. Only 127.0.0.1 is bound.

Routes under /api/v1/dags/{dag_id}/taskInstances/{task_id}/{execution_date}:
  GET, PATCH -> the canned task instance; DELETE -> 204; GET .../links -> extra links;
  GET .../logs/{n} -> a log of n - 1 MiB (n = 1 gives a few kilobytes, fixtures.log_try_number),
  JSON unless the Accept header asks for text/plain first. The try number picks the size so
  one server serves all;
  log_answers.py says how continuation tokens and chunks work.
GET /api/v1/dags/paging_{total}/taskInstances?limit=&offset= -> a page of a list of `total`
  task instances (task_instance_pages.py).

Usage: python server.py [--delay-ms 20] [--log-chunk-mib 1] [--max-seconds 1800]
It prints "PORT <n>" on its first line, then serves until stdin closes or the time is up.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from urllib.parse import parse_qs

import fixtures
import log_answers
import task_instance_pages

MAX_HEADER_LINES = 100
IDLE_TIMEOUT_S = 120.0
# Set by --log-chunk-mib: the most log lines one JSON answer carries (0: the whole log).
LOG_CHUNK_LINES = 0

_TI_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
    fixtures.TASK_INSTANCE_BYTES
)
TI_ANSWER = _TI_HEAD + fixtures.TASK_INSTANCE_BYTES
_LINKS = (
    b'{"extra_links": [{"class_ref": {"module_path": "airflow.operators.bash", '
    b'"class_name": "BashOperator"}, "name": "Logs", "href": "http://127.0.0.1/logs"}]}'
)
LINKS_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
    % (len(_LINKS), _LINKS)
)
NO_CONTENT = b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
NOT_FOUND_BODY = b'{"status": 404, "title": "Not found", "type": "about:blank", "detail": null}'
NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n"
    b"Content-Length: %d\r\n\r\n%s" % (len(NOT_FOUND_BODY), NOT_FOUND_BODY)
)


def _send_log(conn: socket.socket, try_number: bytes, query: bytes, accept: bytes) -> None:
    mib = fixtures.log_mib(int(try_number)) if try_number.isdigit() else 0
    total = fixtures.lines_for(mib * fixtures.MIB) if mib else fixtures.LOG_BLOCK_LINES // 16
    if accept.lstrip().startswith(b"text/plain"):
        kind = b"text/plain; charset=utf-8"
        length, pieces = log_answers.text_answer(total)
    else:
        kind = b"application/json"
        token = parse_qs(query.decode("ascii", "replace")).get("token", [None])[0]
        length, pieces = log_answers.json_answer(total, token, LOG_CHUNK_LINES)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (kind, length)
    )
    for piece in pieces:
        conn.sendall(piece)


def _send_page(conn: socket.socket, dag_id: bytes, query: bytes) -> None:
    total = task_instance_pages.total_of(dag_id)
    if total is None:
        conn.sendall(NOT_FOUND)
        return
    body = task_instance_pages.page_answer(total, query)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        % len(body) + body
    )


def _answer(conn: socket.socket, method: bytes, target: bytes, accept: bytes) -> None:
    path, _, query = target.partition(b"?")
    parts = path.split(b"/")
    # ['', 'api', 'v1', 'dags', dag, 'taskInstances', task, date, ('links' | 'logs', n)?]
    if len(parts) == 6 and parts[5] == b"taskInstances":
        _send_page(conn, parts[4], query)
    elif len(parts) < 8 or parts[5] != b"taskInstances":
        conn.sendall(NOT_FOUND)
    elif len(parts) == 8:
        conn.sendall(NO_CONTENT if method == b"DELETE" else TI_ANSWER)
    elif parts[8] == b"links":
        conn.sendall(LINKS_ANSWER)
    elif parts[8] == b"logs" and len(parts) == 10:
        _send_log(conn, parts[9], query, accept)
    else:
        conn.sendall(NOT_FOUND)


def _serve_connection(conn: socket.socket, delay_s: float) -> None:
    conn.settimeout(IDLE_TIMEOUT_S)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rfile = conn.makefile("rb", buffering=65536)
    try:
        while True:
            request_line = rfile.readline(65536)
            if not request_line:
                return
            method, path, _ = request_line.split(b" ", 2)
            length = 0
            accept = b""
            close = False
            for _ in range(MAX_HEADER_LINES):
                line = rfile.readline(65536)
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"accept":
                    accept = value
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                rfile.read(length)
            if delay_s:
                time.sleep(delay_s)
            _answer(conn, method, path, accept)
            if close:
                return
    except (OSError, ValueError):
        return
    finally:
        rfile.close()
        conn.close()


def _accept_loop(listener: socket.socket, delay_s: float, deadline: float) -> None:
    listener.settimeout(1.0)
    while time.monotonic() < deadline:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        except OSError:
            return
        threading.Thread(target=_serve_connection, args=(conn, delay_s), daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    parser.add_argument("--log-chunk-mib", type=float, default=0.0)
    args = parser.parse_args()
    global LOG_CHUNK_LINES
    if args.log_chunk_mib > 0:
        LOG_CHUNK_LINES = fixtures.lines_for(int(args.log_chunk_mib * fixtures.MIB))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    deadline = time.monotonic() + args.max_seconds
    threading.Thread(
        target=_accept_loop, args=(listener, args.delay_ms / 1000.0, deadline), daemon=True
    ).start()
    # Serve until the parent closes our stdin (or dies) or the time limit passes.
    while time.monotonic() < deadline:
        if not sys.stdin.readline():
            break
    listener.close()


if __name__ == "__main__":
    main()
