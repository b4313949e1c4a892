"""The embedded server's scheduler: it runs the DAG runs a client starts, by itself.

What it looks after: runs triggered through the API, and runs a client cleared (a real clear of
task instances or of the run) or marked queued. The seed's history is never among them: its
running and queued task instances stay as seeded, so tests can rely on the sample data.
What it does to them: see run_progress.py (queued -> running -> success or failed, each task
as its script says: dag_seeds.py).

It runs only when asked, so that a server's data moves only when a test wants it to:
`server.scheduler.start(pace=...)`, `AirflowApiServer(scheduler=True)`, the pytest marker
`@pytest.mark.airflow_api(...)`, or `python -m airflow_python_sdk.testing` (on by default
there). `pace` is seconds per step (a run starts a pace after it is queued, a task takes a pace
unless its script says otherwise): DEFAULT_PACE finishes a three-task run in about a second; 0
runs it as soon as it is started, a unit test's choice. Stopped, it keeps its work: `start()`
again, or `run_until_idle()` to take every step at once without waiting.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Optional

from .run_progress import advance
from .store import TaskInstanceStore

__all__ = ["DEFAULT_PACE", "Scheduler"]

DEFAULT_PACE = 0.25
_MOST_ROUNDS = 10_000


def checked_pace(pace: float) -> float:
    if (isinstance(pace, bool) or not isinstance(pace, (int, float)) or not math.isfinite(pace)
            or pace < 0):
        raise ValueError(f"pace must be a finite number of seconds, 0 or more, not {pace!r}")
    return float(pace)


class Scheduler:
    """Runs the runs a client started; see the module's docstring."""

    def __init__(self, store: TaskInstanceStore, pace: float = DEFAULT_PACE) -> None:
        self._store = store
        self._pace = checked_pace(pace)
        self._wakeup = threading.Condition()
        self._thread: Optional[threading.Thread] = None
        self._stopping = False
        self._woken = False

    @property
    def pace(self) -> float:
        return self._pace

    @pace.setter
    def pace(self, pace: float) -> None:
        self._pace = checked_pace(pace)
        self.wake()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, pace: Optional[float] = None) -> Scheduler:
        """Run by itself from now on (at `pace`, if given); starting it twice changes only the
        pace."""
        if pace is not None:
            self._pace = checked_pace(pace)
        with self._wakeup:
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._loop, name="embedded-scheduler",
                                                daemon=True)
                self._thread.start()
            self._woken = True
            self._wakeup.notify_all()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop running by itself; what it looks after stays, and moves again on `start()`."""
        with self._wakeup:
            thread, self._thread = self._thread, None
            self._stopping = True
            self._wakeup.notify_all()
        if thread is not None:
            thread.join(timeout)

    def wake(self) -> None:
        """Something changed (a trigger, a clear, an unpause): look at the work now."""
        with self._wakeup:
            self._woken = True
            self._wakeup.notify_all()

    def step(self) -> Optional[float]:
        """Take every step due now; the time.monotonic() at which the next one is due."""
        now = time.monotonic()
        return self._store.transact(lambda tables: advance(tables, now, self._pace))

    def run_until_idle(self) -> None:
        """Take every step of every run it looks after at once, as if all the time they need
        had passed (runs of paused DAGs stay as they are)."""
        for _ in range(_MOST_ROUNDS):  # each round takes at least one step, or there is none
            if self._store.transact(lambda tables: advance(tables, math.inf, self._pace)) is None:
                return

    def _loop(self) -> None:
        while True:
            due = self.step()
            with self._wakeup:
                if self._stopping:
                    return
                if not self._woken:
                    wait = None if due is None else max(0.0, due - time.monotonic())
                    self._wakeup.wait(wait)
                self._woken = False
                if self._stopping:
                    return
