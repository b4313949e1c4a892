"""Connection pools whose answers must be complete within the read timeout.

urllib3 applies the read timeout to each wait for data. These pools also bound the whole
answer: from the moment the request has been sent, the status line, the headers and (with
urllib3 2.x, which reads a preloaded body while getting the response) the body must all arrive
within the read timeout, or the call ends with `AnswerDeadlineError`, a read timeout, which the
SDK's retry policy never repeats. With urllib3 1.26 the bound covers the status line and headers;
the body's reads are bounded one by one. An answer read as a stream (`_preload_content=False`)
is the caller's to bound.
"""

from __future__ import annotations

from typing import Any, Optional

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError

from airflow_python_sdk._compat import URLLIB3_MAJOR
from airflow_python_sdk.socket_watchdog import WATCHDOG

__all__ = ["POOL_CLASSES_BY_SCHEME", "AnswerDeadlineError"]


class AnswerDeadlineError(ReadTimeoutError):
    """The answer kept coming, too slowly to be complete within the read timeout."""

    def __init__(self, seconds: float) -> None:
        super().__init__(None, None, f"the answer was not complete within {seconds:g} s")  # type: ignore[arg-type]
        self.seconds = seconds


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
    try:
        response = get_response()
    except Exception as error:
        if WATCHDOG.disarm(deadline):
            raise AnswerDeadlineError(seconds) from error
        raise
    if WATCHDOG.disarm(deadline):
        # A body without a length ends where the connection does: what came may be cut short.
        raise AnswerDeadlineError(seconds)
    return response


class DeadlineHTTPConnection(HTTPConnection):
    def getresponse(self) -> Any:
        return _get_response_by(self, super().getresponse)


class DeadlineHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:
        return _get_response_by(self, super().getresponse)


class DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection


class DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection


# For a PoolManager's (or ProxyManager's) `pool_classes_by_scheme`.
POOL_CLASSES_BY_SCHEME: dict[str, type[HTTPConnectionPool]] = {
    "http": DeadlineHTTPConnectionPool,
    "https": DeadlineHTTPSConnectionPool,
}
