"""The list operations: task instances, DAG runs, tries and XCom entries, filtered and paged.

`~` as the dag_id lists every DAG. Lists are ordered (by `order_by` when given), ties broken by
the items' identity, so that the same query always gives the same pages. `fields` projects the
DAG runs of a page onto the fields it names.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Optional

from . import queries
from .dag_runs import DAG_RUN_FIELDS, DAG_RUN_STATES
from .fields import TASK_STATES
from .problems import bad_request, not_found
from .queries import Query
from .store import StoredTaskInstance, Tables, TaskInstanceKey, TaskInstanceStore
from .timestamps import format_timestamp, parse_timestamp

EVERY_DAG = "~"
_TASK_INSTANCE_ORDER = ("execution_date", "start_date", "end_date", "duration", "state",
                        "task_id", "dag_id", "map_index", "try_number", "priority_weight",
                        "pool", "queue")
_DAG_RUN_ORDER = ("execution_date", "start_date", "end_date", "state", "dag_run_id", "dag_id")
_TRY_ORDER = ("try_number", "start_date", "end_date", "duration", "state")
_DATE_FILTERS = ("execution_date", "start_date", "end_date")
Item = dict[str, Any]


def task_instances(store: TaskInstanceStore, dag_id: str, query: Query) -> Item:
    limit, offset = queries.page(query)
    keep = _date_filters(query) + _task_instance_filters(query)
    changed = _updated_at_filter(query)
    order = queries.order(query, _TASK_INSTANCE_ORDER)

    def work(tables: Tables) -> Item:
        items = [record.fields for key, record in tables.records.items()
                 if dag_id in (EVERY_DAG, key.dag_id) and all(test(record.fields) for test in keep)
                 and changed(record)]
        items.sort(key=_ti_identity)
        return _page("task_instances", _ordered(items, order), limit, offset)

    return store.transact(work)


def dag_runs(store: TaskInstanceStore, dag_id: str, query: Query) -> Item:
    limit, offset = queries.page(query)
    keep = _date_filters(query)
    states = queries.choices(query, "state", frozenset(DAG_RUN_STATES))
    if states is not None:
        keep.append(lambda item: item["state"] in states)
    order = queries.order(query, _DAG_RUN_ORDER)
    fields = _projection(query)

    def work(tables: Tables) -> Item:
        items = [run for (run_dag, _), run in sorted(tables.runs.items())
                 if dag_id in (EVERY_DAG, run_dag) and all(test(run) for test in keep)]
        page = _page("dag_runs", _ordered(items, order), limit, offset)
        if fields is not None:
            page["dag_runs"] = [{name: run[name] for name in fields if name in run}
                                for run in page["dag_runs"]]
        return page

    return store.transact(work)


def _projection(query: Query) -> Optional[list[str]]:
    """The DAG run fields `fields` names (repeated or comma-separated), each a field of the
    spec's DAGRun; None when the query has none."""
    if "fields" not in query:
        return None
    names = [part for value in query["fields"] for part in value.split(",") if part]
    for name in names:
        if name not in DAG_RUN_FIELDS:
            raise bad_request(f"fields: {name!r} is not a field of DAGRun; use some of "
                              f"{list(DAG_RUN_FIELDS)}")
    return names


def dag_run(store: TaskInstanceStore, dag_id: str, dag_run_id: str) -> Item:
    def work(tables: Tables) -> Optional[Item]:
        for (run_dag, _), run in tables.runs.items():
            if run_dag == dag_id and run["dag_run_id"] == dag_run_id:
                return run
        return None

    found = store.transact(work)
    if found is None:
        raise not_found("DAGRun not found",
                        f"DAGRun with DAG ID {dag_id!r} and DagRun ID {dag_run_id!r} not found")
    return found


def tries(record: StoredTaskInstance, query: Query) -> Item:
    """Every try's record, oldest first (or in `order_by`'s order); the current try (if the
    instance ran) last; `limit` and `offset` take a page of them."""
    limit, offset = queries.page(query)
    order = queries.order(query, _TRY_ORDER)
    items = list(record.tries)
    current = record.fields.get("try_number", 0)
    # A cleared instance's last try is already in the history until it runs again.
    if current >= 1 and all(item.get("try_number") != current for item in items):
        items.append(record.fields)
    return _page("task_instances", _ordered(items, order), limit, offset)


