"""The SDK's errors for requests that got no answer: urllib3's and the socket's failures.

Every way a call can fail below HTTP ends as `ApiTimeoutError` when an answer did not come (or
did not complete) in time, and `ApiConnectionError` for everything else (refused, reset, TLS, no
free pooled connection). Error statuses are answers, not failures: the transport returns them,
and the layer above turns them into exceptions (dialects/problems.py).
"""

from __future__ import annotations

import re
from typing import Any, Optional

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    EmptyPoolError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from airflow_python_sdk._errors import ApiConnectionError, ApiException, ApiTimeoutError
from airflow_python_sdk.transport.deadline import AnswerDeadlineError
from airflow_python_sdk.transport.retry import SAFE_METHODS

__all__ = ["connection_error", "may_have_reached_server", "unusable_answer_error"]

# "<urllib3.connection.HTTPConnection object at 0x...>: " (1.26) or "HTTPConnection(host='h',
# port=1): " (2.x) at the start of urllib3's connection errors.
_CONNECTION_PREFIX = re.compile(r"^(<[^>]*>|\w+\(host=[^)]*\)): ")


def connection_error(reason: Optional[BaseException], method: str, url: str,
                     attempts: Optional[int], timeout: urllib3.Timeout) -> ApiException:
    """The SDK's error for a request that got no answer because of `reason`."""
    error_class, message = _describe_failure(reason, timeout)
    if method not in SAFE_METHODS and isinstance(reason, (ProtocolError, ReadTimeoutError)):
        # Say why a job sees this at once, and what it must find out before sending it again.
        message += "; not repeated: the server may have applied it"
    return error_class(message, method=method, url=url, attempts=attempts)


def may_have_reached_server(error: ApiException) -> bool:
    """Whether the request of a call that ended with `error` may have reached the server, so
    that what it asked for may have happened: always when an answer came; when none came, unless
    the connection was never made (refused, timed out connecting, no free pooled connection)."""
    if error.status:
        return True
    cause = error.__cause__
    reason = getattr(cause, "reason", None) or cause  # MaxRetryError carries the last failure
    return not isinstance(reason, (NewConnectionError, ConnectTimeoutError, EmptyPoolError))


def unusable_answer_error(reason: BaseException, method: str, url: str) -> ApiException:
    """The error of an answer whose headers cannot be used (a `Location` that is no URL)."""
    text = str(reason) or type(reason).__name__
    if len(text) > 200:
        text = text[:200] + "..."
    return ApiConnectionError(f"the server's answer could not be used: {text}", method=method,
                              url=url)


def _seconds(value: Any) -> str:
    return f" ({value:g} s)" if isinstance(value, (int, float)) else ""


def _describe_failure(reason: Optional[BaseException],
                      timeout: urllib3.Timeout) -> tuple[type[ApiConnectionError], str]:
    # NewConnectionError subclasses ConnectTimeoutError in urllib3: look at it first, or a
    # refused connection would read as a timeout.
    if isinstance(reason, NewConnectionError):
        return ApiConnectionError, f"cannot connect: {_short(reason)}"
    if isinstance(reason, ReadTimeoutError):
        # Silence and a drip that would not end read the same: whichever bound fired first.
        seconds = (
            reason.seconds if isinstance(reason, AnswerDeadlineError) else timeout.read_timeout
        )
        return ApiTimeoutError, f"no complete answer within the read timeout{_seconds(seconds)}"
    if isinstance(reason, ConnectTimeoutError):
        return ApiTimeoutError, (
            f"could not connect within the connect timeout{_seconds(timeout.connect_timeout)}"
        )
    if isinstance(reason, SSLError):
        return ApiConnectionError, (
            f"TLS failed: {_short(reason)} (verify_ssl and ssl_ca_cert configure verification)"
        )
    if isinstance(reason, EmptyPoolError):
        return ApiConnectionError, (
            "no pooled connection became free in time (connection_pool_maxsize bounds them)"
        )
    if isinstance(reason, ProtocolError):
        return ApiConnectionError, f"the connection broke: {_protocol_text(reason)}"
    return ApiConnectionError, f"connection failed: {_short(reason)}"


def _protocol_text(error: ProtocolError) -> str:
    # urllib3 gives ("Connection aborted.", RemoteDisconnected("Remote end closed ...")).
    if len(error.args) == 2 and isinstance(error.args[0], str):
        head, inner = error.args[0].rstrip("."), error.args[1]
        if isinstance(inner, BaseException) and repr(inner) not in head:
            return f"{head}: {str(inner) or type(inner).__name__}"
        return head
    return _short(error)


def _short(exc: Optional[BaseException]) -> str:
    text = str(exc) if exc is not None else "unknown error"
    # urllib3 prefixes its messages with the connection object's repr: noise in a job's log.
    return _CONNECTION_PREFIX.sub("", text, count=1)
