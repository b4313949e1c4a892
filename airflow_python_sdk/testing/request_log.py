"""A record of the requests the server answered, so tests can count a client's retries."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string, still percent-encoded
    query: str
    status: Optional[int]  # None when the connection was dropped on purpose
    user: Optional[str]  # the name in the Authorization header, checked or not


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []

    def record(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
