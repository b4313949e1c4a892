"""DAG runs, made from the task instances they hold: one run per DAG and execution date."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Optional

from .timestamps import format_timestamp

RunKey = tuple[str, datetime]  # (dag_id, execution_date as an aware UTC datetime)

DAG_RUN_STATES = ("queued", "running", "success", "failed")
# Task states of work still to do or being done: a run holding one is not finished.
_UNFINISHED = frozenset({None, "none", "running", "queued", "scheduled", "up_for_retry",
                         "up_for_reschedule", "deferred", "restarting", "sensing"})
_FAILED = frozenset({"failed", "upstream_failed"})


def run_id_for(execution_date: datetime) -> str:
    """The id Airflow's scheduler gives the run of an execution date."""
    return f"scheduled__{format_timestamp(execution_date)}"


def run_state(states: Iterable[Optional[str]]) -> str:
    """A run's state from its task instances' states, as the scheduler would settle it."""
    seen = set(states)
    if seen & _UNFINISHED:
        return "running"
    return "failed" if seen & _FAILED else "success"


def derive_runs(
    instances: Iterable[tuple[str, datetime, dict[str, Any]]],
) -> dict[RunKey, dict[str, Any]]:
    """The DAG run of every (dag_id, execution_date) the task instances name."""
    grouped: dict[RunKey, list[dict[str, Any]]] = {}
    for dag_id, execution_date, fields in instances:
        grouped.setdefault((dag_id, execution_date), []).append(fields)
    runs: dict[RunKey, dict[str, Any]] = {}
    for (dag_id, execution_date), members in sorted(grouped.items()):
        state = run_state(f.get("state") for f in members)
        starts = [f["start_date"] for f in members if f.get("start_date")]
        ends = [f["end_date"] for f in members if f.get("end_date")]
        runs[(dag_id, execution_date)] = {
            "dag_run_id": run_id_for(execution_date),
            "dag_id": dag_id,
            "execution_date": format_timestamp(execution_date),
            "start_date": min(starts) if starts else None,
            "end_date": max(ends) if ends and state in ("success", "failed") else None,
            "state": state,
            "external_trigger": False,
            "conf": {},
        }
    return runs
