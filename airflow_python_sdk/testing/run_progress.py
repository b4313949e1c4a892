"""What the scheduler does to the runs it looks after, at one moment: the steps that are due.

A run given to the scheduler (triggered, cleared, or marked queued) goes:
- queued -> running a pace after it was queued, unless its DAG is paused (then nothing of it
  moves until the DAG is unpaused);
- each task instance with no state (or cleared) starts once every upstream task's instances
  have finished: it runs its next try (try number + 1) for its task's `duration` (the pace when
  not scripted) and ends as its task's script says for that try (dags.StoredTask.outcome); an
  upstream failure makes it `upstream_failed`, an upstream skip `skipped` (Airflow's default
  trigger rule, all_success); a failed try with retries left is `up_for_retry` and tries again
  a pace later;
- once every task instance has finished, the run ends: `failed` if one failed or was
  upstream_failed, else `success`; the scheduler is done with it.
Each try gets a log, and the tries before it go to the task instance's history (its tries).
Times are time.monotonic() seconds; the fields the API shows get the wall-clock time.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Optional

from .dag_runs import RunKey, RunWork, run_state
from .dags import StoredDag, StoredTask
from .store import StoredTaskInstance, Tables, TaskInstanceKey
from .timestamps import format_timestamp

__all__ = ["advance"]

FINISHED = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
_WAITING = frozenset({None, "none", "scheduled", "queued", "restarting"})
_FAILED = frozenset({"failed", "upstream_failed"})


def advance(tables: Tables, now: float, pace: float) -> Optional[float]:
    """Take every step due at `now` in every run the scheduler looks after; answer when the next
    step is due (None: nothing is, until something changes)."""
    next_due: Optional[float] = None
    for key in list(tables.work):
        due = _advance_run(tables, key, now, pace)
        if due is not None:
            next_due = due if next_due is None else min(next_due, due)
    return next_due


def _advance_run(tables: Tables, key: RunKey, now: float, pace: float) -> Optional[float]:
    work = tables.work[key]
    run = tables.runs.get(key)
    dag = tables.dags.get(key[0])
    if run is None or dag is None:
        del tables.work[key]  # deleted meanwhile
        return None
    if dag.is_paused:
        return None  # a paused DAG's runs wait for it: nothing is due until it is unpaused
    wall = format_timestamp(datetime.now(timezone.utc))
    if run["state"] == "queued":
        start = work.queued_at + pace
        if now < start:
            return start
        run.update(state="running", end_date=None)
        run["start_date"] = run.get("start_date") or wall
    elif run["state"] != "running":
        run.update(state="running", end_date=None)  # cleared without resetting the run
    members = {k: r for k, r in tables.records.items() if (k.dag_id, k.execution_date) == key}
    changed = True
    while changed:  # at pace 0 a whole chain of tasks runs in one call
        changed = False
        for task_key, record in sorted(members.items()):
            if _step(task_key, record, members, dag, work, now, pace, wall):
                changed = True
    if all(r.fields.get("state") in FINISHED for r in members.values()):
        run["state"] = run_state(r.fields.get("state") for r in members.values())
        run["end_date"] = wall
        del tables.work[key]
        return None
    pending = [at for k, at in work.due.items() if k in members]
    return min(pending) if pending else None


def _step(key: TaskInstanceKey, record: StoredTaskInstance,
          members: dict[TaskInstanceKey, StoredTaskInstance], dag: StoredDag, work: RunWork,
          now: float, pace: float, wall: str) -> bool:
    """Take the task instance's due step, if one is; True when it changed."""
    fields = record.fields
    state = fields.get("state")
    task = dag.tasks.get(key.task_id) or StoredTask(key.task_id)
    due = work.due.get(key)
    if state == "running":
        if due is None:  # running when given to the scheduler: its try ends a pace from now
            work.due[key] = now + _duration(task, pace)
            return False
        if now < due:
            return False
        _finish(key, record, task, work, now, pace, wall)
        return True
    if state == "up_for_retry":
        if due is None:
            work.due[key] = now + pace
            return False
        if now < due:
            return False
        _start(key, record, task, work, now, pace, wall)
        return True
    if state not in _WAITING:
        return False
    upstream = [r.fields.get("state") for k, r in members.items()
                if key.task_id in _downstream(dag, k, r)]
    if any(s not in FINISHED for s in upstream):
        return False
    if any(s in _FAILED for s in upstream):
        _end_without_running(record, "upstream_failed", wall)
    elif any(s in ("skipped", "removed") for s in upstream):
        _end_without_running(record, "skipped", wall)
    else:
        _start(key, record, task, work, now, pace, wall)
    return True


def _downstream(dag: StoredDag, key: TaskInstanceKey, record: StoredTaskInstance) -> list[str]:
    task = dag.tasks.get(key.task_id)
    return task.downstream if task is not None else record.downstream


def _duration(task: StoredTask, pace: float) -> float:
    return pace if task.duration is None else task.duration


def _start(key: TaskInstanceKey, record: StoredTaskInstance, task: StoredTask, work: RunWork,
           now: float, pace: float, wall: str) -> None:
    fields = record.fields
    tried = int(fields.get("try_number") or 0)
    if tried >= 1 and all(earlier.get("try_number") != tried for earlier in record.tries):
        record.tries.append(copy.deepcopy(fields))  # the try before goes to the history
    fields.update(try_number=tried + 1, state="running", start_date=wall, end_date=None,
                  duration=None, queued_dttm=wall, hostname="embedded-scheduler", pid=None,
                  job_id=None)
    record.logs[tried + 1] = (f"[{wall}] {{taskinstance.py:2867}} INFO - Starting attempt "
                              f"{tried + 1} of {max(int(fields.get('max_tries') or 0), tried) + 1}"
                              f"\n[{wall}] {{standard_task_runner.py:72}} INFO - Started process "
                              f"to run {key.task_id}\n")
    record.touch()
    work.due[key] = now + _duration(task, pace)


def _finish(key: TaskInstanceKey, record: StoredTaskInstance, task: StoredTask, work: RunWork,
            now: float, pace: float, wall: str) -> None:
    fields = record.fields
    try_number = int(fields.get("try_number") or 1)
    outcome = task.outcome(try_number)
    retrying = outcome == "failed" and try_number <= int(fields.get("max_tries") or 0)
    state = "up_for_retry" if retrying else outcome
    lines = [task.log] if task.log and outcome == "failed" else []
    lines.append({"success": "INFO - Marking task as SUCCESS.",
                  "skipped": "INFO - Marking task as SKIPPED.",
                  "failed": "ERROR - Task failed with exception; marking as "
                            + ("UP_FOR_RETRY." if retrying else "FAILED.")}[outcome])
    record.logs[try_number] = record.logs.get(try_number, "") + "".join(
        f"[{wall}] {{taskinstance.py:1225}} {line}\n" for line in lines)
    fields.update(state=state, end_date=wall, duration=_duration(task, pace))
    record.touch()
    if retrying:
        work.due[key] = now + pace
    else:
        work.due.pop(key, None)


def _end_without_running(record: StoredTaskInstance, state: str, wall: str) -> None:
    record.fields.update(state=state, end_date=wall)
    record.touch()
