"""clearTaskInstances and updateTaskInstancesState, and the scheduler's next run of cleared work.

Both actions answer the task instances they change; a dry run (the spec's default) changes nothing
and answers what would change. A real one changes every affected record at once. Clearing works as
Airflow's does: each cleared task instance keeps its try number (its last try goes to the tries'
history) and loses its state (a running one becomes `restarting`); with `reset_dag_runs` its DAG run
goes back to `queued`; the run is the scheduler's to run again. `include_past` and `include_future`
drop the lower and upper date bound (the task instances of earlier and later runs). The next run of
a cleared task instance (`run_cleared`) is try number + 1.
"""

from __future__ import annotations

import copy
import json
import time
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from .dag_runs import run_id_for, run_state
from .problems import bad_request, not_found
from .store import Records, Runs, StoredTaskInstance, Tables, TaskInstanceKey, TaskInstanceStore
from .timestamps import (
    InvalidTimestamp,
    UnrepresentableTimestamp,
    format_timestamp,
    parse_timestamp,
)

Item = dict[str, Any]
NEW_STATES = ("success", "failed", "skipped")


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("is not a boolean")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("is not a string")
    return value


def _date(value: Any) -> datetime:
    try:
        return parse_timestamp(_text(value))
    except (InvalidTimestamp, UnrepresentableTimestamp) as error:
        raise ValueError(str(error)) from None


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("is not a list of strings")
    return value


def _new_state(value: Any) -> str:
    if value not in NEW_STATES:
        raise ValueError(f"is not one of {list(NEW_STATES)}")
    return str(value)


_CLEAR_FIELDS: dict[str, Callable[[Any], Any]] = {
    "dry_run": _boolean, "start_date": _date, "end_date": _date, "task_ids": _texts,
    "only_failed": _boolean, "only_running": _boolean, "reset_dag_runs": _boolean,
    "include_upstream": _boolean, "include_downstream": _boolean, "include_subdags": _boolean,
    "include_parentdag": _boolean, "include_future": _boolean, "include_past": _boolean,
}
_STATE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "dry_run": _boolean, "task_id": _text, "execution_date": _date, "new_state": _new_state,
    "include_upstream": _boolean, "include_downstream": _boolean, "include_future": _boolean,
    "include_past": _boolean,
}


def clear(store: TaskInstanceStore, dag_id: str, body: bytes) -> Item:
    options = _options(body, "ClearTaskInstance", _CLEAR_FIELDS)
    low = None if options.get("include_past") else options.get("start_date")
    high = None if options.get("include_future") else options.get("end_date")
    states: Optional[set[Optional[str]]] = None
    if options.get("only_failed", True):
        states = {"failed", "upstream_failed"}
    if options.get("only_running", False):
        states = {"running"} if states is None else states & {"running"}

    def work(tables: Tables) -> Item:
        records, runs = tables.records, tables.runs
        if dag_id not in tables.dags:
            raise not_found("DAG not found", f"DAG with dag_id {dag_id!r} was not found.")
        tasks = _tasks(records, dag_id, options.get("task_ids"), options)
        chosen = sorted(
            key for key, record in records.items()
            if key.dag_id == dag_id and (tasks is None or key.task_id in tasks)
            and (low is None or key.execution_date >= low)
            and (high is None or key.execution_date <= high)
            and (states is None or record.fields.get("state") in states)
        )
        if not options.get("dry_run", True):
            now = time.monotonic()
            for key in chosen:
                clear_one(records[key])
                if options.get("reset_dag_runs", True):
                    run = runs[(key.dag_id, key.execution_date)]
                    run.update(state="queued", end_date=None)
                # The scheduler (when it runs) runs the cleared task instances again.
                tables.give_to_scheduler((key.dag_id, key.execution_date), now)
        return references(chosen, runs)

    return store.transact(work)


def set_state(store: TaskInstanceStore, dag_id: str, body: bytes) -> Item:
    options = _options(body, "UpdateTaskInstancesState", _STATE_FIELDS)
    for required in ("task_id", "execution_date", "new_state"):
        if required not in options:
            raise bad_request(f"UpdateTaskInstancesState: {required} is required")
    when: datetime = options["execution_date"]
    new_state: str = options["new_state"]

    def work(tables: Tables) -> Item:
        records = tables.records
        if not any(key[:3] == (dag_id, options["task_id"], when) for key in records):
            raise not_found("Task instance not found",
                            f"Task {options['task_id']!r} of DAG {dag_id!r} has no task instance "
                            f"at {format_timestamp(when)}.")
        tasks = _tasks(records, dag_id, [options["task_id"]], options)
        chosen = sorted(
            key for key, record in records.items()
            if key.dag_id == dag_id and tasks is not None and key.task_id in tasks
            and _in_time(key.execution_date, when, options)
            and record.fields.get("state") != new_state
        )
        if not options.get("dry_run", True):
            for key in chosen:
                records[key].fields["state"] = new_state
                records[key].touch()
        return references(chosen, tables.runs)

    return store.transact(work)


