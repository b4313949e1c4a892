"""Faults on demand, so users can test how their jobs cope with a struggling Airflow.

Scripted faults (fail_next, drop_next) form one queue: each request takes the next one, in the
order they were asked for. A delay holds every response until it is cleared.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Optional, Union


@dataclass(frozen=True)
class FailWith:
    """Answer with this status (an RFC 7807 problem) instead of doing the request."""

    status: int
    retry_after: Optional[int]


@dataclass(frozen=True)
class DropConnection:
    """Send the status line, the headers and part of the body, then close the connection."""


ScriptedFault = Union[FailWith, DropConnection]


@dataclass(frozen=True)
class FaultPlan:
    """What to do to one request."""

    delay: float
    fault: Optional[ScriptedFault]


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._delay = 0.0
        self._queue: deque[ScriptedFault] = deque()

    def delay(self, seconds: float) -> None:
        """Hold every response for this long, until clear() or delay(0)."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._lock:
            self._delay = float(seconds)

    def fail_next(self, n: int = 1, status: int = 503, retry_after: Optional[int] = 1) -> None:
        """Answer the next n requests with `status` and a `Retry-After` (None leaves it out)."""
        if not 400 <= status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        # HTTP's Retry-After counts whole seconds; "0.5" would be a header clients reject.
        if retry_after is not None and (not isinstance(retry_after, int) or retry_after < 0):
            raise ValueError("retry_after must be a whole number of seconds, not negative")
        self._enqueue(n, FailWith(status, retry_after))

    def drop_next(self, n: int = 1) -> None:
        """Close the connection in the middle of the next n responses."""
        self._enqueue(n, DropConnection())

    def clear(self) -> None:
        with self._lock:
            self._delay = 0.0
            self._queue.clear()

    @property
    def pending(self) -> int:
        """How many scripted faults are still waiting for a request."""
        with self._lock:
            return len(self._queue)

    def take(self) -> FaultPlan:
        """The plan for the request now arriving; used by the server."""
        with self._lock:
            fault = self._queue.popleft() if self._queue else None
            return FaultPlan(self._delay, fault)

    def _enqueue(self, n: int, fault: ScriptedFault) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._queue.extend([fault] * n)
