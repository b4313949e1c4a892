"""Real servers' answers to the task-instance family, as the spec's models.

- Lists of task instances: Airflow 2 and 3 both send `{"task_instances": [...], "total_entries"}`;
  each item is mapped as `answers.task_instance` maps one.
- Clear and bulk state: Airflow 2 answers references (`dag_id`, `dag_run_id`, `execution_date`,
  `task_id`, no map index), Airflow 3 whole task instances; both become a
  `TaskInstanceReferenceCollection` (Airflow 3's map index and the other fields kept).
- DAG runs and XCom entries: Airflow 3's `logical_date` fills the spec's `execution_date` (and a
  run's `external_trigger` comes from its `run_type`, see dag_answers.py).
Every field the spec does not name is kept as an unknown field, as for task instances.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk._internal.datetimes import format_datetime
from airflow_python_sdk.dialects import answers, dag_answers
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.dag_run_collection import DAGRunCollection
from airflow_python_sdk.model.task_instance_collection import TaskInstanceCollection
from airflow_python_sdk.model.task_instance_reference_collection import (
    TaskInstanceReferenceCollection,
)
from airflow_python_sdk.model.x_com import XCom
from airflow_python_sdk.model.x_com_collection import XComCollection

__all__ = [
    "dag_run",
    "dag_run_collection",
    "references",
    "task_instance_collection",
    "x_com",
    "x_com_collection",
]

# The fields of a task instance that say which one it is: all a reference keeps of it.
_REFERENCE_FIELDS = ("dag_id", "dag_run_id", "execution_date", "task_id", "map_index")


def _object(document: Any, model: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ApiTypeError(
            f"Invalid type for `{model}`: expected a JSON object, got {type(document).__name__}",
            path_to_item=[model],
        )
    return document


def _items(document: dict[str, Any], field: str, model: str) -> list[Any]:
    items = document.get(field)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ApiTypeError(
            f"Invalid type for `{model}.{field}`: expected a JSON array, got "
            f"{type(items).__name__}",
            path_to_item=[model, field],
        )
    return items


def _with_spec_names(item: Any, model: str) -> dict[str, Any]:
    mapped = dict(_object(item, model))
    for theirs, ours in answers.SPEC_NAMES.items():
        if ours not in mapped and theirs in mapped:
            mapped[ours] = mapped[theirs]
    return mapped


def task_instance_collection(codec: Codec, document: Any, check: bool,
                             execution_date: Optional[datetime] = None
                             ) -> TaskInstanceCollection:
    """A list of task instances; `execution_date` fills the items that lack one (Airflow 3's
    records of past tries carry no logical date)."""
    page = _object(document, "TaskInstanceCollection")
    items = []
    for item in _items(page, "task_instances", "TaskInstanceCollection"):
        mapped = _with_spec_names(item, "TaskInstance")
        if execution_date is not None and mapped.get("execution_date") is None:
            mapped["execution_date"] = format_datetime(execution_date)
        items.append(mapped)
    result: TaskInstanceCollection = codec.to_type(
        {**page, "task_instances": items}, TaskInstanceCollection, check)
    return result


def references(codec: Codec, document: Any, check: bool) -> TaskInstanceReferenceCollection:
    """What a clear or bulk state change touched: references (Airflow 2) or whole task
    instances (Airflow 3), as references."""
    page = _object(document, "TaskInstanceReferenceCollection")
    items = []
    for item in _items(page, "task_instances", "TaskInstanceReferenceCollection"):
        mapped = _with_spec_names(item, "TaskInstanceReference")
        # Airflow 3 sends whole task instances: a reference keeps the fields naming one, plus
        # the state it is in, which is what a caller checks after a clear.
        kept = {name: mapped[name] for name in _REFERENCE_FIELDS if name in mapped}
        if "state" in mapped:
            kept["state"] = mapped["state"]
        items.append(kept)
    result: TaskInstanceReferenceCollection = codec.to_type(
        {"task_instances": items}, TaskInstanceReferenceCollection, check)
    return result


def dag_run(codec: Codec, document: Any, check: bool) -> DAGRun:
    return dag_answers.dag_run(codec, document, check)


def dag_run_collection(codec: Codec, document: Any, check: bool,
                       fill: bool = True) -> DAGRunCollection:
    """A page of runs; `fill` False for a projection, whose runs keep the fields asked for
    alone."""
    page = _object(document, "DAGRunCollection")
    items = _items(page, "dag_runs", "DAGRunCollection")
    runs = [dag_answers.run_document(item) if fill else _object(item, "DAGRun") for item in items]
    result: DAGRunCollection = codec.to_type({**page, "dag_runs": runs}, DAGRunCollection, check)
    return result


def x_com(codec: Codec, document: Any, check: bool) -> XCom:
    result: XCom = codec.to_type(_with_spec_names(document, "XCom"), XCom, check)
    return result


def x_com_collection(codec: Codec, document: Any, check: bool) -> XComCollection:
    page = _object(document, "XComCollection")
    entries = [_with_spec_names(item, "XComCollectionItem")
               for item in _items(page, "xcom_entries", "XComCollection")]
    result: XComCollection = codec.to_type(
        {"xcom": entries, "total_entries": page.get("total_entries")}, XComCollection, check)
    return result
