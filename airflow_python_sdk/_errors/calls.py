"""Errors a call to the server ends with: an error status, no answer, or an answer that cannot
be read. Whoever raises an error status parses its problem body and passes it in as `error`;
every exception survives `pickle` and `copy` with its status, reason, body and headers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Union

from airflow_python_sdk._errors.values import (
    ApiTypeError,
    ApiValueError,
    OpenApiException,
    PathToItem,
)
from airflow_python_sdk._internal.headers import Headers

if TYPE_CHECKING:
    from airflow_python_sdk.model.error import Error

__all__ = [
    "AmbiguousRunException",
    "AnswerTooLargeError",
    "ApiConnectionError",
    "ApiException",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestException",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "PagesChangedException",
    "ResponseTypeError",
    "ResponseValueError",
    "RunNotFoundException",
    "ServiceException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "UnsupportedOperationException",
    "exception_for_status",
]

# How much of a body an error message quotes: enough to recognise it, too little to flood a log.
_EXCERPT_CHARS = 200
# How much of a problem's detail a message quotes.
_DETAIL_CHARS = 1000


class ApiException(OpenApiException):
    """A call to the server failed: an error status, a broken connection or an unreadable answer.

    `status` is the HTTP status (0 when no answer came), `body` the answer's text, `headers` its
    headers, and `error` the body parsed as an RFC 7807 problem (`Error`) when it is one
    (parsed by whoever raised the exception, and given as `error`).
    """

    def __init__(
        self,
        status: Optional[int] = None,
        reason: Optional[str] = None,
        body: Union[str, bytes, None] = None,
        headers: Optional[Mapping[str, str]] = None,
        *,
        http_resp: Any = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        attempts: Optional[int] = None,
        error: Optional[Error] = None,
    ) -> None:
        if http_resp is not None:
            status = http_resp.status if status is None else status
            reason = http_resp.reason if reason is None else reason
            body = http_resp.data if body is None else body
            headers = http_resp.headers if headers is None else headers
        if isinstance(body, (bytes, bytearray)):
            body = bytes(body).decode("utf-8", errors="replace")
        self.status = status if status is not None else 0
        self.reason = reason
        self.body: Optional[str] = body
        # Header names are case-insensitive (RFC 9110): e.headers["retry-after"] must work.
        self.headers: Mapping[str, str] = Headers(headers or {})
        self.method = method
        self.url = url
        self.attempts = attempts
        # Dialects replace it by the normalized problem of servers with other error shapes.
        self.error: Optional[Error] = error
        Exception.__init__(self, self.status, reason)

    def _problem_text(self) -> str:
        problem = self.error
        if problem is None:
            return _excerpt(self.body)
        parts = [str(problem.get("title") or "")]
        detail = problem.get("detail")
        if detail is None:
            detail = problem.get("details")
        if detail not in (None, ""):
            parts.append(_cut(detail if isinstance(detail, str) else _json_text(detail)))
        return ": ".join(part for part in parts if part)

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        status = f"{self.status} {self.reason or ''}".strip() if self.status else "no answer"
        text = f"{where}: {status}" if where else status
        problem = self._problem_text()
        if problem:
            text += f": {problem}"
        if self.attempts and self.attempts > 1:
            text += f" (after {self.attempts} attempts)"
        return text


class ApiStatusError(ApiException):
    """The server answered with an error status (`status`): `except ApiStatusError` catches
    every such answer, and none of the failures where no answer came."""


class BadRequestException(ApiStatusError):
    """400: the server rejected an argument."""


class UnauthorizedException(ApiStatusError):
    """401: missing or wrong credentials."""


class ForbiddenException(ApiStatusError):
    """403: the credentials are not allowed to do this."""


class NotFoundException(ApiStatusError):
    """404: no such DAG, run or task instance."""


class RunNotFoundException(NotFoundException):
    """No DAG run has the execution date asked for: a 404 the SDK concludes itself."""


class UnsupportedOperationException(ApiException):
    """The server has no endpoint for this operation; raised before anything is sent.

    Its status is 405, what the server itself answers to such a request, so that handlers written
    for `ApiException` see a familiar status.
    """

    def __init__(self, operation: str, server: str, detail: str, *,
                 error: Optional[Error] = None) -> None:
        problem = {
            "type": "about:blank",
            "title": f"{operation} is not supported by {server}",
            "status": 405,
            "detail": detail,
        }
        ApiException.__init__(self, 405, "Not supported by the server", json.dumps(problem),
                              {"Content-Type": "application/problem+json"}, error=error)
        self.operation = operation
        self.server = server


class ConflictException(ApiStatusError):
    """409: the request conflicts with the resource's current state."""


class AmbiguousRunException(ConflictException, ApiValueError):
    """Several DAG runs have the execution date a task instance was addressed by (possible on
    Airflow 3): a 409 the SDK concludes itself, since acting on either run could be wrong.

    Also an `ApiValueError`, which is what this situation raised before it was an API error.
    """


