"""The SDK's warnings, as the command shows them: one plain line each, once per run.

Python's default shows a warning with the file and line that raised it and that line's source,
which mean nothing to a shell user; and a warning raised by every request would repeat. Inside
`plain_warnings`, each warning is written as `airflow-sdk: warning: MESSAGE`, the first time its
message is seen.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional, TextIO

from airflow_python_sdk.cli.safe_text import cut, escaped
from airflow_python_sdk.transport.security import forget_warned_hosts

__all__ = ["plain_warnings"]

_FOR_DEVELOPERS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)
# A warning's message, cut: a warning quoting a server's text must stay one short line.
_WARNING_CHARS = 500


@contextmanager
def plain_warnings(stderr: TextIO, prog: str) -> Iterator[None]:
    shown: set[tuple[type, str]] = set()
    lock = threading.Lock()  # bulk runs warn from their worker threads

    def show(message: Any, category: type, filename: str, lineno: int,
             file: Optional[TextIO] = None, line: Optional[str] = None) -> None:
        text = cut(escaped(" ".join(str(message).split())), _WARNING_CHARS)
        with lock:
            if (category, text) in shown:
                return
            shown.add((category, text))
            stderr.write(f"{prog}: warning: {text}\n")

    # The SDK says some things once per process (credentials over plain http, per host): a run
    # of the command is what a user sees, so each run says them again, once.
    forget_warned_hosts()
    with warnings.catch_warnings():
        # Every warning meant for users reaches `show`, which keeps the first of each: Python's
        # own memory of what it showed is per source line, and a test runner may turn warnings
        # into errors. Warnings meant for developers stay hidden, as Python hides them by default.
        warnings.simplefilter("always")
        for hidden in _FOR_DEVELOPERS:
            warnings.simplefilter("ignore", hidden)
        warnings.showwarning = show
        yield
