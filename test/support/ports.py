"""Ports on 127.0.0.1 that refuse connections, for tests of a server out of reach.

A port that was free a moment ago may be taken by another test by the time it is used (the
suite runs in parallel); a port held by a socket that is bound but never listens refuses every
connection and cannot be taken while the test runs.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager
from typing import Iterator

__all__ = ["refused_port"]


@contextmanager
def refused_port() -> Iterator[int]:
    """A port that refuses every connection until the block ends."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]
