"""HTTP/1.1 plumbing: reads requests, applies faults, writes responses, keeps connections alive."""

from __future__ import annotations

import sys
import traceback
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Optional
from urllib.parse import SplitResult, parse_qs, urlsplit

from airflow_python_sdk._internal.reason_phrases import reason_phrase

from .auth import decode_basic
from .faults import DropConnection, FailWith, FaultPlan
from .operations import Reply, Request
from .problems import PROBLEM_CONTENT_TYPE, ApiProblem
from .request_log import RecordedRequest

if TYPE_CHECKING:
    from .server import LoopbackHttpServer

MAX_BODY_BYTES = 1 << 20


class ApiRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    server_version = "AirflowEmbeddedApi/1"
    timeout = 30.0  # an idle kept-alive connection is closed after this long
    server: LoopbackHttpServer

    def do_GET(self) -> None:
        self._handle()

    do_PATCH = do_DELETE = do_POST = do_PUT = do_HEAD = do_OPTIONS = do_TRACE = do_GET

    def _handle(self) -> None:
        if self.server.state.stopping.is_set():
            # A stopping server answers nothing more, also on connections kept alive: a client
            # must see it go away, not a few more answers while it shuts down.
            self.close_connection = True
            return
        target = urlsplit(self.path)
        plan = self.server.state.faults.take()
        reply = self._reply(target, plan)
        dropped = isinstance(plan.fault, DropConnection)
        # Recorded before the client can read the answer, so a test that got its response
        # always finds the request in the log.
        credentials = decode_basic(self.headers.get("Authorization"))
        self.server.state.request_log.record(
            RecordedRequest(
                method=self.command,
                path=target.path,
                query=target.query,
                status=None if dropped else reply.status,
                user=credentials[0] if credentials else None,
            )
        )
        self._write(reply, drop=dropped)

    def _reply(self, target: SplitResult, plan: FaultPlan) -> Reply:
        try:
            body = self._read_body()
        except ApiProblem as problem:
            self.close_connection = True  # the rest of the body is still in the stream
            return _problem_reply(problem)
        if plan.delay:
            self.server.state.stopping.wait(plan.delay)
        if isinstance(plan.fault, FailWith):
            return _problem_reply(_injected_failure(plan.fault))
        request = Request(
            method=self.command,
            path=target.path,
            query=parse_qs(target.query, keep_blank_values=True),
            authorization=self.headers.get("Authorization"),
            accept=self.headers.get("Accept"),
            body=body,
        )
        return self._answer(request)

    def _answer(self, request: Request) -> Reply:
        try:
            return self.server.state.operations.handle(request)
        except ApiProblem as problem:
            return _problem_reply(problem)
        except Exception:
            # A bug in the server must not look like an Airflow answer; say so loudly.
            traceback.print_exc(file=sys.stderr)
            return _problem_reply(ApiProblem(500, "The embedded server failed; see its stderr."))

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise ApiProblem(411, "Send the body with a Content-Length, not chunked.")
        length_header = self.headers.get("Content-Length", "0")
        try:
            length = int(length_header)
        except ValueError:
            raise ApiProblem(400, f"Content-Length {length_header!r} is not a number.") from None
        if length < 0:
            raise ApiProblem(400, "Content-Length may not be negative.")
        if length > MAX_BODY_BYTES:
            raise ApiProblem(413, f"Bodies over {MAX_BODY_BYTES} bytes are refused.")
        return self.rfile.read(length) if length else b""

    def _write(self, reply: Reply, drop: bool) -> None:
        lines = [f"{self.protocol_version} {reply.status} {_phrase(reply.status)}"]
        lines.append(f"Server: {self.version_string()}")
        lines.append(f"Date: {self.date_time_string()}")
        if reply.status != 204:
            if reply.content_type:
                lines.append(f"Content-Type: {reply.content_type}")
            lines.append(f"Content-Length: {len(reply.body)}")
        lines.extend(f"{name}: {value}" for name, value in reply.headers.items())
        if self.close_connection or drop:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        body = b"" if self.command == "HEAD" or reply.status == 204 else reply.body
        raw = head + body
        if drop:
            # Cut inside the body when there is one, else inside the status line: headers cut
            # short would still parse as a complete bodiless response.
            raw = raw[: len(head) + len(body) // 2] if body else head[: head.index(b" ") + 2]
            self.close_connection = True
        self.wfile.write(raw)
        self.wfile.flush()
        if self.server.state.verbose:
            self.log_request(reply.status)

    def send_error(
        self, code: int, message: Optional[str] = None, explain: Optional[str] = None
    ) -> None:
        """Errors http.server detects itself (bad request line, unknown method) as problems too."""
        self.close_connection = True
        self._write(_problem_reply(ApiProblem(code, explain or message)), drop=False)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.state.verbose:
            super().log_message(format, *args)


def _phrase(status: int) -> str:
    return reason_phrase(status, "Unknown") or "Unknown"


def _problem_reply(problem: ApiProblem) -> Reply:
    return Reply(problem.status, problem.body(), PROBLEM_CONTENT_TYPE, problem.headers)


def _injected_failure(fault: FailWith) -> ApiProblem:
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return ApiProblem(
        fault.status, "Failure injected by server.faults.fail_next().", headers=headers
    )
