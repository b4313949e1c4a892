"""Run a blocking call on a thread with a hard bound, so that a hanging SDK fails the test."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional


@dataclass
class Outcome:
    result: Any
    error: Optional[BaseException]
    elapsed_s: float


def call_bounded(fn: Callable[[], Any], bound_s: float) -> Outcome:
    """Call `fn()`; fail the test if it has not returned or raised within `bound_s` seconds.

    A call that is still running is left on its daemon thread; the test's server fixture closes
    its connections on teardown, which is what finally releases it.
    """
    box: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            box["result"] = fn()
        except BaseException as error:  # handed to the test, which decides what it means
            box["error"] = error
        box["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run, name="bounded-call", daemon=True)
    thread.start()
    thread.join(bound_s)
    assert not thread.is_alive(), f"the call did not return within {bound_s}s"
    return Outcome(box.get("result"), box.get("error"), box["elapsed"])