class UnprocessableEntityException(ApiStatusError):
    """422: the server understood the request but cannot process its content."""


class TooManyRequestsException(ApiStatusError):
    """429: the server asks the client to slow down."""


class ServiceException(ApiStatusError):
    """5xx: the server failed."""


class AnswerTooLargeError(ApiException):
    """The answer's body is larger than `Configuration.max_answer_bytes` (decoded size
    included); reading stopped at the limit. `status` is the answer's, `limit` the bound."""

    def __init__(self, limit: int, *, status: int = 0, method: Optional[str] = None,
                 url: Optional[str] = None) -> None:
        ApiException.__init__(self, status, "answer too large", method=method, url=url)
        self.limit = limit

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        text = (f"the answer is larger than max_answer_bytes ({self.limit} bytes); reading "
                "stopped there (Configuration.max_answer_bytes sets the bound)")
        return f"{where}: {text}" if where else text


class ApiConnectionError(ApiException):
    """No answer: the connection could not be made or broke before the answer was complete."""

    def __init__(self, message: str, *, method: Optional[str] = None, url: Optional[str] = None,
                 attempts: Optional[int] = None) -> None:
        ApiException.__init__(self, 0, message, method=method, url=url, attempts=attempts)
        self.message = message

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.attempts and self.attempts > 1:
            text += f" (after {self.attempts} attempts)"
        return text


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer within the request's timeout."""


class ResponseTypeError(ApiException, ApiTypeError):
    """A 2xx answer whose JSON does not have the types the spec promises."""

    def __init__(self, cause: ApiTypeError, *, status: int, body: Union[str, bytes, None],
                 method: Optional[str] = None, url: Optional[str] = None) -> None:
        ApiException.__init__(self, status, "unexpected answer", body, method=method, url=url)
        # ApiTypeError's fields, set here: its __init__ would take the message for the status.
        self.path_to_item = cause.path_to_item
        self.valid_classes = cause.valid_classes
        self.key_type = cause.key_type
        self.cause_message = str(cause)
        self.args = (self.cause_message,)

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        return (f"{where}: {self.status} answer does not match the spec: {self.cause_message}; "
                "body: " + _excerpt(self.body, empty="(empty)"))


class ResponseValueError(ApiException, ApiValueError):
    """A 2xx answer whose body is not JSON, is empty or truncated, or holds unusable values."""

    def __init__(self, message: str, *, status: int, body: Union[str, bytes, None],
                 path_to_item: Optional[PathToItem] = None, method: Optional[str] = None,
                 url: Optional[str] = None) -> None:
        ApiException.__init__(self, status, "unreadable answer", body, method=method, url=url)
        # ApiValueError's field, set here: its __init__ would take the message for the status.
        self.path_to_item = list(path_to_item) if path_to_item else None
        self.message = message
        self.args = (message,)

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        return f"{where}: {self.status} answer cannot be read: {self.message}; body: " + _excerpt(
            self.body, empty="(empty)"
        )


class PagesChangedException(ApiException):
    """The list changed while its pages were read, so not every item could be yielded.

    `expected` is the number of items the first page reported, `yielded` how many were yielded
    before the change was noticed; `str(e)` says what changed. The walk that raises it passes
    its problem parsed as `error` (`paging.pages_changed`), as for every status error.
    """

    def __init__(self, operation: str, detail: str, *, expected: Optional[int],
                 yielded: int, error: Optional[Error] = None) -> None:
        problem = {
            "type": "about:blank",
            "title": f"{operation}: the list changed while its pages were read",
            "status": 409,
            "detail": detail,
        }
        super().__init__(409, "Pages changed", json.dumps(problem),
                         {"Content-Type": "application/problem+json"}, error=error)
        self.operation = operation
        self.expected = expected
        self.yielded = yielded


_BY_STATUS: dict[int, type[ApiStatusError]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    422: UnprocessableEntityException,
    429: TooManyRequestsException,
}


def exception_for_status(status: int) -> type[ApiStatusError]:
    """The exception class for an HTTP error status."""
    if 500 <= status <= 599:
        return ServiceException
    return _BY_STATUS.get(status, ApiStatusError)


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value)
    except (ValueError, TypeError, RecursionError):
        return repr(type(value))


def _cut(text: str) -> str:
    # A server's detail is quoted whole up to a point: a megabyte of it is not a message.
    return text if len(text) <= _DETAIL_CHARS else text[:_DETAIL_CHARS] + "..."


def _excerpt(body: Optional[str], empty: str = "") -> str:
    text = " ".join((body or "").split())
    if not text:
        return empty if not body else "(blank)"
    return text if len(text) <= _EXCERPT_CHARS else text[:_EXCERPT_CHARS] + "..."
