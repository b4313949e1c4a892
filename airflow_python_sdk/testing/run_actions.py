"""The DAG run operations that change runs: trigger, mark (state or note), clear, delete.

- trigger: a new run, `queued` (a paused DAG's too: it waits), with one task instance per task
  of the DAG, no state yet and try number 0. Its id is the body's `dag_run_id` or
  `manual__<date>`; its date the body's `execution_date` (Airflow 3's `logical_date` is read
  too) or now. A run id or date the DAG already has is a 409, as on Airflow.
- update: `state` (success, failed or queued, see run_states.py) and `note`, named by
  `update_mask` or, without one, whichever the body sets.
- clear: every task instance of the run is cleared (see actions.clear_one) and the run goes back
  to queued; a dry run (the default) changes nothing; both answer the task instances concerned.
- delete: the run and its task instances.
A trigger, a real clear and marking a run queued give the run to the scheduler (scheduler.py),
which runs it when it is running; marking it success or failed takes it back.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Optional

from .actions import clear_one, references
from .dag_runs import DAG_RUN_FIELDS, RunKey, run_fields, run_id_for
from .problems import ApiProblem, bad_request, not_found
from .queries import Query
from .run_states import RUN_STATES_A_CLIENT_SETS, mark_run
from .seeding import build_record
from .store import Tables, TaskInstanceKey, TaskInstanceStore
from .timestamps import (
    InvalidTimestamp,
    UnrepresentableTimestamp,
    format_timestamp,
    parse_timestamp,
)

Item = dict[str, Any]
# What a trigger's body may set; the other fields of a run are the server's.
_TRIGGER_FIELDS = ("dag_run_id", "execution_date", "logical_date", "conf", "note",
                   "data_interval_start", "data_interval_end")
_UPDATABLE = ("state", "note")


def trigger(store: TaskInstanceStore, dag_id: str, body: bytes) -> Item:
    document = _object(body, "DAGRun")
    for name in document:
        if name not in _TRIGGER_FIELDS:
            if name in DAG_RUN_FIELDS:
                raise bad_request(f"{name!r} cannot be set when triggering a run: the server "
                                  "sets it (a new run is queued).")
            raise bad_request(f"{name!r} is not a DAGRun field.")
    when = _trigger_date(document)
    run_id = _optional_text(document, "dag_run_id")
    if run_id == "":
        raise bad_request("dag_run_id may not be empty.")
    conf = document.get("conf")
    if conf is not None and not isinstance(conf, dict):
        raise bad_request("conf must be a JSON object.")
    note = _optional_text(document, "note")
    start, end = (_optional_date(document, name)
                  for name in ("data_interval_start", "data_interval_end"))
    if (start is None) != (end is None):
        raise bad_request("data_interval_start and data_interval_end must be given together.")
    interval = (format_timestamp(start), format_timestamp(end)) if start and end else None
    run_id = run_id or run_id_for(when, "manual")

    def work(tables: Tables) -> Item:
        dag = tables.dags.get(dag_id)
        if dag is None:
            raise not_found("DAG not found", f"DAG with dag_id: {dag_id!r} not found")
        for (other_dag, other_date), run in tables.runs.items():
            if other_dag == dag_id and (run["dag_run_id"] == run_id or other_date == when):
                raise ApiProblem(409, f"DAGRun with DAG ID: {dag_id!r} and DAGRun ID: "
                                 f"{run_id!r} or date {format_timestamp(when)} already exists",
                                 title="Conflict")
        run = run_fields(dag_id, when, run_id, state="queued", run_type="manual", conf=conf,
                         note=note, data_interval=interval)
        tables.runs[(dag_id, when)] = run
        tables.give_to_scheduler((dag_id, when), time.monotonic())
        for task in dag.tasks.values():
            key, record = build_record({
                "dag_id": dag_id, "task_id": task.task_id, "execution_date": when,
                "dag_run_id": run_id, "operator": task.operator, "max_tries": task.retries,
                "pool": task.pool, "queue": task.queue, "downstream": list(task.downstream)})
            record.touch()
            tables.records[key] = record
        return run

    return store.transact(work)


def update(store: TaskInstanceStore, dag_id: str, run_id: str, body: bytes,
           query: Query) -> Item:
    document = _object(body, "DAGRun")
    for name in document:
        if name not in DAG_RUN_FIELDS:
            raise bad_request(f"{name!r} is not a DAGRun field.")
    mask = [part.strip() for value in query.get("update_mask", []) for part in value.split(",")]
    mask = [name for name in mask if name]
    for name in mask:
        if name not in _UPDATABLE:
            raise bad_request(f"update_mask: {name!r} cannot be updated; only state and note.")
        if name not in document:
            raise bad_request(f"update_mask names {name!r}, but the body does not set it.")
    if not mask:
        for name in document:
            if name not in _UPDATABLE and not _same_identity(name, document[name], dag_id, run_id):
                raise bad_request(f"{name!r} cannot be updated; only state and note.")
    names = mask or [name for name in _UPDATABLE if name in document]
    if not names:
        raise bad_request("Nothing to update: set state or note.")
    state = document.get("state") if "state" in names else None
    if "state" in names and state not in RUN_STATES_A_CLIENT_SETS:
        raise bad_request(f"state: {state!r} is not one of {list(RUN_STATES_A_CLIENT_SETS)}")
    note = _optional_text(document, "note") if "note" in names else None
    now = format_timestamp(datetime.now(timezone.utc))

    def work(tables: Tables) -> Item:
        key, run = _run(tables, dag_id, run_id)
        if "note" in names:
            run["note"] = note
        if state is not None:
            mark_run(run, [record for other, record in tables.records.items()
                           if (other.dag_id, other.execution_date) == key], state, now)
            if state == "queued":
                tables.give_to_scheduler(key, time.monotonic())
            else:
                tables.work.pop(key, None)
        return run

    return store.transact(work)


def clear(store: TaskInstanceStore, dag_id: str, run_id: str, body: bytes) -> Item:
    document = _object(body, "ClearDagRun")
    for name in document:
        if name != "dry_run":
            raise bad_request(f"ClearDagRun: {name!r} is not a field of ClearDagRun")
    dry_run = document.get("dry_run")
    if dry_run is None:
        dry_run = True  # missing or null: the safe default
    if not isinstance(dry_run, bool):
        raise bad_request(f"ClearDagRun: dry_run {dry_run!r} is not a boolean")

    def work(tables: Tables) -> Item:
        key, run = _run(tables, dag_id, run_id)
        chosen = sorted(other for other in tables.records
                        if (other.dag_id, other.execution_date) == key)
        if not dry_run:
            for other in chosen:
                clear_one(tables.records[other])
            run.update(state="queued", end_date=None)
            tables.give_to_scheduler(key, time.monotonic())
        return references(chosen, tables.runs)

    return store.transact(work)


def delete(store: TaskInstanceStore, dag_id: str, run_id: str) -> None:
    def work(tables: Tables) -> None:
        key, _ = _run(tables, dag_id, run_id)
        del tables.runs[key]
        tables.work.pop(key, None)
        doomed: list[TaskInstanceKey] = [other for other in tables.records
                                         if (other.dag_id, other.execution_date) == key]
        for other in doomed:
            del tables.records[other]

    store.transact(work)


def _run(tables: Tables, dag_id: str, run_id: str) -> tuple[RunKey, Item]:
    for key, run in tables.runs.items():
        if key[0] == dag_id and run["dag_run_id"] == run_id:
            return key, run
    raise not_found("DAGRun not found",
                    f"DAGRun with DAG ID {dag_id!r} and DagRun ID {run_id!r} not found")


def _same_identity(name: str, value: Any, dag_id: str, run_id: str) -> bool:
    """A body may repeat the run's identity, as a run read back and sent again does."""
    return (name, value) in (("dag_id", dag_id), ("dag_run_id", run_id))


def _trigger_date(document: Item) -> datetime:
    execution = _optional_date(document, "execution_date")
    logical = _optional_date(document, "logical_date")
    if execution is not None and logical is not None and execution != logical:
        raise bad_request("execution_date and logical_date name different dates.")
    when = execution or logical
    return when if when is not None else datetime.now(timezone.utc)


def _object(body: bytes, schema: str) -> Item:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad_request("The request body is not JSON.") from None
    if not isinstance(document, dict):
        raise bad_request(f"The request body must be a {schema} object.")
    return document


def _optional_text(document: Item, name: str) -> Optional[str]:
    value = document.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{name}: {value!r} is not a string")
    return value


def _optional_date(document: Item, name: str) -> Optional[datetime]:
    value = document.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name}: {value!r} is not an RFC 3339 date-time")
    try:
        return parse_timestamp(value)
    except (InvalidTimestamp, UnrepresentableTimestamp) as error:
        raise bad_request(f"{name}: {error}") from None
