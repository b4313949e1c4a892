"""Where streamed logs go: anything with a write(bytes) method, and one that keeps nothing."""

from __future__ import annotations

from typing import Protocol


class ByteSink(Protocol):
    def write(self, data: bytes, /) -> int: ...


class NullSink:
    """A file that keeps nothing, so only the client's own buffers show in memory figures."""

    def write(self, data: bytes, /) -> int:
        return len(data)
