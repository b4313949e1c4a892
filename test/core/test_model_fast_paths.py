"""The model layer's shortcuts give the same results as the checked paths they stand in for."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import airflow_python_sdk
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model_utils import _PLAN_LIMIT, to_json_value

ANSWER = {
    "task_id": "transform",
    "dag_id": "etl_daily",
    "execution_date": "2026-11-26T00:00:00Z",
    "start_date": "2026-11-26t00:06:10.5+01:00",
    "end_date": None,
    "state": "failed",
    "try_number": 2,
    "note": "an unknown field",
    "sla_miss": {"task_id": "transform", "dag_id": "etl_daily", "email_sent": False,
                 "timestamp": "2026-11-26T01:00:00+00:00"},
}


def read(answer: dict) -> TaskInstance:
    return TaskInstance.from_dict(json.loads(json.dumps(answer)))


def test_an_unchanged_model_is_written_as_it_was_read_less_read_only_fields():
    body = to_json_value(read(ANSWER))
    expected = json.loads(json.dumps(ANSWER))
    del expected["sla_miss"]["task_id"]  # read-only: never sent
    assert body == expected


def test_assigning_a_field_writes_every_value_anew():
    ti = read(ANSWER)
    ti.state = TaskState.SUCCESS
    body = to_json_value(ti)
    assert body["state"] == "success"
    assert body["execution_date"] == "2026-11-26T00:00:00+00:00"
    assert body["start_date"] == "2026-11-26T00:06:10.500000+01:00"
    assert body["note"] == "an unknown field"


def test_item_assignment_and_nested_changes_are_written_too():
    ti = read(ANSWER)
    ti.sla_miss.email_sent = True
    ti["note"] = "changed"
    body = to_json_value(ti)
    assert body["sla_miss"]["email_sent"] is True
    assert "task_id" not in body["sla_miss"]
    assert body["note"] == "changed"


def test_lists_of_models_are_written_from_their_models():
    links = ExtraLinkCollection.from_dict(
        {"extra_links": [{"name": "Report", "href": "https://r.example", "class_ref": {
            "module_path": "m", "class_name": "C"}}]})
    # name, href and the class reference's fields are read-only: nothing of them is sent.
    assert to_json_value(links) == {"extra_links": [{"class_ref": {}}]}


def test_answers_may_use_any_iso_date_time_with_an_offset():
    ti = read({**ANSWER, "end_date": "2026-11-26T00:07:40+0000"})
    assert ti.end_date == dt.datetime(2026, 11, 26, 0, 7, 40, tzinfo=dt.timezone.utc)


def test_an_answers_date_time_without_an_offset_is_refused_naming_the_field():
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        read({**ANSWER, "end_date": "2026-11-26T00:07:40"})
    assert "TaskInstance.end_date" in str(caught.value)


def test_callers_are_held_to_rfc3339():
    with pytest.raises(airflow_python_sdk.ApiValueError):
        TaskInstance(end_date="2026-11-26T00:07:40+0000")


def test_many_answer_layouts_are_read_right_and_remembered_up_to_the_limit():
    TaskInstance._plans.clear()
    keys = list(ANSWER)
    for n in range(_PLAN_LIMIT + 20):
        # A different layout each time: the keys turned round, and an unknown key of its own.
        turned = keys[n % len(keys):] + keys[: n % len(keys)]
        answer = {key: ANSWER[key] for key in turned}
        answer[f"extra_{n}"] = n
        ti = read(answer)
        assert ti.state == TaskState.FAILED
        assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
        assert ti[f"extra_{n}"] == n
    assert len(TaskInstance._plans) == _PLAN_LIMIT


def test_a_value_of_the_wrong_type_is_refused_whatever_the_layout_seen_before():
    read(ANSWER)  # this layout's plan is remembered: try_number is an int
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        read({**ANSWER, "try_number": "2"})
    assert "TaskInstance.try_number" in str(caught.value)
    with pytest.raises(airflow_python_sdk.ApiTypeError):
        read({**ANSWER, "try_number": True})
