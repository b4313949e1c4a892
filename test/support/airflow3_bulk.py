"""Airflow 3.3.2's bulk endpoint for task instances, for one DAG run, as a recording server's
handler: the tests of the SDK's Airflow 3 bulk change run against it over loopback HTTP.

It does what Airflow 3.3.2's BulkTaskInstanceService does (airflow/api_fastapi/core_api/
services/public/task_instances.py), with the answers recorded from it
(test/data/real_airflow_responses/v3_bulk_*.json):
- `PATCH /api/v2/dags/{dag}/dagRuns/{run}/taskInstances`: task instances the run does not have
  are skipped (`action_on_non_existence: skip`); the others are changed one after another in an
  order of their own (Airflow walks a set), and the first error ends the action: 409 for a task
  instance already in its new state, 404 for a task the DAG does not have, or whatever
  `refusals` says for a task instance. The answer is 200 with `update.success` (keys
  `<dag>.<run>.<task>[<map index>]`) and `update.errors`.
- `POST /api/v2/dags/~/dagRuns/~/taskInstances/list`: the batch list, filtered by task ids,
  paged by `page_offset`/`page_limit`.
- `POST /auth/token`: a token.
Every request is counted by kind.
"""

from __future__ import annotations

import random
import threading
from typing import Any, Dict, List, Optional, Set, Tuple

from support.recording_server import RecordedRequest, Reply

Key = Tuple[str, int]


class Airflow3BulkRun:
    def __init__(self, dag_id: str, run_id: str, states: Dict[Key, Optional[str]], *,
                 tasks_not_in_dag: Set[str] = frozenset(),  # type: ignore[assignment]
                 refusals: Optional[Dict[Key, Dict[str, Any]]] = None, seed: int = 7) -> None:
        self.dag_id = dag_id
        self.run_id = run_id
        self.states = dict(states)
        self.tasks_not_in_dag = set(tasks_not_in_dag)
        self.refusals = dict(refusals or {})
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.bulk_requests: List[List[Dict[str, Any]]] = []  # the entities of each
        self.list_requests = 0
        self.other_requests: List[str] = []

    @property
    def bulk_path(self) -> str:
        return f"/api/v2/dags/{self.dag_id}/dagRuns/{self.run_id}/taskInstances"

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if request.path.endswith("/auth/token"):
                return Reply.json({"access_token": "header.payload.signature"}, status=201)
            if request.method == "PATCH" and request.path == self.bulk_path:
                return self._bulk(request.json())
            if (request.method == "POST"
                    and request.path == "/api/v2/dags/~/dagRuns/~/taskInstances/list"):
                self.list_requests += 1
                return self._list(request.json())
            self.other_requests.append(f"{request.method} {request.path}")
            return Reply.json({"detail": "Not Found"}, status=404)

    def _bulk(self, body: Dict[str, Any]) -> Reply:
        (action,) = body["actions"]
        assert action["action"] == "update" and action["action_on_non_existence"] == "skip"
        entities = action["entities"]
        self.bulk_requests.append(entities)
        wanted = {(item["task_id"], item["map_index"]): item["new_state"] for item in entities}
        matched = [key for key in wanted if key in self.states]
        self._random.shuffle(matched)
        success: List[str] = []
        errors: List[Dict[str, Any]] = []
        for key in matched:
            task_id, map_index = key
            new_state = wanted[key]
            if task_id in self.tasks_not_in_dag:
                errors.append({"error": f"Task '{task_id}' not found in Dag '{self.dag_id}'",
                               "status_code": 404})
                break
            if key in self.refusals:
                errors.append(dict(self.refusals[key]))
                break
            if self.states[key] == new_state:
                errors.append({"error": f"Task id {task_id} is already in {new_state} state",
                               "status_code": 409})
                break
            self.states[key] = new_state
            success.append(f"{self.dag_id}.{self.run_id}.{task_id}[{map_index}]")
        return Reply.json({"create": None, "update": {"success": success, "errors": errors},
                           "delete": None})

    def _list(self, body: Dict[str, Any]) -> Reply:
        assert body["dag_ids"] == [self.dag_id] and body["dag_run_ids"] == [self.run_id]
        tasks = set(body.get("task_ids") or ())
        listed = [{"dag_id": self.dag_id, "dag_run_id": self.run_id, "task_id": task_id,
                   "map_index": map_index, "state": state}
                  for (task_id, map_index), state in sorted(self.states.items())
                  if not tasks or task_id in tasks]
        offset, limit = body.get("page_offset", 0), body.get("page_limit", 100)
        return Reply.json({"task_instances": listed[offset:offset + limit],
                           "total_entries": len(listed)})
