"""An answer's date-times and nested models are checked and decoded when first read (the
README's notes on models): a value that is not what the spec says raises then, with the class,
field path, status, method and URL the call itself raised before, and every other guarantee of
reading answers holds (unknown fields and values kept, null as None, the server's own text
written back, `discard_unknown_keys`, `_check_return_type=False`). Over real loopback HTTP; and
in process, for any document, read field by field it holds what decoding it whole gives.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import urllib3
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, PASSWORD, USERNAME
from reliability.json_documents import document
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk import ResponseTypeError, ResponseValueError
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.rest import RESTResponse

ANSWER: dict[str, Any] = {
    "task_id": "extract",
    "dag_id": "etl_daily",
    "execution_date": "2026-11-26T00:00:00Z",
    "start_date": "2026-11-28T14:29:11.995132+00:00",
    "end_date": None,
    "state": "awaiting_approval",  # a state the spec does not list
    "try_number": 1,
    "x_review": {"by": "ops"},  # a field the spec does not know
    "sla_miss": {"task_id": "extract", "email_sent": False,
                 "timestamp": "2026-11-28T15:00:00.102938+00:00", "x_new": 1},
}
JSON = [("Content-Type", "application/json")]
PATH = "/api/v1/dags/etl_daily/taskInstances/extract/2026-11-26T00%3A00%3A00%2B00%3A00"


def serve(server: RecordingServer, document: dict[str, Any]) -> None:
    server.answer(Reply(200, json.dumps(document).encode(), JSON))


def get(api: TaskInstanceApi, **options: Any) -> TaskInstance:
    return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, **options)


def readings(ti: TaskInstance, field: str) -> list[Any]:
    """Every way a job reads one field, or the whole model."""
    return [lambda: getattr(ti, field), lambda: ti[field], lambda: ti.get(field), ti.to_dict,
            ti.to_json, lambda: repr(ti), lambda: ti == TaskInstance()]


def test_the_call_reads_the_answer_and_a_bad_date_time_fails_when_first_read(server, api_for):
    serve(server, {**ANSWER, "start_date": "yesterday"})
    ti = get(api_for(server.url))  # no error: start_date is not read yet

    assert ti.task_id == "extract" and ti.execution_date == EXECUTION_DATE
    for read in readings(ti, "start_date"):
        with pytest.raises(ResponseValueError) as caught:
            read()
        error = caught.value
        # As the call raised it before the field was read lazily: the same class, path,
        # status, method and URL.
        assert error.path_to_item == ["TaskInstance", "start_date"]
        assert error.status == 200 and error.method == "GET" and error.url.endswith(PATH)
        assert str(error).startswith(f"GET {server.url}{PATH}: 200 answer cannot be read: ")
        assert "`TaskInstance.start_date`: str ('yesterday') is not an RFC 3339" in str(error)
        assert '"start_date": "yesterday"' in str(error.body)
    assert ti.try_number == 1  # the other fields read as ever


def test_a_date_time_of_the_wrong_type_is_a_response_type_error_when_first_read(
    server, api_for
):
    serve(server, {**ANSWER, "end_date": 20261128})
    ti = get(api_for(server.url))

    for read in readings(ti, "end_date"):
        with pytest.raises(ResponseTypeError) as caught:
            read()
        assert caught.value.path_to_item == ["TaskInstance", "end_date"]
        assert caught.value.status == 200
        assert "`TaskInstance.end_date`: expected datetime or RFC 3339 str, got int" in str(
            caught.value)


def test_a_wrong_type_in_a_nested_model_fails_when_the_nested_model_is_first_read(
    server, api_for
):
    serve(server, {**ANSWER, "sla_miss": {**ANSWER["sla_miss"], "email_sent": "yes"}})
    ti = get(api_for(server.url))

    for read in readings(ti, "sla_miss"):
        with pytest.raises(ResponseTypeError) as caught:
            read()
        assert caught.value.path_to_item == ["TaskInstance", "sla_miss", "email_sent"]
        assert "`TaskInstance.sla_miss.email_sent`: expected bool, got str" in str(caught.value)
        assert caught.value.url.endswith(PATH)


def test_a_bad_date_time_in_a_nested_model_fails_when_that_date_time_is_read(server, api_for):
    serve(server, {**ANSWER, "sla_miss": {**ANSWER["sla_miss"], "timestamp": "at noon"}})
    ti = get(api_for(server.url))

    sla_miss = ti.sla_miss
    assert isinstance(sla_miss, SLAMiss) and sla_miss.email_sent is False
    with pytest.raises(ResponseValueError) as caught:
        _ = sla_miss.timestamp
    assert caught.value.path_to_item == ["TaskInstance", "sla_miss", "timestamp"]
    assert caught.value.status == 200


def test_a_good_answer_reads_as_it_always_did_and_writes_back_the_servers_text(
    server, api_for
):
    serve(server, ANSWER)
    ti = get(api_for(server.url))

    # Unchanged and unread, then read field by field: the server's own text either way.
    assert json.loads(ti.to_json()) == ANSWER
    assert ti.start_date == dt.datetime(2026, 11, 28, 14, 29, 11, 995132, tzinfo=dt.timezone.utc)
    assert ti.end_date is None  # JSON null reads as None
    assert ti.state == "awaiting_approval" and isinstance(ti.state, TaskState)
    assert ti.x_review == {"by": "ops"}
    assert ti.sla_miss.timestamp == dt.datetime(2026, 11, 28, 15, 0, 0, 102938,
                                                tzinfo=dt.timezone.utc)
    assert ti.sla_miss["x_new"] == 1
    assert ti.start_date is ti.start_date and ti.sla_miss is ti.sla_miss  # decoded once
    assert json.loads(ti.to_json()) == ANSWER
    # A request body: the same text, less the read-only fields.
    assert airflow_python_sdk.ApiClient().sanitize_for_serialization(ti)["sla_miss"] == {
        key: value for key, value in ANSWER["sla_miss"].items() if key != "task_id"}


def test_discard_unknown_keys_reaches_nested_models_read_later(server, api_for):
    serve(server, ANSWER)
    api = api_for(server.url)
    api.api_client.configuration.discard_unknown_keys = True
    ti = get(api)

    assert "x_review" not in ti and "x_new" not in ti.sla_miss
    assert "x_new" not in json.loads(ti.to_json())["sla_miss"]


def test_check_return_type_false_gives_what_does_not_decode_as_it_came(server, api_for):
    serve(server, {**ANSWER, "start_date": "yesterday",
                   "sla_miss": {**ANSWER["sla_miss"], "email_sent": "yes"}})
    ti = get(api_for(server.url), _check_return_type=False)

    assert ti.start_date == "yesterday"
    assert ti.sla_miss.email_sent == "yes"
    assert ti.to_dict()["start_date"] == "yesterday"


def _airflow2(document: dict[str, Any]) -> Any:
    def answer(request: RecordedRequest) -> Reply:
        if request.path.endswith("/dagRuns"):
            return Reply.json({"dag_runs": [{"dag_run_id": "the_run",
                                             "execution_date": ANSWER["execution_date"]}],
                               "total_entries": 1})
        return Reply.json(document)
    return answer


def test_on_a_real_server_dialect_a_bad_date_time_fails_when_first_read_as_its_answer():
    with RecordingServer() as server:
        server.handler = _airflow2({**ANSWER, "start_date": "yesterday"})
        config = airflow_python_sdk.Configuration(
            host=server.url + "/api/v1", username=USERNAME, password=PASSWORD,
            dialect="airflow2", timeout=(2.0, 2.0))
        with airflow_python_sdk.ApiClient(config) as client:
            ti = get(TaskInstanceApi(client))

            assert ti.task_id == "extract"
            with pytest.raises(ResponseValueError) as caught:
                _ = ti.start_date
    assert caught.value.path_to_item == ["TaskInstance", "start_date"]
    assert caught.value.status == 200 and caught.value.method == "GET"
    assert "/dagRuns/the_run/taskInstances/extract" in str(caught.value.url)


READER = airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration())
READ_ERRORS = (airflow_python_sdk.ApiTypeError, airflow_python_sdk.ApiValueError)


def _read_field_by_field(body: bytes, check: bool) -> tuple[TaskInstance, dict[str, Any]]:
    """The answer's model, and what reading each of its fields (nested ones too) gave."""
    answer = RESTResponse(urllib3.HTTPResponse(
        body=body, status=200, headers={"Content-Type": "application/json"}, preload_content=True,
    ))  # fmt: skip
    ti: TaskInstance = READER.deserialize(answer, (TaskInstance,), check)
    read: dict[str, Any] = {}
    for name in TaskInstance._fields:
        value = read[name] = getattr(ti, name)
        if isinstance(value, SLAMiss):
            read[name] = {nested: getattr(value, nested) for nested in SLAMiss._fields}
    return ti, read


def _fields_of(ti: TaskInstance) -> dict[str, Any]:
    fields: dict[str, Any] = {name: ti._data.get(name) for name in TaskInstance._fields}
    if isinstance(fields["sla_miss"], SLAMiss):
        fields["sla_miss"] = {name: fields["sla_miss"]._data.get(name)
                              for name in SLAMiss._fields}
    return fields


@settings(max_examples=150, deadline=None)
@given(doc=document(TaskInstance), check=st.booleans())
def test_an_answer_read_field_by_field_holds_what_decoding_it_whole_gives(doc, check):
    body = json.dumps(doc).encode()
    try:
        whole = TaskInstance.from_dict(json.loads(body), _check_type=check)
    except READ_ERRORS:
        # Refused whole: refused too when its fields are read, by the call or by a reading.
        with pytest.raises(READ_ERRORS) as caught:
            _read_field_by_field(body, check)
        assert caught.value.path_to_item[0] == "TaskInstance"
        return
    lazy, read = _read_field_by_field(body, check)
    assert read == _fields_of(whole)
    assert lazy.to_dict() == whole.to_dict()
    assert lazy.to_json() == whole.to_json()
