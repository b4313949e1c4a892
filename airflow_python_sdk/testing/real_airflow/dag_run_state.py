"""How a DAG run ended, as the fixture answers it: its state and each task's.

A mapped task has one task instance per map index: `task_instance_states` has each, keyed by
(task id, map index; -1 for a task that is not mapped), and `task_states` has each task's worst
state over its instances (failed before upstream_failed, ..., before success), so that a mapped
task one of whose instances failed is a failed task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Optional

from .processes import CommandFailed

__all__ = ["FINISHED_RUN_STATES", "DagRunTimeout", "FinishedRun", "states_of"]

FINISHED_RUN_STATES = ("success", "failed")
# Task states from the worst to the best: a task's state is the worst of its instances'.
_WORST_FIRST = ("failed", "upstream_failed", "up_for_retry", "up_for_reschedule", "restarting",
                "running", "deferred", "queued", "scheduled", "none", "removed", "skipped",
                "success")


class DagRunTimeout(CommandFailed):
    """The run had not finished within its time limit; the message has the scheduler's log."""


@dataclass(frozen=True)
class FinishedRun:
    """How a DAG run ended: its state, each task's state (a mapped task's worst) and each task
    instance's.

    logical_date is what the SDK's task-instance calls take as the execution date.
    """

    dag_id: str
    run_id: str
    state: str
    task_states: dict[str, str]
    logical_date: Optional[dt.datetime] = None
    # (task id, map index) -> state, one entry per task instance (map index -1: not mapped).
    task_instance_states: dict[tuple[str, int], str] = field(default_factory=dict)

    def failed_tasks(self) -> list[str]:
        """Ids of the tasks that failed or could not run because an upstream task failed (a
        mapped task when any of its instances did)."""
        return sorted(t for t, s in self.task_states.items() if s in ("failed", "upstream_failed"))


def states_of(task_instances: Iterable[Any]) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    """(task_states, task_instance_states) of a run's task instances (the SDK's models)."""
    by_instance: dict[tuple[str, int], str] = {}
    for ti in task_instances:
        state = ti.get("state")
        text = "none" if state is None else str(getattr(state, "value", state))
        map_index = ti.get("map_index")
        by_instance[(str(ti.get("task_id")), -1 if map_index is None else int(map_index))] = text
    by_task: dict[str, str] = {}
    for (task_id, _), state in sorted(by_instance.items()):
        known = by_task.get(task_id)
        if known is None or _rank(state) < _rank(known):
            by_task[task_id] = state
    return by_task, by_instance


def _rank(state: str) -> int:
    # A state this list does not know (a newer Airflow's) counts as unfinished work.
    return _WORST_FIRST.index(state) if state in _WORST_FIRST else _WORST_FIRST.index("running")
