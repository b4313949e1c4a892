"""Model behaviour: construction, access, equality, type checks, TaskState, serialisation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from core.model_values import deserialize, task_instances
from core.payloads import (
    EXECUTION_DATE,
    EXECUTION_DATE_PLUS,
    TASK_INSTANCE_PAYLOAD,
    TASK_STATES,
    parse_rfc3339,
)
from dateutil.tz import gettz
from hypothesis import given, settings

import airflow_python_sdk
from airflow_python_sdk.model.class_reference import ClassReference
from airflow_python_sdk.model.error import Error
from airflow_python_sdk.model.extra_link import ExtraLink
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState


@pytest.fixture
def client():
    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration()) as api_client:
        yield api_client


# -- construction and access --------------------------------------------------------------------


def test_keyword_construction_keeps_only_the_fields_given():
    ti = TaskInstance(task_id="echo_ok", dag_id="feas_dag", try_number=2)

    assert ti.to_dict() == {"task_id": "echo_ok", "dag_id": "feas_dag", "try_number": 2}


def test_positional_arguments_beyond_the_required_fields_are_refused():
    # No TaskInstance field is required, so no positional argument has a meaning.
    with pytest.raises(airflow_python_sdk.ApiTypeError):
        TaskInstance("echo_ok")


def test_attribute_item_get_and_in_access():
    ti = TaskInstance(task_id="echo_ok", end_date=None)

    assert ti.task_id == "echo_ok"
    assert ti["task_id"] == "echo_ok"
    assert ti.get("task_id") == "echo_ok"
    assert ti.get("pool") is None
    assert ti.get("pool", "fallback") == "fallback"
    assert "task_id" in ti
    assert "end_date" in ti  # set to None explicitly, so present
    assert "pool" not in ti


def test_reading_a_name_that_is_no_field_raises_attribute_error():
    ti = TaskInstance(task_id="echo_ok")

    with pytest.raises(AttributeError):
        _ = ti.no_such_field


def test_assignment_by_attribute_and_item():
    ti = TaskInstance()
    ti.pool = "default_pool"
    ti["queue"] = "default"

    assert ti.to_dict() == {"pool": "default_pool", "queue": "default"}


def test_explicit_none_is_kept_and_unset_is_absent():
    ti = TaskInstance(end_date=None, duration=None)

    assert ti.to_dict() == {"end_date": None, "duration": None}


def test_repr_and_to_str_show_the_values():
    ti = TaskInstance(task_id="echo_ok", try_number=4)

    for text in (repr(ti), ti.to_str()):
        assert "echo_ok" in text
        assert "try_number" in text


def test_equality_compares_values():
    assert TaskInstance(task_id="a", pool_slots=1) == TaskInstance(task_id="a", pool_slots=1)
    assert TaskInstance(task_id="a") != TaskInstance(task_id="b")
    assert TaskInstance(task_id="a") != TaskInstance(task_id="a", pool="p")
    assert SLAMiss(dag_id="d") == SLAMiss(dag_id="d")
    assert TaskInstance(task_id="a") != SLAMiss(dag_id="a")


def test_nested_models_appear_as_dicts_in_to_dict():
    ti = TaskInstance(sla_miss=SLAMiss(dag_id="feas_dag", email_sent=False))

    assert ti.to_dict() == {"sla_miss": {"dag_id": "feas_dag", "email_sent": False}}


def test_to_dict_of_nested_lists_holds_only_plain_data():
    links = ExtraLinkCollection(
        extra_links=[ExtraLink(class_ref=ClassReference()), ExtraLink(class_ref=None)]
    )

    as_dict = links.to_dict()

    assert as_dict == {"extra_links": [{"class_ref": {}}, {"class_ref": None}]}
    assert json.loads(json.dumps(as_dict)) == as_dict


def test_a_wrong_item_in_a_list_field_names_the_field():
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        ExtraLinkCollection(extra_links=[ExtraLink(), ClassReference()])

    assert "extra_links" in str(caught.value)


def test_every_model_class_is_importable_from_models():
    from airflow_python_sdk import models

    for cls in (
        TaskInstance,
        TaskState,
        SLAMiss,
        ExtraLinkCollection,
        ExtraLink,
        ClassReference,
        InlineResponse200,
        Error,
    ):
        assert getattr(models, cls.__name__) is cls


# -- type checks --------------------------------------------------------------------------------


def test_a_wrong_type_on_construction_names_the_field_and_the_type():
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        TaskInstance(try_number="three")

    message = str(caught.value)
    assert "try_number" in message
    assert "int" in message


def test_a_wrong_type_on_assignment_is_refused():
    ti = TaskInstance(task_id="echo_ok")

    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        ti.pool_slots = "many"
    assert "pool_slots" in str(caught.value)
    with pytest.raises(airflow_python_sdk.ApiTypeError):
        ti["hostname"] = 12
    assert ti.to_dict() == {"task_id": "echo_ok"}


def test_a_wrong_type_in_a_nested_model_names_its_path():
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        SLAMiss(email_sent="yes")

    assert "email_sent" in str(caught.value)
    assert "bool" in str(caught.value)


def test_a_wrong_type_in_an_answer_names_the_field_path(client):
    payload = dict(TASK_INSTANCE_PAYLOAD, sla_miss=dict(TASK_INSTANCE_PAYLOAD["sla_miss"]))
    payload["sla_miss"]["email_sent"] = "not a bool"
    ti = deserialize(client, payload, TaskInstance)  # a nested model is read when first read

    with pytest.raises(airflow_python_sdk.ResponseTypeError) as caught:
        _ = ti.sla_miss

    assert "sla_miss" in str(caught.value)
    assert "email_sent" in str(caught.value)
    assert "bool" in str(caught.value)


def test_check_type_false_accepts_any_value():
    ti = TaskInstance(try_number="three", _check_type=False)

    assert ti.try_number == "three"


def test_a_wrong_model_for_a_nested_field_is_refused():
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        TaskInstance(sla_miss=ClassReference())

    assert "sla_miss" in str(caught.value)


# -- date-times ---------------------------------------------------------------------------------


def test_date_time_fields_take_an_aware_datetime():
    ti = TaskInstance(start_date=EXECUTION_DATE_PLUS)

    assert ti.start_date == EXECUTION_DATE_PLUS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T05:30:15+05:30", EXECUTION_DATE_PLUS),
        ("2026-11-26T00:00:00Z", EXECUTION_DATE),
        ("2026-11-26T00:00:00.000000+00:00", EXECUTION_DATE),
    ],
)
def test_date_time_fields_parse_an_rfc3339_string(text, expected):
    ti = TaskInstance(execution_date=text, sla_miss=SLAMiss(timestamp=text))

    assert isinstance(ti.execution_date, dt.datetime)
    assert ti.execution_date == expected
    assert ti.execution_date.utcoffset() == expected.utcoffset()
    assert ti.sla_miss.timestamp == expected


class _ZoneWithoutOffset(dt.tzinfo):
    """A tzinfo that knows no offset: Python counts a datetime carrying it as naive."""

    def utcoffset(self, when):
        return None

    def dst(self, when):
        return None

    def tzname(self, when):
        return None


@pytest.mark.parametrize(
    "naive",
    [dt.datetime(2026, 11, 26), dt.datetime(2026, 11, 26, tzinfo=_ZoneWithoutOffset())],
    ids=["no-tzinfo", "tzinfo-without-offset"],
)
def test_a_date_time_field_refuses_a_naive_datetime(naive):
    with pytest.raises(airflow_python_sdk.ApiValueError):
        TaskInstance(start_date=naive)
    with pytest.raises(airflow_python_sdk.ApiValueError):
        SLAMiss(timestamp=naive)


@pytest.mark.parametrize("text", ["next tuesday", "2026-11-26", "2026-11-26T00:00:00"])
def test_a_date_time_field_refuses_text_that_is_not_rfc3339(text):
    # A date alone, or a time without an offset, is not an RFC 3339 date-time: accepting it
    # would leave a naive datetime in the model, which names no instant.
    with pytest.raises((airflow_python_sdk.ApiTypeError, airflow_python_sdk.ApiValueError)):
        TaskInstance(end_date=text)


# RFC 3339 section 5.6: "T" and "Z" may be lower case; any number of fraction digits; an offset
# of -00:00 is a valid (if uninformative) offset.
RFC3339_VARIANTS = [
    ("2026-11-26t00:00:00z", EXECUTION_DATE),
    ("2026-11-26T00:00:00z", EXECUTION_DATE),
    ("2026-11-26t00:00:00Z", EXECUTION_DATE),
    ("2026-11-26T00:00:00.5Z", EXECUTION_DATE + dt.timedelta(milliseconds=500)),
    ("2026-11-26T00:00:00.123456+00:00", EXECUTION_DATE + dt.timedelta(microseconds=123456)),
    ("2026-11-26T00:00:00-00:00", EXECUTION_DATE),
    ("2026-11-25T14:00:00-10:00", EXECUTION_DATE),
]


@pytest.mark.parametrize(("text", "expected"), RFC3339_VARIANTS)
def test_every_rfc3339_form_is_accepted_on_construction(text, expected):
    assert TaskInstance(start_date=text).start_date == expected


@pytest.mark.parametrize(("text", "expected"), RFC3339_VARIANTS)
def test_every_rfc3339_form_is_accepted_from_a_server(client, text, expected):
    ti = deserialize(client, {"start_date": text, "sla_miss": {"timestamp": text}}, TaskInstance)

    assert ti.start_date == expected
    assert ti.sla_miss.timestamp == expected


# -- TaskState ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", TASK_STATES)
def test_task_state_is_a_string_enum(value):
    state = TaskState(value)

    assert state.value == value
    assert state == value
    assert value == state
    assert getattr(TaskState, value.upper()) == state
    assert getattr(TaskState, value.upper()).value == value


def test_task_state_hashes_like_its_string():
    # Equal objects must hash alike, or a state cannot be looked up in a dict keyed by strings.
    assert hash(TaskState.SUCCESS) == hash("success")
    assert {"success": 1, "failed": 2}[TaskState.FAILED] == 2
    assert TaskState("queued") in {"queued", "running"}


def test_task_state_members_compare_with_each_other():
    assert TaskState("success") == TaskState.SUCCESS
    assert TaskState.SUCCESS != TaskState.FAILED
    assert TaskState("failed") != "success"


def test_task_state_in_a_model_is_sent_as_its_string(client):
    body = client.sanitize_for_serialization(TaskInstance(state=TaskState.UP_FOR_RETRY))

    assert body == {"state": "up_for_retry"}


def test_task_state_from_an_answer_is_a_task_state(client):
    ti = deserialize(client, {"state": "queued"}, TaskInstance)

    assert isinstance(ti.state, TaskState)
    assert ti.state == TaskState.QUEUED


# -- sanitize_for_serialization -----------------------------------------------------------------


def test_sanitize_turns_models_enums_dates_lists_and_dicts_into_json(client):
    ti = TaskInstance(
        task_id="echo_ok",
        execution_date=EXECUTION_DATE_PLUS,
        state=TaskState.RUNNING,
        sla_miss=SLAMiss(dag_id="feas_dag", timestamp=EXECUTION_DATE),
        end_date=None,
    )
    value = {
        "instances": [ti, ti],
        "when": EXECUTION_DATE_PLUS,
        "state": TaskState.SKIPPED,
        "numbers": (1, 2.5),
        "nothing": None,
    }

    result = client.sanitize_for_serialization(value)

    json.dumps(result)  # plain JSON data, nothing else
    assert result["state"] == "skipped"
    assert result["numbers"] == [1, 2.5]
    assert result["nothing"] is None
    assert parse_rfc3339(result["when"]) == EXECUTION_DATE_PLUS
    first = result["instances"][0]
    assert set(first) == {"task_id", "execution_date", "state", "sla_miss", "end_date"}
    assert first["state"] == "running"
    assert first["end_date"] is None
    assert parse_rfc3339(first["execution_date"]) == EXECUTION_DATE_PLUS
    assert parse_rfc3339(first["sla_miss"]["timestamp"]) == EXECUTION_DATE
    assert first["sla_miss"]["dag_id"] == "feas_dag"
    assert result["instances"][1] == first


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(1900, 1, 1, tzinfo=gettz("Europe/Amsterdam")),  # offset +00:19:32
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-3, seconds=-7))),
        dt.datetime(2026, 7, 1, 12, tzinfo=gettz("Europe/Berlin")),
    ],
    ids=["amsterdam-lmt", "seconds-offset", "berlin-summer"],
)
def test_sanitize_writes_every_aware_datetime_as_rfc3339(client, when):
    # RFC 3339 offsets are hours and minutes only; the instant must survive whatever the zone.
    body = client.sanitize_for_serialization(TaskInstance(start_date=when))

    assert parse_rfc3339(body["start_date"]) == when


def test_sanitize_leaves_out_read_only_fields(client):
    link = deserialize(
        client,
        {"class_ref": {"module_path": "m", "class_name": "C"}, "name": "n", "href": "h"},
        ExtraLink,
    )

    assert client.sanitize_for_serialization(link) == {"class_ref": {}}


# -- round trip ---------------------------------------------------------------------------------


def test_a_full_answer_round_trips(client):
    ti = deserialize(client, TASK_INSTANCE_PAYLOAD, TaskInstance)

    again = deserialize(client, client.sanitize_for_serialization(ti), TaskInstance)

    # sla_miss.task_id is read-only: it is never sent, so it does not come back.
    expected = ti.to_dict()
    del expected["sla_miss"]["task_id"]
    assert again.to_dict() == expected


@settings(max_examples=60, deadline=None)
@given(fields=task_instances)
def test_any_task_instance_round_trips_through_json(fields):
    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration()) as client:
        ti = TaskInstance(**fields)
        wire = json.loads(json.dumps(client.sanitize_for_serialization(ti)))
        again = deserialize(client, wire, TaskInstance)

    assert again == ti
    assert again.to_dict() == ti.to_dict()