def xcom_entries(store: TaskInstanceStore, key: TaskInstanceKey, query: Query) -> Item:
    limit, offset = queries.page(query)
    map_index = queries.integer(query, "map_index", -1)
    xcom_key = queries.last(query, "xcom_key")

    def work(tables: Tables) -> Item:
        items = []
        for other, record in sorted(tables.records.items()):
            if other[:3] != key[:3] or map_index not in (None, other.map_index):
                continue
            items += [xcom_entry(other, name, entry, with_value=False)
                      for name, entry in sorted(record.xcom.items())
                      if xcom_key is None or name == xcom_key]
        return _page("xcom", items, limit, offset)

    return store.transact(work)


def xcom_entry(key: TaskInstanceKey, name: str, entry: dict[str, Any],
               with_value: bool = True) -> Item:
    item = {"key": name, "timestamp": entry["timestamp"],
            "execution_date": format_timestamp(key.execution_date), "task_id": key.task_id,
            "dag_id": key.dag_id, "map_index": key.map_index}
    if with_value:
        item["value"] = entry["value"]
    return item


def _page(name: str, items: list[Item], limit: int, offset: int) -> Item:
    return {name: items[offset : offset + limit], "total_entries": len(items)}


def _ti_identity(item: Item) -> tuple[Any, ...]:
    return (item["execution_date"], item["dag_id"], item["task_id"], item["map_index"])


def _ordered(items: list[Item], order: tuple[Optional[str], bool]) -> list[Item]:
    name, descending = order
    if name is None:
        return items
    # Items without a value go last (first when descending); ties keep the identity order.
    return sorted(items, key=lambda item: (item.get(name) is None, _sortable(item.get(name))),
                  reverse=descending)


def _sortable(value: Any) -> Any:
    return "" if value is None else value


def _date_filters(query: Query) -> list[Callable[[Item], bool]]:
    tests: list[Callable[[Item], bool]] = []
    for name in _DATE_FILTERS:
        low = queries.date_time(query, f"{name}_gte")
        high = queries.date_time(query, f"{name}_lte")
        if low is not None or high is not None:
            tests.append(_within(name, low, high))
    return tests


def _within(name: str, low: Optional[datetime], high: Optional[datetime]) -> Callable[[Item], bool]:
    def test(item: Item) -> bool:
        text = item.get(name)
        if text is None:
            return False
        value = parse_timestamp(text)
        return (low is None or value >= low) and (high is None or value <= high)

    return test


def _updated_at_filter(query: Query) -> Callable[[StoredTaskInstance], bool]:
    """updated_at_gte/lte: when a task instance last changed (not one of its fields)."""
    low = queries.date_time(query, "updated_at_gte")
    high = queries.date_time(query, "updated_at_lte")

    def test(record: StoredTaskInstance) -> bool:
        if low is None and high is None:
            return True
        changed = parse_timestamp(record.last_change())
        return (low is None or changed >= low) and (high is None or changed <= high)

    return test


def _task_instance_filters(query: Query) -> list[Callable[[Item], bool]]:
    tests: list[Callable[[Item], bool]] = []
    low = queries.number(query, "duration_gte")
    high = queries.number(query, "duration_lte")
    if low is not None or high is not None:
        tests.append(lambda item: item.get("duration") is not None
                     and (low is None or item["duration"] >= low)
                     and (high is None or item["duration"] <= high))
    states = queries.choices(query, "state", TASK_STATES)
    if states is not None:
        # "none" asks for task instances that have no state yet.
        tests.append(lambda item: (item.get("state") or "none") in states)
    for name in ("pool", "queue", "task_id"):
        wanted = queries.strings(query, name)
        if wanted is not None:
            tests.append(_one_of(name, wanted))
    return tests


def _one_of(name: str, wanted: set[str]) -> Callable[[Item], bool]:
    return lambda item: item.get(name) in wanted
