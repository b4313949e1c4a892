"""The default retry policy.

Retried, with exponential backoff and jitter, honouring `Retry-After` (seconds or HTTP-date):
- failures to connect (the request never reached the server), for every method;
- answers 408, 429, 500, 502, 503 and 504, for GET, HEAD, OPTIONS and DELETE: repeating them
  cannot do more than doing them once (deleting a deleted task instance answers 404). 500 is in
  the list because Airflow answers it for passing trouble in its metadata database (a lost
  connection, a deadlock); a 500 that stays costs at most the bounded waits below;
- a connection the server closed before answering, for the same idempotent methods.
PATCH is not retried once it may have reached the server: Airflow answers a repeated state change
with 409, and a retried PATCH could overwrite a change another job made in between. A PATCH is
only repeated when connecting failed, so the server cannot have seen it.
A read timeout is never retried: the server may still be working on the request, and retrying
would multiply the time a job waits on a stalled server.

Bounds: at most `retries` repeats of each kind (3 by default: 4 attempts); a wait that
`Retry-After` asks for is cut to `retry_after_max` (30 s by default), so a server saying
"Retry-After: 3600" cannot stall a job for an hour; and no new attempt starts once the waiting
would end more than `total_wait_max` seconds (60 by default) after the first failure. An
unreadable `Retry-After` is ignored in favour of the backoff.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Optional, Union

import urllib3
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

if TYPE_CHECKING:
    # Names for annotations only: urllib3 1.26 has no BaseHTTPResponse.
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk.transport.versions import URLLIB3_MAJOR

__all__ = [
    "RETRY_AFTER_MAX",
    "RETRY_STATUSES",
    "SAFE_METHODS",
    "TOTAL_WAIT_MAX",
    "RetriesExhausted",
    "SdkRetry",
    "attempts_made",
    "default_retry",
    "resolve_retry",
]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})

# Repeats of each kind of failure; attempts in all are one more.
_MAX_RETRIES = 3
_BACKOFF_FACTOR = 0.5
_BACKOFF_MAX = 10.0
_BACKOFF_JITTER = 0.25
_MAX_REDIRECTS = 5
# The longest single wait a Retry-After may ask for, and the longest a call keeps retrying.
RETRY_AFTER_MAX = 30.0
TOTAL_WAIT_MAX = 60.0

# A Retry-After of more digits than this is a wait longer than any cap: not worth parsing.
_LONGEST_SECONDS = 12

_CREDENTIAL_HEADERS = frozenset({"Authorization", "Cookie", "Proxy-Authorization"})



class RetriesExhausted(MaxRetryError):
    """urllib3's MaxRetryError, carrying how many attempts the policy made."""

    def __init__(self, pool: Any, url: Optional[str], reason: Optional[Exception],
                 attempts: int) -> None:
        super().__init__(pool, url, reason)
        self.attempts = attempts


