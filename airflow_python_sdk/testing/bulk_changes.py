"""bulkTaskInstances: set the state of many task instances of one DAG run in one request.

The body is `{"actions": [{"action": "update", "entities": [{"task_id", "map_index",
"new_state"}, ...]}]}`; every field is checked first, and any problem (an unknown field, a state
other than success, failed or skipped, a task instance named twice, more than
`MOST_TASK_INSTANCES` in one request) is a 400 and nothing changes; so is a DAG run that does not
exist (404). Then each task instance is settled on its own, all at once under the store's lock:
`changed`, `unchanged` (it had the state already) or `failed` with 404 (the run has no such task
instance), and the answer lists each one's result in the order they were named. Unlike Airflow
3.3, which stops at the first error of an action, this server settles every task instance.
"""

from __future__ import annotations

import json
from typing import Any

from .actions import NEW_STATES
from .problems import bad_request, not_found
from .store import Tables, TaskInstanceKey, TaskInstanceStore

Item = dict[str, Any]
# The most task instances one request may name: the SDK sends chunks of this many.
MOST_TASK_INSTANCES = 100
_ENTITY_FIELDS = ("task_id", "map_index", "new_state")


def change(store: TaskInstanceStore, dag_id: str, run_id: str, body: bytes) -> Item:
    wanted = _entities(body)

    def work(tables: Tables) -> Item:
        when = None
        for (run_dag, run_date), run in tables.runs.items():
            if run_dag == dag_id and run["dag_run_id"] == run_id:
                when = run_date
        if when is None:
            raise not_found("DAGRun not found",
                            f"DAGRun with DAG ID {dag_id!r} and DagRun ID {run_id!r} not found")
        results = []
        for task_id, map_index, new_state in wanted:
            result: Item = {"task_id": task_id, "map_index": map_index, "new_state": new_state,
                            "result": "changed", "status": None, "error": None}
            record = tables.records.get(TaskInstanceKey(dag_id, task_id, when, map_index))
            if record is None:
                mapped = "" if map_index == -1 else f" (map index {map_index})"
                result.update(result="failed", status=404,
                              error=f"Task instance {task_id!r}{mapped} of DAG run {run_id!r} "
                                    "does not exist.")
            elif record.fields.get("state") == new_state:
                result["result"] = "unchanged"
            else:
                record.fields["state"] = new_state
                record.touch()
            results.append(result)
        return {"dag_id": dag_id, "dag_run_id": run_id, "task_instances": results}

    return store.transact(work)


def _entities(body: bytes) -> list[tuple[str, int, str]]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad_request("The request body is not JSON.") from None
    if not isinstance(document, dict) or set(document) != {"actions"}:
        raise bad_request("The request body must be a BulkBodyBulkTaskInstanceBody object: "
                          "{\"actions\": [...]}.")
    actions = document["actions"]
    if not isinstance(actions, list):
        raise bad_request("actions must be a list.")
    wanted: list[tuple[str, int, str]] = []
    for number, action in enumerate(actions):
        if not isinstance(action, dict) or set(action) - {"action", "entities"}:
            raise bad_request(f"actions[{number}] must be a BulkUpdateAction object: "
                              "{\"action\": \"update\", \"entities\": [...]}.")
        if action.get("action") != "update":
            raise bad_request(f"actions[{number}].action: {action.get('action')!r} is not "
                              "'update'.")
        entities = action.get("entities")
        if not isinstance(entities, list):
            raise bad_request(f"actions[{number}].entities must be a list.")
        for place, entity in enumerate(entities):
            wanted.append(_entity(entity, f"actions[{number}].entities[{place}]"))
    if len(wanted) > MOST_TASK_INSTANCES:
        raise bad_request(f"{len(wanted)} task instances are named; one request may name at "
                          f"most {MOST_TASK_INSTANCES}.")
    if len(set((task, index) for task, index, _ in wanted)) < len(wanted):
        raise bad_request("A task instance is named twice.")
    return wanted


def _entity(entity: Any, where: str) -> tuple[str, int, str]:
    if not isinstance(entity, dict):
        raise bad_request(f"{where} must be a BulkTaskInstanceBody object.")
    for name in entity:
        if name not in _ENTITY_FIELDS:
            raise bad_request(f"{where}: {name!r} is not a field of BulkTaskInstanceBody.")
    task_id = entity.get("task_id")
    if not isinstance(task_id, str) or not task_id:
        raise bad_request(f"{where}.task_id must be a task id.")
    map_index = entity.get("map_index")
    map_index = -1 if map_index is None else map_index
    if isinstance(map_index, bool) or not isinstance(map_index, int) or map_index < -1:
        raise bad_request(f"{where}.map_index must be -1 or more.")
    new_state = entity.get("new_state")
    if new_state not in NEW_STATES:
        raise bad_request(f"{where}.new_state {new_state!r} is not one of {list(NEW_STATES)}.")
    return task_id, map_index, str(new_state)
