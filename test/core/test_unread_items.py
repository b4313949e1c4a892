"""The items of a list answer a page walk reads (`items_read_when_used`): each is read when first
used, and is then the same model the answer read whole gives (the walks over HTTP are in
test/reliability/test_pagers.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from airflow_python_sdk._model_runtime import answer_values, items_read_when_used
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.exceptions import ResponseTypeError
from airflow_python_sdk.model.task_instance_collection import TaskInstanceCollection
from airflow_python_sdk.model.task_state import TaskState

ORIGIN = (200, "GET", "http://airflow/api/v1/dags/d/dagRuns/~/taskInstances", False)


def item(number: int) -> dict[str, Any]:
    return {"task_id": f"t{number}", "dag_id": "d", "dag_run_id": "r",
            "execution_date": "2026-11-26T01:00:00+01:00", "start_date": None,
            "duration": 3, "state": "success", "try_number": 1, "map_index": -1,
            "sla_miss": {"task_id": f"t{number}", "dag_id": "d",
                         "execution_date": "2026-11-26T00:00:00Z", "email_sent": False},
            "a_field_the_spec_lacks": {"kept": [1, 2]}}


def answer(lazy: bool, items: list[dict[str, Any]]) -> TaskInstanceCollection:
    document = {"task_instances": copy.deepcopy(items), "total_entries": len(items)}
    if not lazy:
        return Codec().to_type(document, TaskInstanceCollection, True, ORIGIN)
    with items_read_when_used():
        return Codec().to_type(document, TaskInstanceCollection, True, ORIGIN)


def test_an_unread_item_reads_as_the_item_read_with_its_answer() -> None:
    eager = answer(False, [item(0), item(1)]).task_instances
    lazy = answer(True, [item(0), item(1)]).task_instances
    # Identities come from the object as sent, without reading the item.
    assert answer_values(lazy, ("task_id", "execution_date")) == [
        ("t0", "2026-11-26T01:00:00+01:00"), ("t1", "2026-11-26T01:00:00+01:00")]
    assert lazy == eager
    assert lazy[0].state is TaskState("success") and lazy[0].duration == 3.0
    assert lazy[1].sla_miss.task_id == "t1"
    assert lazy[0].to_json() == eager[0].to_json()
    assert json.loads(lazy[0].to_json()) == item(0)  # the server's text, unknown field too
    assert repr(lazy[1]) == repr(eager[1])
    assert list(lazy[0]) == list(eager[0]) and "sla_miss" in lazy[0]
    assert lazy[0].a_field_the_spec_lacks == {"kept": [1, 2]}


def test_an_unread_item_can_be_changed_first_thing() -> None:
    lazy = answer(True, [item(0)]).task_instances[0]
    lazy["note"] = "set before anything was read"
    assert lazy.to_dict()["note"] == "set before anything was read"
    assert lazy.task_id == "t0" and lazy.state is TaskState("success")
    other = answer(True, [item(1)]).task_instances[0]
    other.note = "set by attribute"
    assert other.to_dict()["task_id"] == "t1" and other.note == "set by attribute"


def test_a_bad_value_raises_when_its_item_is_first_used_naming_the_answer() -> None:
    bad = item(0)
    bad["state"] = 7
    lazy = answer(True, [item(1), bad])
    assert lazy.task_instances[0].task_id == "t1"
    with pytest.raises(ResponseTypeError) as caught:
        lazy.task_instances[1].task_id  # noqa: B018
    assert caught.value.status == 200 and caught.value.method == "GET"
    assert list(caught.value.path_to_item) == ["TaskInstanceCollection", "task_instances", 1,
                                               "state"]
    assert "got int (7)" in str(caught.value)
    with pytest.raises(ResponseTypeError) as whole:  # a call, reading its answer whole
        Codec().read(_Answer(bad), TaskInstanceCollection, True, method="GET", url="u")
    assert list(whole.value.path_to_item) == ["TaskInstanceCollection", "task_instances", 0,
                                              "state"]


class _Answer:
    def __init__(self, bad: dict[str, Any]) -> None:
        self.data = json.dumps({"task_instances": [bad], "total_entries": 1}).encode()
        self.status = 200
        self.headers: dict[str, str] = {}
