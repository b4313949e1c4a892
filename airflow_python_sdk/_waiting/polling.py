"""The loop every wait runs: read, decide, pause; until done, or until the wait's time is up.

Each read is one poll (a request or two, made by the caller's `read` with the request timeout it
is given). A poll that fails for a passing reason (a 5xx, a 429 or 408, a dropped or refused
connection, a request that timed out, a 2xx that cannot be read) does not end the wait: the next
poll comes after the usual pause, or after the `Retry-After` the server asked for if that is
longer, and the wait's clock bounds both. Any other failure (401, 403, 404, a 400) ends the wait
at once: asking again would not change it. The retry policy of the client is left out of the
polls (`_retries=0`): its waits know nothing of the wait's deadline, and this loop repeats them
anyway.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Optional, TypeVar

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ResponseValueError,
    ServiceException,
    TooManyRequestsException,
)
from airflow_python_sdk._waiting.pace import Clock, Pace, request_timeout, retry_after_seconds

__all__ = ["Poller", "is_transient"]

T = TypeVar("T")


def is_transient(error: ApiException) -> bool:
    """Whether a failed poll is worth repeating: the server, a proxy or the network had a bad
    moment (a 2xx that cannot be read included: a proxy's error page, say)."""
    return (isinstance(error, (ServiceException, TooManyRequestsException, ApiConnectionError,
                               ResponseValueError))
            or error.status == 408)


class Poller(Generic[T]):
    """Polls `read(request_timeout)` until `done(answer)`; `timed_out(last answer, last error)`
    makes the error raised when the clock runs out. `done` may raise to end the wait at once
    (a paused DAG, a task instance gone)."""

    def __init__(self, clock: Clock, pace: Pace, configured_timeout: Any) -> None:
        self.clock = clock
        self.pace = pace
        self.configured_timeout = configured_timeout
        self.polls = 0

    def request_timeout(self) -> Any:
        """The timeout of a request made now: the client's, cut to what the wait has left."""
        return request_timeout(self.configured_timeout, self.clock.left())

    def run(self, read: Callable[[Any], T], done: Callable[[T], bool],
            timed_out: Callable[[Optional[T], Optional[ApiException]], ApiException]) -> T:
        last: Optional[T] = None
        last_error: Optional[ApiException] = None
        while True:
            asked: Optional[float] = None
            self.polls += 1
            try:
                answer = read(self.request_timeout())
            except ApiException as error:
                if not is_transient(error):
                    raise
                last_error = error
                asked = retry_after_seconds(error.headers.get("Retry-After"))
            else:
                last, last_error = answer, None
                if done(answer):
                    return answer
            if self.clock.expired():
                raise timed_out(last, last_error)
            pause = self.pace.next_pause(asked)
            if asked is not None and asked >= self.clock.left():
                # The server asks us to come back after the wait is over: it is over now.
                self.clock.sleep(pause)
                raise timed_out(last, last_error)
            self.clock.sleep(pause)
