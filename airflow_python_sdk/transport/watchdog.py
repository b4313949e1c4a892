"""Shut a socket down when its deadline passes.

A socket's timeout bounds each wait for data, not the whole answer: a server that sends one
byte every little while keeps a read going for as long as it likes. Shutting the socket down
from another thread is the one portable way to end such a read, whichever urllib3 and TLS layer
sit on top of it.

One thread serves every client in the process. It is started on first use and ends a few idle
seconds after the last deadline it watched would have passed, so a process that stops making
calls keeps no thread for it. Arming and disarming are a set operation under a lock; disarming
does not wake the thread, which only wakes when the earliest deadline it knows of is due.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from typing import Any, Optional

__all__ = ["WATCHDOG", "Deadline", "SocketWatchdog"]

THREAD_NAME = "airflow-sdk-deadlines"
# How long the thread waits with nothing to watch before it ends.
_IDLE_EXIT_S = 5.0


class Deadline:
    """One armed deadline; `fired` says whether the watchdog shut the socket down."""

    __slots__ = ("at", "fired", "sock")

    def __init__(self, sock: Any, at: float) -> None:
        self.sock = sock
        self.at = at
        self.fired = False


class SocketWatchdog:
    """Shuts down the sockets whose deadline passed before they were disarmed."""

    def __init__(self, idle_exit_s: float = _IDLE_EXIT_S) -> None:
        self._idle_exit_s = idle_exit_s
        self._changed = threading.Condition(threading.Lock())
        self._armed: set[Deadline] = set()
        self._thread: Optional[threading.Thread] = None
        self._wakes_at = math.inf

    def arm(self, sock: Any, seconds: float) -> Deadline:
        """Shut `sock` down in `seconds` unless `disarm` comes first."""
        deadline = Deadline(sock, time.monotonic() + seconds)
        with self._changed:
            self._armed.add(deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
                self._thread.start()
            elif deadline.at < self._wakes_at:
                self._changed.notify()
        return deadline

    def forget_after_fork(self) -> None:
        """In a forked child: the parent's thread and sockets are not this process's to watch."""
        self._changed = threading.Condition(threading.Lock())
        self._armed = set()
        self._thread = None
        self._wakes_at = math.inf

    def disarm(self, deadline: Deadline) -> bool:
        """Stop watching; answer whether the deadline had already fired."""
        with self._changed:
            self._armed.discard(deadline)
            return deadline.fired

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for deadline in [d for d in self._armed if d.at <= now]:
                    self._armed.discard(deadline)
                    deadline.fired = True
                    _shut_down(deadline.sock)
                if self._armed:
                    self._wakes_at = min(d.at for d in self._armed)
                    self._changed.wait(self._wakes_at - now)
                    continue
                self._wakes_at = math.inf
                self._changed.wait(self._idle_exit_s)
                if not self._armed:
                    self._thread = None
                    return


def _shut_down(sock: Any) -> None:
    """Make a blocked read on `sock` return at once; never block, never raise."""
    try:
        if isinstance(sock, socket.socket):
            # Below TLS on purpose: ssl.SSLSocket.shutdown would also drop the TLS state under
            # the thread that is reading.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        else:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError, ValueError):
        pass  # already closed: nothing is reading from it any more


# The process-wide watchdog the transport uses.
WATCHDOG = SocketWatchdog()

if hasattr(os, "register_at_fork"):
    # Without this, a child forked while the thread ran would believe it still runs, and no
    # deadline would ever fire there.
    os.register_at_fork(after_in_child=WATCHDOG.forget_after_fork)
