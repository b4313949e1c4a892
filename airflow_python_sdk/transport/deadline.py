"""Connection pools whose answers must be complete within the read timeout.

urllib3 applies the read timeout to each wait for data. These pools also bound the whole
answer: from the moment the request has been sent, the status line, the headers and the body
must all arrive within the read timeout, or the call ends with `AnswerDeadlineError`, a read
timeout, which the SDK's retry policy never repeats. urllib3 2.x reads a preloaded body while
getting the response; 1.26 reads it afterwards, when it builds its response object, so there the
deadline stays armed until that is done. An answer read as a stream (`_preload_content=False`)
is the caller's to bound.
"""

from __future__ import annotations

import http.client
from typing import Any, Optional

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError
from urllib3.response import HTTPResponse

from airflow_python_sdk.transport.answer_body import read_capped
from airflow_python_sdk.transport.versions import URLLIB3_MAJOR
from airflow_python_sdk.transport.watchdog import WATCHDOG, Deadline

__all__ = ["POOL_CLASSES_BY_SCHEME", "AnswerDeadlineError"]

# The 1.26-only method that builds urllib3's response (absent from 2.x, hence looked up by name).
_FROM_HTTPLIB = "from_httplib"


class AnswerDeadlineError(ReadTimeoutError):
    """The answer kept coming, too slowly to be complete within the read timeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__(None, None, f"the answer was not complete within {seconds:g} s")  # type: ignore[arg-type]
        self.seconds = seconds


class ArmedResponse(http.client.HTTPResponse):
    """http.client's response, carrying the deadline still armed for its body (urllib3 1.26
    reads a preloaded body after the headers, when it builds its own response)."""

    armed: Optional[tuple[Deadline, float]] = None
    bytes_read = 0

    def read(self, amt: Optional[int] = None) -> bytes:
        # Counted against the answer's size limit as the bytes arrive (see answer_body.py).
        return read_capped(self, super().read, amt)


def _read_timeout(connection: Any) -> Optional[float]:
    # urllib3 2.x puts the read timeout on the connection before getting the answer; 1.26 puts
    # it straight on the socket.
    value = connection.timeout if URLLIB3_MAJOR >= 2 else connection.sock.gettimeout()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _get_response_by(connection: Any, get_response: Any) -> Any:
    sock = getattr(connection, "sock", None)
    seconds = _read_timeout(connection) if sock is not None else None
    if seconds is None:
        return get_response()
    deadline = WATCHDOG.arm(sock, seconds)
    response = _within(deadline, seconds, get_response)
    if URLLIB3_MAJOR < 2 and isinstance(response, ArmedResponse):
        # The body is still to come: `BodyDeadlineResponse.from_httplib` disarms once it is read.
        response.armed = (deadline, seconds)
        return response
    return _disarmed(deadline, seconds, response)


def _within(deadline: Deadline, seconds: float, read: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return read(*args, **kwargs)
    except BaseException as error:
        # Disarmed whatever happened (KeyboardInterrupt included): a deadline left armed would
        # later shut down whatever the connection is doing then.
        if WATCHDOG.disarm(deadline) and isinstance(error, Exception):
            raise AnswerDeadlineError(seconds) from error
        raise


def _disarmed(deadline: Deadline, seconds: float, response: Any) -> Any:
    if WATCHDOG.disarm(deadline):
        # A body without a length ends where the connection does: what came may be cut short.
        raise AnswerDeadlineError(seconds)
    return response


class BodyDeadlineResponse(HTTPResponse):
    """urllib3 1.26's response, whose preloaded body is read under the answer's deadline."""

    @classmethod
    def from_httplib(cls, r: Any, **response_kw: Any) -> Any:
        build = getattr(super(), _FROM_HTTPLIB)
        armed = r.armed if isinstance(r, ArmedResponse) else None
        if armed is None:
            return build(r, **response_kw)
        deadline, seconds = armed
        return _disarmed(deadline, seconds, _within(deadline, seconds, build, r, **response_kw))


class DeadlineHTTPConnection(HTTPConnection):
    response_class = ArmedResponse

    def getresponse(self) -> Any:
        return _get_response_by(self, super().getresponse)


class DeadlineHTTPSConnection(HTTPSConnection):
    response_class = ArmedResponse

    def getresponse(self) -> Any:
        return _get_response_by(self, super().getresponse)


class DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection
    if URLLIB3_MAJOR < 2:
        ResponseCls = BodyDeadlineResponse


class DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection
    if URLLIB3_MAJOR < 2:
        ResponseCls = BodyDeadlineResponse


# For a PoolManager's (or ProxyManager's) `pool_classes_by_scheme`.
POOL_CLASSES_BY_SCHEME: dict[str, type[HTTPConnectionPool]] = {
    "http": DeadlineHTTPConnectionPool,
    "https": DeadlineHTTPSConnectionPool,
}
