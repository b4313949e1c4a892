"""How long a wait lasts and how often it asks.

A wait polls right away, then pauses FIRST_PAUSE seconds, doubling each time up to its
`poll_interval` (the longest pause): a run that ends quickly is seen at once, and a long one
costs a request every `poll_interval` seconds. A `Retry-After` the server sends lengthens the
next pause. Nothing lengthens the wait itself: every pause, and every request's timeout, is cut
to the time the wait has left.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Optional

from airflow_python_sdk._errors import ApiValueError

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_WAIT_TIMEOUT",
    "FIRST_PAUSE",
    "Clock",
    "Pace",
    "checked_seconds",
    "request_timeout",
    "retry_after_seconds",
]

# The longest pause between two polls unless the caller says otherwise.
DEFAULT_POLL_INTERVAL = 5.0
# A wait's timeout unless the caller says otherwise: an hour, longer than most runs, short
# enough that a job waiting for a run that never ends still ends.
DEFAULT_WAIT_TIMEOUT = 3600.0
FIRST_PAUSE = 0.1
# The shortest timeout a request gets: below this a loaded machine fails requests that would
# have been answered.
_SHORTEST_REQUEST = 0.05


def checked_seconds(value: Any, name: str) -> float:
    """`value` as seconds when it is a finite number above 0; `ApiValueError` naming `name`
    otherwise (text, a bool, None, zero, negative, nan, inf)."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0):
        return float(value)
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise ApiValueError(f"Invalid {name} {shown}: give a finite number of seconds above 0",
                        path_to_item=[name])


class Clock:
    """The wait's deadline: `left()` seconds remain (never below 0)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.started = time.monotonic()
        self.deadline = self.started + timeout

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def sleep(self, seconds: float) -> None:
        """Pause `seconds`, but never past the deadline."""
        pause = min(seconds, self.left())
        if pause > 0:
            time.sleep(pause)


class Pace:
    """The pauses between polls: FIRST_PAUSE, doubling up to `longest`."""

    def __init__(self, longest: float) -> None:
        self.longest = longest
        self._next = min(FIRST_PAUSE, longest)

    def next_pause(self, asked: Optional[float] = None) -> float:
        """The pause before the next poll; `asked` is a Retry-After, which may lengthen it."""
        pause = self._next
        self._next = min(self._next * 2, self.longest)
        return pause if asked is None else max(pause, asked)


def request_timeout(configured: Any, left: float) -> Any:
    """A request's timeout within the wait: the client's (seconds, a (connect, read) pair or a
    urllib3 Timeout), each part cut to the `left` seconds of the wait."""
    cap = max(left, _SHORTEST_REQUEST)
    if isinstance(configured, (int, float)) and not isinstance(configured, bool):
        return min(float(configured), cap)
    if isinstance(configured, tuple) and len(configured) == 2:
        return (min(float(configured[0]), cap), min(float(configured[1]), cap))
    # A urllib3 Timeout (read by its attributes: urllib3 stays inside the transport), or none.
    parts = []
    for name in ("connect_timeout", "read_timeout"):
        value = getattr(configured, name, None)
        parts.append(min(float(value), cap) if isinstance(value, (int, float)) else cap)
    return (parts[0], parts[1])


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None when absent or
    unreadable. Any size is read: the wait's clock, not this, bounds the pause."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text) if len(text) < 12 else math.inf
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
