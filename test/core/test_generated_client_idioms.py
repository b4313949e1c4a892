"""Idioms of scripts written for the generated clients: enum items, printed models, JSON form.

Enum values answer `["value"]` and `.get("value")` as the generated clients' enum models did while
staying strings; models print as the dict of their fields; `to_dict(mode="json")` and `to_json()`
give JSON data with the server's own date text for a model unchanged since it was read.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import pprint
import subprocess
import sys

import pytest
from core.model_values import deserialize, task_instances
from core.payloads import RFC3339, TASK_INSTANCE_PAYLOAD, TASK_STATES
from hypothesis import given, settings
from hypothesis import strategies as st

import airflow_python_sdk
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState


@pytest.fixture
def client():
    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration()) as api_client:
        yield api_client


def answer(client, payload=TASK_INSTANCE_PAYLOAD):
    return deserialize(client, copy.deepcopy(payload), TaskInstance)


# -- enum values: the `value` item --------------------------------------------------------------


def test_the_state_of_an_answer_has_a_value_item(client):
    ti = answer(client, {**TASK_INSTANCE_PAYLOAD, "state": "failed"})

    assert ti["state"]["value"] == "failed"
    assert ti.state.get("value") == "failed"
    assert TaskState("failed")["value"] == "failed"
    assert type(ti["state"]["value"]) is str


def test_an_unlisted_state_has_its_text_as_value_item(client):
    ti = answer(client, {**TASK_INSTANCE_PAYLOAD, "state": "awaiting_approval"})

    assert ti["state"]["value"] == "awaiting_approval"
    assert ti.state.value == "awaiting_approval"
    assert TaskState("awaiting_approval").get("value") == "awaiting_approval"


def test_other_items_of_an_enum_value_are_key_errors_naming_the_item():
    with pytest.raises(KeyError, match="'status'") as raised:
        TaskState.FAILED["status"]
    assert isinstance(raised.value, airflow_python_sdk.ApiKeyError)
    assert TaskState.FAILED.get("status") is None
    assert TaskState.FAILED.get("status", "fallback") == "fallback"


def test_enum_values_keep_behaving_as_their_text():
    state = TaskState.UP_FOR_RETRY

    assert str(state) == "up_for_retry"
    assert f"{state}" == "up_for_retry"
    assert state == "up_for_retry"
    assert state.value == "up_for_retry"
    assert state[0] == "u"
    assert state[:2] == "up"
    assert state[-5:] == "retry"
    assert {"up_for_retry": 1}[state] == 1
    assert "up_for_retry" in {state}
    assert state.upper() == "UP_FOR_RETRY"
    assert json.dumps({"state": state}) == '{"state": "up_for_retry"}'
    assert state.to_str() == "up_for_retry"


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.sampled_from(TASK_STATES), st.text()))
def test_any_state_text_reads_writes_and_hashes_as_that_text(text):
    state = TaskState(text)

    assert state["value"] == state.get("value") == state.value == str(state) == text
    assert state == text
    assert hash(state) == hash(text)
    assert repr(state) == repr(text)
    assert json.dumps(state) == json.dumps(text)
    assert eval(repr(state)) == state  # the repr is the text's, so it reads back as the text


def test_the_repr_of_an_enum_value_is_the_repr_of_its_text():
    assert repr(TaskState.FAILED) == "'failed'"
    assert repr([TaskState.FAILED, TaskState("awaiting_approval")]) == (
        "['failed', 'awaiting_approval']"
    )


# -- printing models ------------------------------------------------------------------------------


def test_a_model_prints_as_the_pretty_printed_dict_of_its_fields(client):
    ti = answer(client)

    expected = pprint.pformat(ti.to_dict())
    assert repr(ti) == str(ti) == ti.to_str() == expected
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        pprint.pprint(ti)
        print(ti)
    assert printed.getvalue() == expected + "\n" + expected + "\n"


def test_a_printed_model_shows_the_state_as_plain_text(client):
    ti = answer(client, {**TASK_INSTANCE_PAYLOAD, "state": "awaiting_approval", "note": "hi"})

    text = repr(ti)

    assert "'state': 'awaiting_approval'" in text
    assert "'note': 'hi'" in text
    assert "TaskState" not in text
    assert "'sla_miss': {" in text  # nested models print as dicts too


def test_a_small_model_prints_on_one_line():
    assert repr(TaskInstance(task_id="echo_ok", state=TaskState.FAILED)) == (
        "{'state': 'failed', 'task_id': 'echo_ok'}"
    )
    assert repr(TaskInstance()) == "{}"
    assert repr(ExtraLinkCollection(extra_links=[])) == "{'extra_links': []}"


def test_printing_a_model_imports_pprint_only_then():
    code = (
        "import sys\n"
        "from airflow_python_sdk.model.task_instance import TaskInstance\n"
        "ti = TaskInstance(task_id='a')\n"
        "ti.to_dict(); ti.to_json()\n"
        "before = 'pprint' in sys.modules\n"
        "repr(ti)\n"
        "print(before, 'pprint' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "True"]


# -- the JSON form ---------------------------------------------------------------------------------


def test_an_unchanged_answer_gives_back_exactly_the_json_it_came_as(client):
    payload = {**TASK_INSTANCE_PAYLOAD, "start_date": "2026-11-28T14:29:11.995132Z",
               "end_date": "2026-11-28T19:59:12+05:30", "reviewed": {"by": ["ops", 1, None]}}
    ti = answer(client, payload)

    as_json = ti.to_dict(mode="json")

    assert as_json == payload  # read-only sla_miss.task_id and the unknown `reviewed` included
    assert as_json["start_date"] == "2026-11-28T14:29:11.995132Z"
    assert as_json["end_date"] == "2026-11-28T19:59:12+05:30"
    assert json.loads(ti.to_json()) == payload
    assert json.loads(json.dumps(ti.to_dict(mode="json"))) == payload


def test_to_dict_without_a_mode_keeps_datetimes_and_gives_enums_as_text(client):
    ti = answer(client)

    as_dict = ti.to_dict()

    assert isinstance(as_dict["start_date"], dt.datetime)
    assert isinstance(as_dict["sla_miss"]["timestamp"], dt.datetime)
    assert type(as_dict["state"]) is str
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps(as_dict)


def test_a_changed_model_writes_dates_as_rfc3339_text_and_enums_as_plain_text(client):
    ti = answer(client)
    ti.state = TaskState.FAILED
    ti.start_date = dt.datetime(2026, 11, 26, 5, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=5)))

    as_json = ti.to_dict(mode="json")

    assert as_json["start_date"] == "2026-11-26T05:30:15+05:00"
    assert RFC3339.match(as_json["start_date"])
    assert as_json["state"] == "failed" and type(as_json["state"]) is str
    assert as_json["sla_miss"]["task_id"] == "echo_ok"  # read-only, still part of the data
    assert as_json["end_date"] == TASK_INSTANCE_PAYLOAD["end_date"]


def test_a_constructed_model_in_json_form(client):
    ti = TaskInstance(
        task_id="t", state=TaskState("awaiting_approval"), duration=None,
        execution_date=dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc),
        sla_miss=SLAMiss(task_id="t", timestamp="2026-11-26T01:00:00Z"),
    )
    ti["reviewed_at"] = dt.datetime(2026, 11, 27, 8, tzinfo=dt.timezone.utc)  # an unknown field

    assert ti.to_dict(mode="json") == {
        "task_id": "t",
        "state": "awaiting_approval",
        "duration": None,
        "execution_date": "2026-11-26T00:00:00+00:00",
        "sla_miss": {"task_id": "t", "timestamp": "2026-11-26T01:00:00+00:00"},
        "reviewed_at": "2026-11-27T08:00:00+00:00",
    }
    # What a request sends leaves the read-only field out; the JSON form keeps it.
    assert "task_id" not in client.sanitize_for_serialization(ti)["sla_miss"]


def test_a_nested_model_changed_after_reading_is_written_anew(client):
    ti = answer(client)
    ti.sla_miss.email_sent = True
    ti.sla_miss.timestamp = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)

    as_json = ti.to_dict(mode="json")

    assert as_json["sla_miss"]["email_sent"] is True
    assert as_json["sla_miss"]["timestamp"] == "2026-11-29T00:00:00+00:00"
    assert as_json["start_date"] == TASK_INSTANCE_PAYLOAD["start_date"]


def test_lists_of_nested_models_in_json_form(client):
    links = deserialize(client, {"extra_links": [
        {"name": "Log", "href": "https://a/1", "class_ref": {"class_name": "L"}}]},
        ExtraLinkCollection)
    links.extra_links[0]["href"] = None

    assert links.to_dict(mode="json") == {"extra_links": [
        {"name": "Log", "href": None, "class_ref": {"class_name": "L"}}]}


def test_to_json_takes_an_indent():
    text = TaskInstance(task_id="é").to_json(indent=2)

    assert text == '{\n  "task_id": "é"\n}'


def test_a_naive_datetime_in_an_unchecked_model_is_a_value_error_naming_the_field():
    ti = TaskInstance(start_date=dt.datetime(2026, 11, 26), _check_type=False)

    with pytest.raises(airflow_python_sdk.ApiValueError, match=r"TaskInstance\.start_date"):
        ti.to_dict(mode="json")


def test_an_unknown_mode_is_a_value_error_naming_it():
    with pytest.raises(airflow_python_sdk.ApiValueError, match="`mode`: 'yaml'"):
        TaskInstance().to_dict(mode="yaml")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
unknown_fields = st.dictionaries(
    st.text(min_size=1, max_size=12).filter(lambda key: key not in TaskInstance._fields),
    json_values,
    max_size=5,
)


@settings(max_examples=100, deadline=None)
@given(extra=unknown_fields)
def test_answers_with_any_unknown_fields_round_trip_through_the_json_form(extra):
    payload = {**TASK_INSTANCE_PAYLOAD, **extra}
    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration()) as client:
        ti = answer(client, payload)

    assert json.loads(ti.to_json()) == payload
    again = TaskInstance.from_dict(json.loads(ti.to_json()))
    assert again == ti
    ti.pool = "changed"  # no longer the text it was read from: written anew
    assert TaskInstance.from_dict(json.loads(ti.to_json())) == ti


@settings(max_examples=60, deadline=None)
@given(fields=task_instances, extra=unknown_fields)
def test_any_constructed_model_round_trips_through_the_json_form(fields, extra):
    ti = TaskInstance(**fields)
    for key, value in extra.items():
        ti[key] = value

    as_json = ti.to_dict(mode="json")

    assert json.loads(json.dumps(as_json)) == as_json
    assert TaskInstance.from_dict(as_json) == ti
    assert repr(ti) == pprint.pformat(ti.to_dict())
    for key in ("execution_date", "start_date", "end_date", "queued_dttm"):
        if as_json.get(key) is not None:
            assert RFC3339.match(as_json[key])
