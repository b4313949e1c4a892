"""The DAG operations: list DAGs, read one, pause or unpause one or every DAG matching a pattern.

Filters work as Airflow's: `dag_id_pattern` matches a part of the DAG id, ignoring case, with
SQL LIKE's wildcards (`%` any text, `_` one character) and `~` for every DAG; `tags` keeps DAGs
with at least one of them; `only_active` (true unless said otherwise) leaves out DAGs whose file
is gone; `paused` keeps paused (true) or unpaused (false) ones.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Optional

from . import queries
from .dags import MODIFIABLE_DAG_FIELDS, StoredDag
from .problems import bad_request, not_found
from .queries import Query
from .store import Tables, TaskInstanceStore

Item = dict[str, Any]
# What `order_by` may name, as Airflow 3 allows (Airflow 2 takes dag_id alone).
_DAG_ORDER = ("dag_id", "dag_display_name", "is_paused", "last_parsed_time")
_DAG_FIELDS = frozenset({
    "dag_id", "dag_display_name", "root_dag_id", "is_paused", "is_active", "is_subdag",
    "last_parsed_time", "fileloc", "file_token", "owners", "description", "schedule_interval",
    "timetable_description", "tags", "max_active_runs", "max_active_tasks", "has_import_errors",
})


def get_dags(store: TaskInstanceStore, query: Query) -> Item:
    limit, offset = queries.page(query)
    keep = _filters(query, queries.last(query, "dag_id_pattern"))
    name, descending = queries.order(query, _DAG_ORDER)

    def work(tables: Tables) -> Item:
        found = [dag.fields for dag in tables.dags.values() if keep(dag)]
        found.sort(key=lambda fields: fields["dag_id"])
        if name is not None:
            found.sort(key=lambda fields: _sortable(fields.get(name)), reverse=descending)
        return {"dags": found[offset:offset + limit], "total_entries": len(found)}

    return store.transact(work)


def get_dag(store: TaskInstanceStore, dag_id: str) -> Item:
    dag = store.dag(dag_id)
    if dag is None:
        raise _dag_not_found(dag_id)
    return dag.fields


def update_dag(store: TaskInstanceStore, dag_id: str, body: bytes, query: Query) -> Item:
    paused = _requested_pause(body, query)

    def work(tables: Tables) -> Item:
        dag = tables.dags.get(dag_id)
        if dag is None:
            raise _dag_not_found(dag_id)
        dag.fields["is_paused"] = paused
        return dag.fields

    return store.transact(work)


def update_dags(store: TaskInstanceStore, body: bytes, query: Query) -> Item:
    """Pause or unpause every DAG matching the filters (no page: all of them), and answer them
    all as they are after the change."""
    pattern = queries.last(query, "dag_id_pattern")
    if pattern is None:
        raise bad_request("dag_id_pattern is required: it says which DAGs change (`~` for "
                          "every DAG)")
    paused = _requested_pause(body, query)
    keep = _filters(query, pattern)

    def work(tables: Tables) -> Item:
        changed = [dag for dag in tables.dags.values() if keep(dag)]
        for dag in changed:
            dag.fields["is_paused"] = paused
        return {"dags": [dag.fields for dag in changed], "total_entries": len(changed)}

    return store.transact(work)


def _filters(query: Query, pattern: Optional[str]) -> Callable[[StoredDag], bool]:
    tags = queries.strings(query, "tags")
    only_active = queries.boolean(query, "only_active", True)
    paused = queries.boolean(query, "paused", None)
    matches = id_matcher(pattern)

    def keep(dag: StoredDag) -> bool:
        fields = dag.fields
        if only_active and fields.get("is_active") is False:
            return False
        if paused is not None and bool(fields.get("is_paused")) != paused:
            return False
        if tags is not None and not tags & {tag.get("name") for tag in fields.get("tags") or ()}:
            return False
        return matches(dag.dag_id)

    return keep


def id_matcher(pattern: Optional[str]) -> Callable[[str], bool]:
    """Whether a DAG id matches `dag_id_pattern`: a part of it, ignoring case, `%` and `_`
    being SQL LIKE's wildcards; `~` (or no pattern) matches every id."""
    if pattern is None or pattern == "~":
        return lambda dag_id: True
    parts = (".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern)
    compiled = re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
    return lambda dag_id: compiled.search(dag_id) is not None


def _requested_pause(body: bytes, query: Query) -> bool:
    """The `is_paused` a PATCH asks for: the one field a client may change."""
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad_request("The request body is not JSON.") from None
    if not isinstance(document, dict):
        raise bad_request("The request body must be a DAG object.")
    for name in document:
        if name not in _DAG_FIELDS:
            raise bad_request(f"{name!r} is not a DAG field.")
    mask = [name.strip() for value in query.get("update_mask", []) for name in value.split(",")]
    mask = [name for name in mask if name]
    for name in mask:
        if name not in MODIFIABLE_DAG_FIELDS:
            raise bad_request(f"update_mask: only `is_paused` can be updated, not {name!r}.")
    paused = document.get("is_paused")
    if not isinstance(paused, bool):
        raise bad_request("is_paused: the body must set it to true or false.")
    return paused


def _sortable(value: Any) -> tuple[bool, Any]:
    return (value is None, "" if value is None else value)


def _dag_not_found(dag_id: str) -> Exception:
    return not_found("DAG not found", f"The DAG with dag_id: {dag_id!r} was not found")
