"""The model layer's shortcuts (the generated decoders and encoders) give the same results as
the checked paths they stand in for, and hand every surprise to them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import airflow_python_sdk
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model_utils import to_json_value

ANSWER = {
    "task_id": "transform",
    "dag_id": "etl_daily",
    "execution_date": "2026-11-26T00:00:00Z",
    "start_date": "2026-11-26t00:06:10.5+01:00",
    "end_date": None,
    "state": "failed",
    "try_number": 2,
    "x_review": "an unknown field",
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
    assert body["x_review"] == "an unknown field"


def test_item_assignment_and_nested_changes_are_written_too():
    ti = read(ANSWER)
    ti.sla_miss.email_sent = True
    ti["x_review"] = "changed"
    body = to_json_value(ti)
    assert body["sla_miss"]["email_sent"] is True
    assert "task_id" not in body["sla_miss"]
    assert body["x_review"] == "changed"


def test_lists_of_models_are_written_from_their_models():
    links = ExtraLinkCollection.from_dict(
        {"extra_links": [{"name": "Report", "href": "https://r.example", "class_ref": {
            "module_path": "m", "class_name": "C"}}]})
    # name, href and the class reference's fields are read-only: nothing of them is sent.
    assert to_json_value(links) == {"extra_links": [{"class_ref": {}}]}


def test_answers_are_held_to_rfc3339_as_callers_are():
    # ISO 8601 forms beyond RFC 3339 read differently from one Python version to the next (an
    # offset without its colon reads on 3.11, not on 3.9): none is read, on any version.
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        read({**ANSWER, "end_date": "2026-11-26T00:07:40+0000"})
    assert "TaskInstance.end_date" in str(caught.value)


def test_an_answers_date_time_without_an_offset_is_refused_naming_the_field():
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        read({**ANSWER, "end_date": "2026-11-26T00:07:40"})
    assert "TaskInstance.end_date" in str(caught.value)


def test_callers_are_held_to_rfc3339():
    with pytest.raises(airflow_python_sdk.ApiValueError):
        TaskInstance(end_date="2026-11-26T00:07:40+0000")


def test_answers_in_any_layout_are_read_right():
    keys = list(ANSWER)
    for n in range(len(keys) + 5):
        # A different layout each time: the keys turned round, and an unknown key of its own.
        turned = keys[n % len(keys):] + keys[: n % len(keys)]
        answer = {key: ANSWER[key] for key in turned}
        answer[f"extra_{n}"] = n
        ti = read(answer)
        assert ti.state == TaskState.FAILED
        assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
        assert ti[f"extra_{n}"] == n


def _checked(answer: dict, check: bool = True, discard: bool = False) -> TaskInstance:
    """The answer read by the checked path alone, as a model without a decoder reads it."""
    data = json.loads(json.dumps(answer))
    TaskInstance._convert_checked(data, check, discard, ("TaskInstance",))
    return TaskInstance.from_dict(data, _check_type=check, discard_unknown_keys=discard)


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"state": "awaiting_approval"},  # an enum value the spec does not list: kept
        {"duration": 60},  # an integer for a number
        {"execution_date": "2026-11-26T00:00:00z"},  # RFC 3339's lower-case z
        {"sla_miss": None, "end_date": None, "state": None},
        {"try_number": None, "hostname": None},
        {"sla_miss": {"task_id": "t", "timestamp": "2026-11-26T01:00:00+02:00", "new": [1]}},
    ],
)
def test_the_decoder_reads_as_the_checked_path_does(change):
    answer = {**ANSWER, **change}
    assert read(answer).to_dict() == _checked(answer).to_dict()
    assert read(answer).to_dict(mode="json") == json.loads(json.dumps(answer))


def test_a_surprise_after_converted_fields_is_read_again_from_the_answer():
    # execution_date is converted before state surprises the decoder: the checked path starts
    # again from the answer as it came, and its JSON form is still the server's text.
    answer = {**ANSWER, "state": "awaiting_approval"}
    ti = read(answer)
    assert ti.state == "awaiting_approval" and isinstance(ti.state, TaskState)
    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
    assert ti.to_dict(mode="json")["execution_date"] == "2026-11-26T00:00:00Z"


def test_a_wrong_type_in_a_nested_model_is_refused_naming_its_path():
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        read({**ANSWER, "sla_miss": {**ANSWER["sla_miss"], "email_sent": "yes"}})
    assert "TaskInstance.sla_miss.email_sent" in str(caught.value)


def test_a_dict_is_read_whole_a_bad_date_time_of_a_nested_model_refused_at_once():
    # Only answers leave date-times and nested models for their first reading; a caller's dict
    # is checked at once, nested models too.
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        read({**ANSWER, "sla_miss": {**ANSWER["sla_miss"], "timestamp": "at noon"}})
    assert "TaskInstance.sla_miss.timestamp" in str(caught.value)
    ti = read(ANSWER)
    assert ti.sla_miss._data["timestamp"] == dt.datetime(2026, 11, 26, 1,
                                                         tzinfo=dt.timezone.utc)


def test_unchecked_models_keep_what_the_checked_path_would_not_convert():
    ti = TaskInstance.from_dict({**ANSWER, "try_number": "2", "sla_miss": "none"},
                                _check_type=False)
    assert ti.try_number == "2" and ti.sla_miss == "none"
    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)


def test_unknown_keys_are_discarded_when_asked_in_nested_models_too():
    answer = {**ANSWER, "x_unknown": 1, "sla_miss": {**ANSWER["sla_miss"], "x_new": 1}}
    ti = TaskInstance.from_dict(json.loads(json.dumps(answer)), discard_unknown_keys=True)
    assert "x_unknown" not in ti and "x_new" not in ti.sla_miss
    assert "x_unknown" not in ti.to_dict(mode="json")


def test_a_model_built_by_a_caller_is_written_by_its_encoder_as_the_kinds_write_it():
    ti = TaskInstance(
        task_id="t", state=TaskState.RUNNING, duration=1.5,
        execution_date=dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc),
        start_date=dt.datetime(2026, 11, 26, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        sla_miss={"task_id": "t", "email_sent": True},
    )
    out = ti._data.copy()
    expected = ti._to_json_by_kinds(out, True, (), False)
    assert to_json_value(ti) == expected == {
        "task_id": "t", "state": "running", "duration": 1.5,
        "execution_date": "2026-11-26T00:00:00+00:00",
        "start_date": "2026-11-26T01:00:00+02:00",
        "sla_miss": {"email_sent": True},
    }


def test_a_naive_date_time_set_by_a_caller_is_refused_when_written_naming_the_field():
    ti = TaskInstance(task_id="t", _check_type=True)
    ti._data["end_date"] = dt.datetime(2026, 11, 26)  # only an unchecked assignment can do this
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        to_json_value(ti)
    assert "TaskInstance.end_date" in str(caught.value)


def test_a_value_of_the_wrong_type_is_refused_whatever_the_layout_seen_before():
    read(ANSWER)  # this layout's plan is remembered: try_number is an int
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        read({**ANSWER, "try_number": "2"})
    assert "TaskInstance.try_number" in str(caught.value)
    with pytest.raises(airflow_python_sdk.ApiTypeError):
        read({**ANSWER, "try_number": True})