def run_cleared(store: TaskInstanceStore, state: str = "success") -> int:
    """Run every cleared task instance once more, ending in `state`: its try number goes up by
    one, it gets that try's log, and its DAG run settles. Task instances of a paused DAG wait,
    as Airflow's scheduler leaves them. Returns how many ran."""
    now = format_timestamp(datetime.now(timezone.utc))

    def work(tables: Tables) -> int:
        records, runs = tables.records, tables.runs
        ran = 0
        for key, record in records.items():
            fields = record.fields
            if fields.get("state") not in (None, "restarting"):
                continue
            if runs[(key.dag_id, key.execution_date)]["state"] not in ("queued", "running"):
                continue
            dag = tables.dags.get(key.dag_id)
            if dag is not None and dag.is_paused:
                continue
            fields.update(try_number=fields.get("try_number", 0) + 1, state=state,
                          start_date=now, end_date=now, duration=0.0)
            record.logs[fields["try_number"]] = f"[{now}] Ran try {fields['try_number']}: {state}\n"
            record.touch()
            ran += 1
        for (dag_id, when), run in runs.items():
            dag = tables.dags.get(dag_id)
            if dag is not None and dag.is_paused:
                continue  # its runs wait for it to be unpaused
            members = [r.fields.get("state") for k, r in records.items()
                       if (k.dag_id, k.execution_date) == (dag_id, when)]
            if not members:
                continue  # a run of a DAG without tasks: nothing to settle it by
            run["state"] = run_state(members)
            run["end_date"] = now if run["state"] in ("success", "failed") else None
        return ran

    return store.transact(work)


def _options(body: bytes, schema: str, table: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("The request body is not JSON.") from None
    if not isinstance(document, dict):
        raise bad_request(f"The request body must be a {schema} object.")
    options = {}
    for name, value in document.items():
        check = table.get(name)
        if check is None:
            raise bad_request(f"{schema}: {name!r} is not a field of {schema}")
        if value is None:
            continue  # null: the field's default
        try:
            options[name] = check(value)
        except ValueError as error:
            raise bad_request(f"{schema}: {name} {value!r} {error}") from None
    return options


def _tasks(records: Records, dag_id: str, named: Optional[list[str]],
           options: dict[str, Any]) -> Optional[set[str]]:
    """The task ids an action is about: those named, plus their relatives when asked."""
    if named is None:
        return None
    downstream: dict[str, set[str]] = {}
    for key, record in records.items():
        if key.dag_id == dag_id:
            downstream.setdefault(key.task_id, set()).update(record.downstream)
    upstream: dict[str, set[str]] = {}
    for task, after in downstream.items():
        for other in after:
            upstream.setdefault(other, set()).add(task)
    tasks = set(named)
    for flag, graph in (("include_downstream", downstream), ("include_upstream", upstream)):
        if options.get(flag):
            tasks |= _reachable(set(named), graph)
    return tasks


def _reachable(start: set[str], graph: dict[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _in_time(when: datetime, asked: datetime, options: dict[str, Any]) -> bool:
    return (when == asked or (options.get("include_future", False) and when > asked)
            or (options.get("include_past", False) and when < asked))


def clear_one(record: StoredTaskInstance) -> None:
    """Clear one task instance as Airflow does: its last try goes to the history, its state
    goes (a running one is `restarting`), its try number stays until it runs again."""
    fields = record.fields
    tried = fields.get("try_number", 0)
    if tried >= 1 and all(earlier.get("try_number") != tried for earlier in record.tries):
        record.tries.append(copy.deepcopy(fields))
    fields["state"] = "restarting" if fields.get("state") == "running" else None
    fields["max_tries"] = max(fields.get("max_tries", 0), tried)
    record.touch()


def references(keys: list[TaskInstanceKey], runs: Runs) -> Item:
    """The answer of an action: which task instances it changed (or would change)."""
    def run_id(key: TaskInstanceKey) -> str:
        run = runs.get((key.dag_id, key.execution_date))
        return str(run["dag_run_id"]) if run else run_id_for(key.execution_date)

    return {"task_instances": [
        {"dag_id": key.dag_id, "dag_run_id": run_id(key),
         "execution_date": format_timestamp(key.execution_date), "task_id": key.task_id,
         "map_index": key.map_index}
        for key in keys
    ]}
