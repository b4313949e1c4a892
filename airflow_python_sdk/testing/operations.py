"""The operations of openapi.yaml, free of HTTP plumbing (see handler.py for that).

Checks run in Airflow's order: route (404/405), credentials (401), permission (403), arguments
(400), then the task instance itself (404).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from . import actions, bulk_changes, dag_operations, listing, queries, run_actions
from .auth import Authenticator
from .log_chunks import InvalidToken, LogChunker
from .negotiation import prefers_plain_text
from .problems import ApiProblem, bad_request, not_found
from .routes import Route, match
from .store import StoredTaskInstance, TaskInstanceKey, TaskInstanceStore
from .timestamps import InvalidTimestamp, UnrepresentableTimestamp, parse_timestamp
from .updates import requested_changes

JSON = "application/json"
# Airflow answers {"version": "2.10.5", "git_version": ...}. This server runs no Airflow release:
# "version" stays null (a client that reads it as Airflow's finds none) and "dialect" says what it
# speaks, the draft spec, which the SDK's "auto" dialect reads.
VERSION_ANSWER = {"version": None, "git_version": None, "dialect": "draft"}
_WRITE_OPERATIONS = frozenset({"updateTaskInstance", "deleteTaskInstance", "clearTaskInstances",
                               "updateTaskInstancesState", "updateDag", "updateDags",
                               "triggerDagRun", "updateDagRun", "deleteDagRun", "clearDagRun",
                               "bulkTaskInstances"})


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # still percent-encoded
    query: dict[str, list[str]]
    authorization: Optional[str]
    accept: Optional[str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: Optional[str] = None
    headers: dict[str, str] = field(default_factory=dict)


def _json_reply(document: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(document).encode("utf-8"), JSON)


class Operations:
    def __init__(
        self, store: TaskInstanceStore, authenticator: Authenticator, chunker: LogChunker,
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._changed = changed  # told after every write: the scheduler may have work
        self._authenticator = authenticator
        self._chunker = chunker
        self._by_id: dict[str, Callable[[Request, Route, TaskInstanceKey], Reply]] = {
            "getTaskInstance": self._get_task_instance,
            "updateTaskInstance": self._update_task_instance,
            "deleteTaskInstance": self._delete_task_instance,
            "getExtraLinks": self._get_extra_links,
            "getLogs": self._get_logs,
            "getTaskInstanceTries": self._get_tries,
            "getXComValues": self._get_xcom_entries,
            "getXComValue": self._get_xcom_entry,
        }
        # The operations on a whole DAG (or every DAG): no task instance in their path.
        self._on_dag: dict[str, Callable[[Request, Route], Reply]] = {
            "getTaskInstances": lambda request, route: _json_reply(
                listing.task_instances(self._store, route.dag_id, request.query)),
            "getDagRuns": lambda request, route: _json_reply(
                listing.dag_runs(self._store, route.dag_id, request.query)),
            "getDagRun": lambda request, route: _json_reply(
                listing.dag_run(self._store, route.dag_id, route.dag_run_id or "")),
            "clearTaskInstances": lambda request, route: _json_reply(
                actions.clear(self._store, route.dag_id, request.body)),
            "updateTaskInstancesState": lambda request, route: _json_reply(
                actions.set_state(self._store, route.dag_id, request.body)),
            "getDags": lambda request, route: _json_reply(
                dag_operations.get_dags(self._store, request.query)),
            "updateDags": lambda request, route: _json_reply(
                dag_operations.update_dags(self._store, request.body, request.query)),
            "getDag": lambda request, route: _json_reply(
                dag_operations.get_dag(self._store, route.dag_id)),
            "updateDag": lambda request, route: _json_reply(
                dag_operations.update_dag(self._store, route.dag_id, request.body,
                                          request.query)),
            "triggerDagRun": lambda request, route: _json_reply(
                run_actions.trigger(self._store, route.dag_id, request.body)),
            "updateDagRun": lambda request, route: _json_reply(
                run_actions.update(self._store, route.dag_id, route.dag_run_id or "",
                                   request.body, request.query)),
            "deleteDagRun": self._delete_dag_run,
            "bulkTaskInstances": lambda request, route: _json_reply(
                bulk_changes.change(self._store, route.dag_id, route.dag_run_id or "",
                                    request.body)),
            "clearDagRun": lambda request, route: _json_reply(
                run_actions.clear(self._store, route.dag_id, route.dag_run_id or "",
                                  request.body)),
        }

    def handle(self, request: Request) -> Reply:
        """Answer a request; errors come back as ApiProblem exceptions."""
        route = match(request.method, request.path)
        if route.operation_id == "getVersion":
            # As on Airflow, without credentials: a client asks before it knows how to sign in.
            return _json_reply(VERSION_ANSWER)
        user = self._authenticator.authenticate(request.authorization)
        writes = route.operation_id in _WRITE_OPERATIONS
        if writes and user.read_only:
            raise ApiProblem(403, f"User {user.name!r} may only read.", title="Forbidden")
        try:
            if not route.addresses_task_instance:
                return self._on_dag[route.operation_id](request, route)
            key = _key(route, request.query)
            return self._by_id[route.operation_id](request, route, key)
        finally:
            if writes:
                self._changed()

    def _delete_dag_run(self, request: Request, route: Route) -> Reply:
        run_actions.delete(self._store, route.dag_id, route.dag_run_id or "")
        return Reply(204)

    def _get_task_instance(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        return _json_reply(self._existing(key).fields)

    def _update_task_instance(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        changes = requested_changes(request.body, request.query, route, key.map_index)
        updated = self._store.update(key, changes)
        if updated is None:
            raise _task_instance_not_found(key)
        return _json_reply(updated.fields)

    def _delete_task_instance(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        if not self._store.delete(key):
            raise _task_instance_not_found(key)
        return Reply(204)

    def _get_extra_links(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        return _json_reply({"extra_links": self._existing(key).extra_links})

    def _get_logs(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        try_number = _try_number(route.try_number)
        full_content = _boolean_query(request.query, "full_content")
        token = _last(request.query, "token") or None
        record = self._existing(key)
        text = record.logs.get(try_number)
        if text is None:
            raise not_found("Log not found", f"{_describe(key)} has no log for try {try_number}.")
        log_id = f"{key.dag_id}\n{key.task_id}\n{key.execution_date.isoformat()}\n{try_number}"
        if key.map_index >= 0:
            log_id += f"\n{key.map_index}"
        try:
            if prefers_plain_text(request.accept):
                plain = self._chunker.rest(log_id, text, token)
                return Reply(200, plain.encode("utf-8"), "text/plain; charset=utf-8")
            chunk = self._chunker.read(log_id, text, token, full_content)
        except InvalidToken as error:
            raise bad_request(f"Invalid continuation token: {error}") from None
        return _json_reply(
            {"content": chunk.content, "continuation_token": chunk.continuation_token}
        )

    def _get_tries(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        return _json_reply(listing.tries(self._existing(key), request.query))

    def _get_xcom_entries(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        return _json_reply(listing.xcom_entries(self._store, key, request.query))

    def _get_xcom_entry(self, request: Request, route: Route, key: TaskInstanceKey) -> Reply:
        name = route.xcom_key or ""
        entry = self._existing(key).xcom.get(name)
        if entry is None:
            raise not_found("XCom entry not found", f"{_describe(key)} has no XCom {name!r}.")
        return _json_reply(listing.xcom_entry(key, name, entry))

    def _existing(self, key: TaskInstanceKey) -> StoredTaskInstance:
        record = self._store.get(key)
        if record is None:
            raise _task_instance_not_found(key)
        return record


def _key(route: Route, query: dict[str, list[str]]) -> TaskInstanceKey:
    try:
        execution_date = parse_timestamp(route.execution_date)
    except InvalidTimestamp as error:
        raise bad_request(f"execution_date: {error}") from None
    except UnrepresentableTimestamp:
        # Well-formed, but no task instance can carry it: nothing is there.
        raise not_found(
            "Task instance not found", f"No task instance runs at {route.execution_date}."
        ) from None
    return TaskInstanceKey(route.dag_id, route.task_id, execution_date, queries.map_index(query))


def _describe(key: TaskInstanceKey) -> str:
    mapped = f" (map index {key.map_index})" if key.map_index >= 0 else ""
    return (
        f"Task instance {key.task_id!r}{mapped} of DAG {key.dag_id!r} at "
        f"{key.execution_date.isoformat()}"
    )


def _task_instance_not_found(key: TaskInstanceKey) -> ApiProblem:
    return not_found("Task instance not found", f"{_describe(key)} does not exist.")


def _last(query: dict[str, list[str]], name: str) -> Optional[str]:
    values = query.get(name)
    return values[-1] if values else None


def _boolean_query(query: dict[str, list[str]], name: str) -> bool:
    value = _last(query, name)
    if value is None or value == "":
        return False
    lowered = value.lower()
    if lowered not in ("true", "false", "1", "0"):
        raise bad_request(f"{name}: {value!r} is not a boolean (true or false)")
    return lowered in ("true", "1")


def _try_number(text: Optional[str]) -> int:
    try:
        number = int(text or "")
    except ValueError:
        raise bad_request(f"task_try_number: {text!r} is not an integer") from None
    if number < 1:
        raise bad_request(f"task_try_number: tries are counted from 1, not {number}")
    return number
