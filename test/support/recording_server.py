"""A recording HTTP/1.1 server on 127.0.0.1 for tests that talk to the SDK over real sockets.

Each request is recorded exactly as it came off the wire (method, raw request-target, query,
headers, body, the client's port) and answered the way the test scripted it: a queue of
`Reply` objects consumed in order, then an optional handler function, then a 500 problem that
says nothing was scripted (so a forgotten answer fails loudly instead of hanging).

`never_answer=True` makes the server accept and read each request, record it, and then say
nothing until it stops: the way to prove that a client timeout really fires. With an
`ssl_context` it serves HTTPS and records the client certificate, if one was presented.

The server keeps connections alive (HTTP/1.1), serves each connection on its own thread and
is a context manager; stopping it closes every open connection, so no client can hang on it.
"""

from __future__ import annotations

import collections
import contextlib
import http.client
import http.server
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

# A connection thread gives up on an idle keep-alive socket after this long, so that even a
# server that is never stopped cannot keep threads forever.
IDLE_CONNECTION_TIMEOUT_S = 30.0
THREAD_NAME_PREFIX = "recording-server"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it; nothing is decoded unless a method says so."""

    method: str
    target: str  # the request-target exactly as sent (origin-form, or absolute-form via a proxy)
    path: str  # the raw path of the target, still percent-encoded
    query: str  # the raw query string, without "?"
    headers: http.client.HTTPMessage  # case-insensitive `.get()`, keeps duplicates
    body: bytes
    client_port: int
    http_version: str
    # With TLS: the client's certificate as `ssl.SSLSocket.getpeercert()` gives it, if it sent one.
    client_certificate: Optional[Dict[str, Any]] = None

    @property
    def query_params(self) -> Dict[str, List[str]]:
        """The query decoded the way a server framework would (blank values kept)."""
        return parse_qs(self.query, keep_blank_values=True, strict_parsing=False)

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def path_segments(self) -> List[str]:
        """The raw path split on "/", without the empty segment before the leading slash."""
        return self.path.split("/")[1:]


@dataclass
class Reply:
    """An answer to send: status, headers (in order, duplicates allowed), body, optional delay."""

    status: int = 200
    body: bytes = b""
    headers: List[Tuple[str, str]] = field(default_factory=list)
    delay_s: float = 0.0  # wait this long before answering (bounded by the server's lifetime)
    close: bool = False  # ask the client to close the connection after this answer
    hang_up: bool = False  # close the connection after this answer without saying so first
    chunk_size: int = 0  # > 0: send the body with Transfer-Encoding: chunked, in such pieces
    drop: bool = False  # close the connection without answering at all

    @classmethod
    def json(
        cls,
        payload: Any,
        status: int = 200,
        content_type: str = "application/json",
        headers: Optional[List[Tuple[str, str]]] = None,
        delay_s: float = 0.0,
    ) -> Reply:
        body = json.dumps(payload).encode("utf-8")
        return cls(status, body, [("Content-Type", content_type), *(headers or [])], delay_s)

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        content_type: str = "text/plain; charset=utf-8",
        headers: Optional[List[Tuple[str, str]]] = None,
        delay_s: float = 0.0,
    ) -> Reply:
        all_headers = [("Content-Type", content_type), *(headers or [])]
        return cls(status, text.encode("utf-8"), all_headers, delay_s)

    @classmethod
    def no_content(cls, headers: Optional[List[Tuple[str, str]]] = None) -> Reply:
        return cls(204, b"", list(headers or []))


Handler = Callable[[RecordedRequest], Reply]


def _nothing_scripted(request: RecordedRequest) -> Reply:
    problem = {
        "type": "about:blank",
        "title": "Recording server: no answer scripted",
        "status": 500,
        "detail": f"{request.method} {request.target}",
    }
    return Reply.json(problem, status=500, content_type="application/problem+json")


class _RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client or a Reply says otherwise
    timeout = IDLE_CONNECTION_TIMEOUT_S
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body would wait
    # for the client's delayed ACK (about 40 ms) on every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the recording is the log; stderr noise would only hide test output

    def _client_certificate(self) -> Optional[Dict[str, Any]]:
        getpeercert = getattr(self.connection, "getpeercert", None)
        return (getpeercert() or None) if getpeercert else None

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # Trailer lines end with an empty line.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle_any(self) -> None:
        # The request line as sent: http.server rewrites a leading "//" in self.path.
        raw_target = self.requestline.split(" ")[1] if " " in self.requestline else self.path
        if raw_target.startswith("/"):
            raw_path, _, raw_query = raw_target.partition("?")
        else:
            parts = urlsplit(raw_target)
            raw_path, raw_query = parts.path, parts.query
        request = RecordedRequest(
            method=self.command,
            target=raw_target,
            path=raw_path,
            query=raw_query,
            headers=self.headers,
            body=self._read_body(),
            client_port=self.client_address[1],
            http_version=self.request_version,
            client_certificate=self._client_certificate(),
        )
        owner = self.server.owner
        owner._record(request)
        if owner.never_answer:
            owner._stopping.wait()
            self.close_connection = True
            return
        reply = owner._reply_for(request)
        if (reply.delay_s and owner._stopping.wait(reply.delay_s)) or reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        names = {name.lower() for name, _ in reply.headers}
        for name, value in reply.headers:
            self.send_header(name, value)
        no_body_allowed = reply.status in (204, 304) or 100 <= reply.status < 200
        chunked = reply.chunk_size > 0 and not no_body_allowed
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not no_body_allowed and "content-length" not in names:
            self.send_header("Content-Length", str(len(reply.body)))
        if reply.close:
            self.send_header("Connection", "close")
        if reply.close or reply.hang_up:
            self.close_connection = True  # never cleared: the client may have asked to close
        self.end_headers()
        if chunked:
            for start in range(0, len(reply.body), reply.chunk_size):
                piece = reply.body[start : start + reply.chunk_size]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif reply.body and not no_body_allowed and self.command != "HEAD":
            self.wfile.write(reply.body)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle_any


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # joined explicitly, with a bound, in RecordingServer.stop()
    owner: RecordingServer

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"{THREAD_NAME_PREFIX}-conn-{client_address[1]}",
            daemon=True,
        )
        self.owner._track(request, thread)
        thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up, time out or refuse the TLS certificate are what several tests
        # provoke on purpose; a traceback on stderr for each would only be noise.
        pass


class RecordingServer:
    """A recording HTTP/1.1 server on 127.0.0.1; use it as a context manager."""

    def __init__(
        self,
        handler: Optional[Handler] = None,
        never_answer: bool = False,
        ssl_context: Optional[ssl.SSLContext] = None,
    ) -> None:
        self.handler = handler
        self.never_answer = never_answer
        self.ssl_context = ssl_context  # serve HTTPS with this server-side context
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._requests: List[RecordedRequest] = []
        self._scripted: Deque[Reply] = collections.deque()
        self._connections: List[Tuple[socket.socket, threading.Thread]] = []
        self._stopping = threading.Event()
        self._server: Optional[_Server] = None
        self._serve_thread: Optional[threading.Thread] = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> RecordingServer:
        server = _Server(("127.0.0.1", 0), _RequestHandler)
        server.owner = self
        if self.ssl_context is not None:
            # The handshake happens on the connection's thread (first read), so a client that
            # never completes it cannot block the accepting thread.
            server.socket = self.ssl_context.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        self._server = server
        self._serve_thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},  # how long stop() waits for the accept loop
            name=f"{THREAD_NAME_PREFIX}-accept",
            daemon=True,
        )
        self._serve_thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        if self._server is None:
            return
        self._stopping.set()  # releases handlers that never answer or are delaying
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for sock, _ in connections:
            with contextlib.suppress(OSError):  # already closed by the client or the handler
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout_s
        for _, thread in connections:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._server.server_close()
        if self._serve_thread is not None:
            self._serve_thread.join(max(0.0, deadline - time.monotonic()))
        self._server = None

    def __enter__(self) -> RecordingServer:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # -- what a test uses -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "the server is not running"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The server's base URL, without a trailing slash."""
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def answer(self, *replies: Reply) -> None:
        """Queue answers, used one per request in order before the handler is consulted."""
        with self._lock:
            self._scripted.extend(replies)

    @property
    def requests(self) -> List[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def last(self) -> RecordedRequest:
        requests = self.requests
        assert requests, "the server received no request"
        return requests[-1]

    def wait_for_requests(self, count: int, timeout_s: float = 5.0) -> List[RecordedRequest]:
        """Wait until at least `count` requests arrived; fail after `timeout_s`."""
        with self._arrived:
            ok = self._arrived.wait_for(lambda: len(self._requests) >= count, timeout_s)
            got = list(self._requests)
        assert ok, f"expected {count} request(s) within {timeout_s}s, got {len(got)}"
        return got

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._scripted.clear()

    # -- called from connection threads ---------------------------------------------------------
    def _record(self, request: RecordedRequest) -> None:
        with self._arrived:
            self._requests.append(request)
            self._arrived.notify_all()

    def _reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            scripted = self._scripted.popleft() if self._scripted else None
        if scripted is not None:
            return scripted
        if self.handler is None:
            return _nothing_scripted(request)
        try:
            return self.handler(request)
        except Exception as error:  # a broken handler must show up as an answer, not a hang
            problem = {"title": "Recording server: handler failed", "detail": repr(error)}
            return Reply.json(problem, status=500, content_type="application/problem+json")

    def _track(self, sock: socket.socket, thread: threading.Thread) -> None:
        with self._lock:
            self._connections = [(s, t) for s, t in self._connections if t.is_alive()]
            self._connections.append((sock, thread))