class SdkRetry(Retry):
    """urllib3's Retry, plus: a read timeout ends the call at once; `Retry-After` waits are cut
    to `retry_after_cap`; retrying stops `total_wait_max` seconds after the first failure; and
    the number of attempts is noted on the error that ends a call."""

    def __init__(
        self,
        *args: Any,
        retry_after_cap: float = RETRY_AFTER_MAX,
        total_wait_max: Optional[float] = TOTAL_WAIT_MAX,
        first_failure_at: Optional[float] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_cap = retry_after_cap
        self.total_wait_max = total_wait_max
        self.first_failure_at = first_failure_at

    def new(self, **kw: Any) -> SdkRetry:
        # urllib3 makes a new policy object for every attempt; carry our settings along.
        kw.setdefault("retry_after_cap", self.retry_after_cap)
        kw.setdefault("total_wait_max", self.total_wait_max)
        kw.setdefault(
            "first_failure_at",
            self.first_failure_at if self.first_failure_at is not None else time.monotonic(),
        )
        renewed = super().new(**kw)
        assert isinstance(renewed, SdkRetry)
        return renewed

    def parse_retry_after(self, retry_after: str) -> float:
        text = retry_after.strip()
        if text.isascii() and text.isdigit() and len(text) > _LONGEST_SECONDS:
            # More digits than int() reads (Python limits them), and far past the cap anyway.
            return self.retry_after_cap
        try:
            seconds = super().parse_retry_after(retry_after)
        except (ValueError, OverflowError, OSError) as exc:
            # A date past the year 9999 overflows the standard library's date parsing.
            raise InvalidHeader(f"Invalid Retry-After header: {text[:40]!r}") from exc
        return float(min(seconds, self.retry_after_cap))

    def get_retry_after(self, response: BaseHTTPResponse) -> Optional[float]:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            # A garbled header must not turn a retryable answer into a failed call.
            return None

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
        attempts = len(self.history) + 1
        try:
            renewed = super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError as exc:
            raise RetriesExhausted(_pool, url, exc.reason, attempts) from exc.reason
        assert isinstance(renewed, SdkRetry)
        if renewed._waits_too_long(response):
            reason = error or ResponseError(f"retrying would take over {self.total_wait_max} s")
            raise RetriesExhausted(_pool, url, reason, attempts) from reason
        return renewed

    def _waits_too_long(self, response: Optional[BaseHTTPResponse]) -> bool:
        """Whether the wait before the next attempt would end past `total_wait_max`."""
        if self.total_wait_max is None or self.first_failure_at is None:
            return False
        wait: Optional[float] = None
        if response is not None and self.respect_retry_after_header:
            wait = self.get_retry_after(response)
        if wait is None:
            wait = self.get_backoff_time()
        return time.monotonic() + wait - self.first_failure_at > self.total_wait_max


def default_retry(
    retries: int = _MAX_RETRIES,
    *,
    backoff_factor: float = _BACKOFF_FACTOR,
    backoff_max: float = _BACKOFF_MAX,
    retry_after_max: float = RETRY_AFTER_MAX,
    total_wait_max: Optional[float] = TOTAL_WAIT_MAX,
) -> SdkRetry:
    """A fresh instance of the SDK's policy: `retries` repeats of each kind of failure (0 turns
    retrying off; redirects are still followed), the waits as the module docstring says."""
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ApiValueError(f"retries must be a whole number >= 0, got {retries!r}")
    options: dict[str, Any] = {
        # No overall count: urllib3 would spend it on redirects too. Each kind has its own.
        "total": None,
        "connect": retries,
        "read": retries,
        "status": retries,
        "other": 0,
        "redirect": _MAX_REDIRECTS,
        "status_forcelist": RETRY_STATUSES,
        "backoff_factor": backoff_factor,
        "respect_retry_after_header": True,
        "raise_on_status": False,
        "raise_on_redirect": True,
        # Credentials stay with the host they were meant for (older urllib3 1.26 releases
        # only dropped Authorization).
        "remove_headers_on_redirect": _CREDENTIAL_HEADERS,
        "retry_after_cap": retry_after_max,
        "total_wait_max": total_wait_max,
    }
    allowed = "allowed_methods" if hasattr(Retry, "DEFAULT_ALLOWED_METHODS") else "method_whitelist"
    options[allowed] = SAFE_METHODS
    if URLLIB3_MAJOR >= 2:
        # Jitter spreads the retries of many clients that failed at the same moment.
        options["backoff_jitter"] = _BACKOFF_JITTER
        options["backoff_max"] = backoff_max
    return SdkRetry(**options)


def resolve_retry(value: Union[int, Retry, None]) -> Retry:
    """The policy `Configuration.retries` names: None (or True) for the default, a number of
    repeats for the default policy with that many (False is 0), or a urllib3 Retry used as it
    is."""
    if value is None or value is True:
        return default_retry()
    if value is False:
        return default_retry(0)
    if isinstance(value, Retry):
        return value
    return default_retry(value)


def attempts_made(response: Any) -> Optional[int]:
    """How many attempts led to `response` (None when urllib3 kept no history)."""
    retries = getattr(response, "retries", None)
    history = getattr(retries, "history", None)
    return len(history) + 1 if history else None
