"""What marking a DAG run success, failed or queued does to it and its task instances, as
Airflow's "mark run as" does:

- success: every task instance of the run that has not succeeded is set to success;
- failed: running task instances fail, those not finished yet are skipped, finished ones stay;
- queued: the run goes back to the queue; its task instances stay as they are.
A run marked success or failed ends now; a queued one has no end.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .store import StoredTaskInstance

RUN_STATES_A_CLIENT_SETS = ("success", "failed", "queued")
# Task states of work not finished: marking the run failed skips them.
_NOT_FINISHED = frozenset({None, "none", "queued", "scheduled", "up_for_retry",
                           "up_for_reschedule", "deferred", "restarting", "sensing"})


def mark_run(run: dict[str, Any], members: Iterable[StoredTaskInstance], state: str,
             now: str) -> None:
    """Set `run` (its fields) and its task instances `members` as marking it `state` does."""
    for record in members:
        current = record.fields.get("state")
        new = current
        if state == "success":
            new = "success"
        elif state == "failed" and current == "running":
            new = "failed"
        elif state == "failed" and current in _NOT_FINISHED:
            new = "skipped"
        if new != current:
            record.fields["state"] = new
            record.touch()
    run["state"] = state
    run["end_date"] = None if state == "queued" else now
    if state != "queued" and run.get("start_date") is None:
        run["start_date"] = now
