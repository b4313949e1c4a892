"""A transport that answers from a function: unit tests of code built on the SDK, no socket.

    from airflow_python_sdk import ApiClient, Configuration
    from airflow_python_sdk.testing import MockTransport, json_response

    def handler(request):
        assert request.method == "GET"
        return json_response({"dag_id": "etl", "task_id": "load", "state": "success"})

    client = ApiClient(Configuration(host="http://airflow.test/api/v1"),
                       transport=MockTransport(handler))

Everything above the transport runs as it does against a server: argument checks, dialects,
error statuses raised as their exceptions, answers read as models. What a real network does
(connections, timeouts, retries, redirects) is the urllib3 transport's and is not simulated:
test those against the embedded server (`AirflowApiServer`), which can misbehave on demand.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any, Callable, Optional

from airflow_python_sdk._internal.headers import Headers
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk.transport import Request, Response, SendOptions, unread_answer

__all__ = ["Handler", "MockTransport", "json_response"]

Handler = Callable[[Request], Response]


def json_response(document: Any, status: int = 200,
                  headers: Optional[Mapping[str, str]] = None) -> Response:
    """An answer whose body is `document` as JSON."""
    sent = {"Content-Type": "application/json"}
    sent.update(headers or {})
    return Response(status, sent, json.dumps(document).encode())


class MockTransport:
    """Answers each request with `handler(request)`; keeps every request in `requests`, its
    URL without the password of a host URL (`user:***@host`).

    The handler may also raise, e.g. `ApiTimeoutError`, to play a server that never answers.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.closed = False
        self._lock = threading.Lock()

    def handle(self, request: Request, options: SendOptions) -> Response:
        # As the urllib3 transport shows it: a password in the host URL never reaches a
        # message, a recorded request or the handler (the credentials are in the headers).
        request = Request(request.method, redact_url(request.url), request.headers,
                          request.body, display_url=redact_url(request.display_url))
        with self._lock:
            self.requests.append(request)
        answer = self.handler(request)
        headers = Headers(answer.headers)
        data = answer.data or b""
        streamed = not options.preload and 200 <= answer.status <= 299
        return Response(
            answer.status,
            headers,
            None if streamed else data,
            reason=answer.reason,
            # An unread answer reads as the urllib3 transport's does: read(), stream(), ...
            stream=unread_answer(data, headers, answer.status) if streamed else None,
            attempts=answer.attempts,
            method=request.method,
            url=request.display_url,
        )

    def close(self) -> None:
        self.closed = True
