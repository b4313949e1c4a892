"""The default retry policy.

Retried, with exponential backoff and jitter, honouring `Retry-After` (seconds or HTTP-date):
- failures to connect (the request never reached the server), for every method;
- answers 408, 429, 502, 503 and 504, for GET, HEAD, OPTIONS and DELETE: repeating them cannot do
  more than doing them once (deleting a deleted task instance answers 404);
- a connection the server closed before answering, for the same idempotent methods.
PATCH is not retried once it may have reached the server: Airflow answers a repeated state change
with 409, and a retried PATCH could overwrite a change another job made in between.
A read timeout is never retried: the server may still be working on the request, and retrying
would multiply the time a job waits on a stalled server.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Optional

import urllib3
from urllib3.connectionpool import ConnectionPool
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from airflow_python_sdk._compat import URLLIB3_MAJOR

__all__ = ["RETRY_STATUSES", "SAFE_METHODS", "SdkRetry", "attempts_made", "default_retry"]

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})

# Attempts in all (the first one included) and the longest single wait.
_MAX_RETRIES = 3
_BACKOFF_FACTOR = 0.5
_BACKOFF_MAX = 10.0
_BACKOFF_JITTER = 0.25


class SdkRetry(Retry):
    """urllib3's Retry, except that a read timeout ends the call at once."""

    def increment(
        self,
        method: Optional[str] = None,
        url: Optional[str] = None,
        response: Optional[BaseHTTPResponse] = None,
        error: Optional[Exception] = None,
        _pool: Optional[ConnectionPool] = None,
        _stacktrace: Optional[TracebackType] = None,
    ) -> SdkRetry:
        if isinstance(error, urllib3.exceptions.ReadTimeoutError):
            raise error
        return super().increment(method, url, response, error, _pool, _stacktrace)


def default_retry() -> Retry:
    """A fresh instance of the SDK's default policy."""
    options: dict[str, Any] = {
        "total": _MAX_RETRIES,
        "connect": _MAX_RETRIES,
        "read": _MAX_RETRIES,
        "status": _MAX_RETRIES,
        "other": 0,
        "redirect": 5,
        "status_forcelist": RETRY_STATUSES,
        "backoff_factor": _BACKOFF_FACTOR,
        "respect_retry_after_header": True,
        "raise_on_status": False,
        "raise_on_redirect": True,
    }
    allowed = "allowed_methods" if hasattr(Retry, "DEFAULT_ALLOWED_METHODS") else "method_whitelist"
    options[allowed] = SAFE_METHODS
    if URLLIB3_MAJOR >= 2:
        # Jitter spreads the retries of many clients that failed at the same moment.
        options["backoff_jitter"] = _BACKOFF_JITTER
        options["backoff_max"] = _BACKOFF_MAX
    return SdkRetry(**options)


def attempts_made(response: Any) -> Optional[int]:
    """How many attempts led to `response` (None when urllib3 kept no history)."""
    retries = getattr(response, "retries", None)
    history = getattr(retries, "history", None)
    return len(history) + 1 if history else None
