"""DAG runs: those the seed's task instances make (one per DAG and execution date), and the
fields every run shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Optional

from .timestamps import format_timestamp

RunKey = tuple[str, datetime]  # (dag_id, execution_date as an aware UTC datetime)

DAG_RUN_STATES = ("queued", "running", "success", "failed")
# The fields of the spec's DAGRun, in its order: what every run shows.
DAG_RUN_FIELDS = ("dag_run_id", "dag_id", "execution_date", "start_date", "end_date", "state",
                  "external_trigger", "conf", "note", "data_interval_start", "data_interval_end",
                  "last_scheduling_decision", "run_type")
# Task states of work still to do or being done: a run holding one is not finished.
_UNFINISHED = frozenset({None, "none", "running", "queued", "scheduled", "up_for_retry",
                         "up_for_reschedule", "deferred", "restarting", "sensing"})
_FAILED = frozenset({"failed", "upstream_failed"})


@dataclass
class RunWork:
    """A run the scheduler looks after (triggered, cleared or queued again by a client), and
    when its next steps are due, in time.monotonic() seconds."""

    queued_at: float  # when the run was (last) queued: it starts running a pace later
    # Task instances (their store keys) running, or waiting to retry: when that ends.
    due: dict[Any, float] = field(default_factory=dict)


# The runs the scheduler looks after, by run key; the seed's runs are not among them.
Work = dict[RunKey, RunWork]


def run_id_for(execution_date: datetime, run_type: str = "scheduled") -> str:
    """The id Airflow gives the run of an execution date: `scheduled__<date>` for the
    scheduler's, `manual__<date>` for a triggered one."""
    return f"{run_type}__{format_timestamp(execution_date)}"


def run_fields(dag_id: str, execution_date: datetime, run_id: str, *, state: str,
               run_type: str, start_date: Optional[str] = None, end_date: Optional[str] = None,
               conf: Optional[dict[str, Any]] = None, note: Optional[str] = None,
               data_interval: Optional[tuple[str, str]] = None) -> dict[str, Any]:
    """A run's fields as the API shows them (the spec's DAGRun)."""
    when = format_timestamp(execution_date)
    start, end = data_interval or (when, when)
    return {
        "dag_run_id": run_id,
        "dag_id": dag_id,
        "execution_date": when,
        "start_date": start_date,
        "end_date": end_date,
        "state": state,
        "external_trigger": run_type == "manual",
        "conf": conf if conf is not None else {},
        "note": note,
        "data_interval_start": start,
        "data_interval_end": end,
        "last_scheduling_decision": None,
        "run_type": run_type,
    }


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
        # The id the task instances name (a seed may give its own), else the scheduler's.
        run_id = next((f["dag_run_id"] for f in members if f.get("dag_run_id")),
                      run_id_for(execution_date))
        runs[(dag_id, execution_date)] = run_fields(
            dag_id, execution_date, run_id, state=state,
            run_type="scheduled", start_date=min(starts) if starts else None,
            end_date=max(ends) if ends and state in ("success", "failed") else None)
    return runs
