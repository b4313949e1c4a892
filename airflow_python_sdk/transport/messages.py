"""What crosses the transport seam: a request ready to send, the call's options, the answer.

These are the SDK's own objects: whatever a transport learns (how many attempts a call took,
where its answer came from) is a field here, never an attribute set on a library's object.
A `Request` never holds a header that cannot be sent: http.client would refuse a value with CR,
LF or NUL, or one outside Latin-1, with an error that quotes the value, which may be a
credential; a `Request` refuses it by name instead, before any transport sees it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Protocol, Union
from urllib.parse import urlencode

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._internal.redaction import redact_url

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = ["FROM_CONFIGURATION", "Request", "Response", "SendOptions", "Transport", "encode_body"]

# Latin-1 without the control characters that end or split a header line (HTAB is allowed);
# the characters of a header name (RFC 9110's token). A text is made only of them when nothing
# is left once they are stripped (cheaper to set up than a regular expression, as fast to use).
_SENDABLE_VALUE = "\t" + "".join(map(chr, [*range(0x20, 0x7F), *range(0x80, 0x100)]))
_SENDABLE_NAME = "!#$%&'*+.^_`|~-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class _FromConfiguration:
    """The type of `FROM_CONFIGURATION`."""

    def __repr__(self) -> str:
        return "FROM_CONFIGURATION"


# A send option left to the transport's own configuration (for transports used on their own).
FROM_CONFIGURATION: Any = _FromConfiguration()


class Request:
    """One HTTP request ready to send: the full URL (query included) and the body as bytes.

    `display_url` is what messages and logs show (no query, no password).
    """

    __slots__ = ("body", "display_url", "headers", "method", "url")

    def __init__(self, method: str, url: str, headers: Optional[Mapping[str, str]] = None,
                 body: Optional[bytes] = None, display_url: Optional[str] = None) -> None:
        self.method = method.upper()
        self.url = url
        self.headers: dict[str, str] = dict(headers or {})
        check_headers(self.headers)
        self.body = body
        self.display_url = display_url if display_url is not None else url.split("?", 1)[0]

    def json(self) -> Any:
        """The body parsed as JSON (None when there is none): handy in a mock's handler."""
        return None if not self.body else json.loads(self.body)

    def __repr__(self) -> str:
        return f"Request({self.method} {self.display_url})"


class SendOptions:
    """How one request is sent: read the body at once or leave it as a stream, the timeout
    (None: the transport's configuration's), the retry policy (None: the configuration's),
    whether redirects are followed (never for a request whose body holds credentials: a 307 or
    308 would send it on, to wherever the server says), and the largest answer to read
    (`FROM_CONFIGURATION`: the transport's configuration's; None: no bound).

    The client resolves every option from its configuration before it sends, so that the
    transport reads no settings per call."""

    __slots__ = ("follow_redirects", "max_answer_bytes", "preload", "retries", "timeout")

    def __init__(self, preload: bool = True, timeout: Timeout = None,
                 retries: Union[int, Retry, None] = None, *,
                 follow_redirects: bool = True,
                 max_answer_bytes: Optional[int] = FROM_CONFIGURATION) -> None:
        self.preload = preload
        self.timeout = timeout
        self.retries = retries
        self.follow_redirects = follow_redirects
        self.max_answer_bytes = max_answer_bytes


class Response:
    """The answer to a request, whatever its status.

    `data` is the whole body when it was read (error answers always are); `stream` is the
    unread answer otherwise, an object with `read()`, `stream()` and `release_conn()`.
    `attempts` counts the requests made for it, retries included. `url` is the URL asked,
    with any password in it redacted (a plain attribute: the models read from an answer keep it,
    for the errors of the values they decode when first read).
    """

    __slots__ = ("attempts", "data", "headers", "method", "reason", "status", "stream", "url")

    def __init__(self, status: int, headers: Optional[Mapping[str, str]] = None,
                 data: Optional[bytes] = b"", *, reason: Optional[str] = None,
                 stream: Any = None, attempts: int = 1, method: str = "GET",
                 url: str = "") -> None:
        self.status = status
        self.reason = reason
        # Kept as given: urllib3's headers are case-insensitive, and so are the mock's.
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.data = data
        self.stream = stream
        self.attempts = attempts
        self.method = method
        self.url = redact_url(url)

    def getheaders(self) -> Mapping[str, str]:
        """All headers (the original client's name)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header, or `default`."""
        return self.headers.get(name, default)

    def __repr__(self) -> str:
        return f"Response({self.status} for {self.method} {self.url})"


class Transport(Protocol):
    """Sends requests. Answers every status as a `Response`; raises `ApiConnectionError` (or
    `ApiTimeoutError`) when no answer came."""

    def handle(self, request: Request, options: SendOptions) -> Response: ...

    def close(self) -> None: ...


def encode_body(body: Any, headers: dict[str, str],
                form: Optional[Sequence[tuple[Any, Any]]] = None) -> Optional[bytes]:
    """A request body as bytes; JSON-ready values become JSON and form fields an urlencoded
    form, each with its Content-Type unless `headers` already names one."""
    if body is not None:
        if isinstance(body, bytes):
            return body  # as it is: a subclass may keep its secret out of reprs
        if isinstance(body, bytearray):
            return bytes(body)
        if isinstance(body, str):
            return body.encode()
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    if form:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode([(str(name), str(value)) for name, value in form]).encode()
    return None


def check_headers(headers: Mapping[str, str]) -> None:
    """`ApiValueError` naming the first header that cannot be sent as it is."""
    for name, value in headers.items():
        if not isinstance(name, str) or not name or name.strip(_SENDABLE_NAME):
            shown = repr(name)[:60]
            raise ApiValueError(f"The header name {shown} is not a valid HTTP header name; "
                                "nothing was sent", path_to_item=["headers"])
        if isinstance(value, str) and value.strip(_SENDABLE_VALUE):
            # The value is not quoted: it may be a credential.
            raise ApiValueError(
                f"The header {name!r} has characters no HTTP header can carry (CR, LF, NUL, other "
                "control characters, or letters outside Latin-1); nothing was sent",
                path_to_item=["headers", name],
            )
