"""Loopback list servers in each dialect's shape, for the page walks: one that answers every
list request from a script (the same page again and again, pages that cycle, a page far larger
than asked for), and the tokens and run lookups a real-server dialect asks for first.

The list requests are counted (`lists`), so a test says how many a walk made before it ended.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

from support.recording_server import RecordedRequest, Reply

PREFIX = {"draft": "/api/v1", "airflow2": "/api/v1", "airflow3": "/api/v2"}
DATE = "2026-11-26T00:00:00+00:00"
RUN_ID = "scheduled__2026-11-26T00:00:00+00:00"
# The collection field each kind of list has, in each dialect.
ITEMS = {
    ("task_instances", "draft"): "task_instances",
    ("task_instances", "airflow2"): "task_instances",
    ("task_instances", "airflow3"): "task_instances",
    ("dag_runs", "draft"): "dag_runs",
    ("dag_runs", "airflow2"): "dag_runs",
    ("dag_runs", "airflow3"): "dag_runs",
    ("xcom", "draft"): "xcom",
    ("xcom", "airflow2"): "xcom_entries",
    ("xcom", "airflow3"): "xcom_entries",
}


def item(kind: str, number: int, dialect: str) -> dict[str, Any]:
    """Item `number` of a list of `kind`, with the date field the dialect's server names."""
    date_field = "logical_date" if dialect == "airflow3" else "execution_date"
    if kind == "task_instances":
        return {"dag_id": "d", "dag_run_id": RUN_ID, "task_id": f"t{number}", date_field: DATE,
                "map_index": -1, "state": "success"}
    if kind == "dag_runs":
        return {"dag_id": "d", "dag_run_id": f"run{number}", date_field: DATE,
                "state": "success"}
    return {"dag_id": "d", "task_id": "t", date_field: DATE, "map_index": -1,
            "key": f"key{number}", "timestamp": DATE}


def page(kind: str, dialect: str, numbers: Any, total: Optional[int]) -> dict[str, Any]:
    document: dict[str, Any] = {ITEMS[(kind, dialect)]: [item(kind, n, dialect)
                                                       for n in numbers]}
    if total is not None:
        document["total_entries"] = total
    return document


def asked_limit(request: RecordedRequest) -> int:
    """The page size a list request asked for (a query's `limit`, a batch POST's
    `page_limit`)."""
    if "limit" in request.query_params:
        return int(request.query_params["limit"][-1])
    return int(request.json().get("page_limit", 100)) if request.body else 100


Script = Callable[[int, RecordedRequest], Any]  # list request number (from 0) -> document


class ListServer:
    """A handler for `RecordingServer`: tokens, run lookups, and list pages from `script`.

    `stop_after`: past so many list requests, answer 400, so that a walk that never ends fails
    its test (with the count) instead of hanging it.
    """

    def __init__(self, script: Script, stop_after: int = 200) -> None:
        self.script = script
        self.stop_after = stop_after
        self.lists = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        path = request.path
        if path.endswith("/auth/token"):
            return Reply.json({"access_token": "token"}, status=201)
        query = request.query_params
        if path.endswith("/dagRuns") and any(name.endswith("_lte") for name in query):
            # A real-server dialect looking up the run of an execution date (XCom).
            return Reply.json({"dag_runs": [{"dag_id": "d", "dag_run_id": RUN_ID,
                                             "execution_date": DATE, "logical_date": DATE}],
                               "total_entries": 1})
        with self._lock:
            number = self.lists
            self.lists += 1
        if number >= self.stop_after:
            return Reply.json({"title": "too many requests: the walk did not end"}, status=400)
        return Reply.json(self.script(number, request))
