"""The transport: the one layer that talks to the network, and the only one that knows urllib3.

A transport takes a `Request` and `SendOptions` and answers a `Response` (any status), or raises
`ApiConnectionError`/`ApiTimeoutError` when no answer came. `Urllib3Transport` is the real one:
pools, TLS, proxies, redirects (credentials dropped across hosts, see retry.py), timeouts and the
whole-answer deadline (deadline.py, watchdog.py), retries with backoff and `Retry-After`
(retry.py), and the mapping of urllib3's and the socket's errors (failures.py).
Error statuses are answers like any other: the layer above raises their exceptions
(dialects/problems.py). `airflow_python_sdk.testing.MockTransport` answers from a function
instead, for unit tests.
"""

from airflow_python_sdk.transport.messages import (
    Request,
    Response,
    SendOptions,
    Transport,
    encode_body,
)
from airflow_python_sdk.transport.urllib3_transport import (
    Urllib3Transport,
    stream_pieces,
    unread_answer,
)

__all__ = [
    "Request",
    "Response",
    "SendOptions",
    "Transport",
    "Urllib3Transport",
    "encode_body",
    "stream_pieces",
    "unread_answer",
]
