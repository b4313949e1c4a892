"""Properties of reading answers: whatever a server sends with a 2xx, the SDK gives a model whose
fields hold their declared types, or raises ApiValueError/ApiTypeError naming the field path
(with the status and an excerpt of the body when the body itself cannot be read). Never another
exception. Date-times and nested models are checked when first read, so reading an answer here
means the call and reading every field (`to_dict()`).
"""

from __future__ import annotations

import json
from typing import Iterator

import pytest
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, make_configuration
from reliability.fast_clients import TASK_INSTANCE as TASK_INSTANCE_FIELDS
from reliability.json_documents import check_model, document
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.exceptions import render_path
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.rest import RESTResponse

IN_PROCESS_EXAMPLES = 120
OVER_SOCKET_EXAMPLES = 60
MODELS = [TaskInstance, ExtraLinkCollection, InlineResponse200]

READ_ERRORS = (airflow_python_sdk.ApiTypeError, airflow_python_sdk.ApiValueError)


def answer(body: bytes, status: int = 200) -> RESTResponse:
    """An answer as the transport hands it over, without a network in between."""
    return RESTResponse(urllib3.HTTPResponse(
        body=body, status=status, headers={"Content-Type": "application/json"},
        preload_content=True,
    ))  # fmt: skip


def assert_read_or_refused_well(read, model: type) -> None:
    try:
        result = read()
        # Date-times and nested models are checked when first read: reading every field is
        # part of reading the answer.
        result.to_dict()
    except READ_ERRORS as error:
        message = str(error)
        path = getattr(error, "path_to_item", None)
        if path:
            assert path[0] == model.__name__, (path, message)
            assert render_path(path) in message, (path, message)
        if isinstance(error, airflow_python_sdk.ApiException):
            assert error.status == 200 and " 200 " in message, message
        return
    assert isinstance(result, model)
    assert check_model(result), repr(result)


# Strategies are built once: building them is what costs, not drawing from them.
DOCUMENTS = {model: document(model) for model in MODELS}
READER = airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration())


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@settings(max_examples=IN_PROCESS_EXAMPLES, deadline=None)
@given(data=st.data())
def test_any_json_document_becomes_a_typed_model_or_an_error_naming_the_field(model, data):
    body = json.dumps(data.draw(DOCUMENTS[model], label="document")).encode()

    assert_read_or_refused_well(lambda: READER.deserialize(answer(body), (model,), True), model)


@pytest.fixture(scope="module")
def scripted() -> Iterator[tuple[RecordingServer, TaskInstanceApi]]:
    with RecordingServer() as server, airflow_python_sdk.ApiClient(
        make_configuration(server.url)
    ) as client:
        yield server, TaskInstanceApi(client)


def get(api: TaskInstanceApi) -> TaskInstance:
    return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)


@settings(max_examples=OVER_SOCKET_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=document(TaskInstance))
def test_over_a_socket_any_document_gives_a_typed_model_or_an_error_naming_the_field(
    scripted, doc
):
    server, api = scripted
    server.answer(Reply(200, json.dumps(doc).encode(), [("Content-Type", "application/json")]))

    assert_read_or_refused_well(lambda: get(api), TaskInstance)


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return True
    return False


def _truncated(doc: dict) -> st.SearchStrategy[bytes]:
    body = json.dumps(doc).encode()
    return st.integers(0, max(len(body) - 1, 0)).map(lambda cut: body[:cut])


# Bodies that cannot be read at all: ResponseValueError with the status and an excerpt.
UNREADABLE_BODIES = st.one_of(
    st.just(b""),
    st.binary(min_size=1, max_size=60).filter(_not_json),
    st.text(min_size=1, max_size=60).map(str.encode).filter(_not_json),
    st.sampled_from([b"<html><body>Bad Gateway</body></html>", b"\xff\xfe{\x00", b"OK"]),
    st.integers(2000, 4000).map(lambda depth: b'{"a":' * depth),  # deep, and cut short
    document(TaskInstance).flatmap(_truncated).filter(_not_json),
).filter(lambda raw: raw == b"" or excerpt(raw) != "(empty)")  # blank ones: their own test below
# JSON of the wrong shape for a task instance: ResponseTypeError with the status.
WRONGLY_TYPED_BODIES = [b"null", b"[]", b"42", b'"ok"', b"true", b"[{}]", b"1e999"]


def assert_clear(error: airflow_python_sdk.ApiException) -> str:
    message = str(error)
    assert message.startswith("GET http://127.0.0.1:") and " 200 " in message, message
    assert error.status == 200
    assert len(message) < 600  # an excerpt, not the whole body
    return message


def excerpt(body: bytes) -> str:
    return " ".join(body.decode("utf-8", errors="replace").split())[:40] or "(empty)"


@settings(max_examples=OVER_SOCKET_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=UNREADABLE_BODIES)
def test_an_unreadable_body_is_a_clear_error_with_status_and_excerpt(scripted, body):
    server, api = scripted
    server.answer(Reply(200, body, [("Content-Type", "application/json")]))

    with pytest.raises(airflow_python_sdk.ResponseValueError) as caught:
        get(api)

    assert excerpt(body) in assert_clear(caught.value)


@pytest.mark.parametrize("depth", [2000, 4000, 20000])
def test_json_nested_deeper_than_python_reads_is_a_clear_error(scripted, depth):
    # Python 3.13's json reads deeper documents than 3.9 to 3.12 do (2,000 levels and more):
    # what it cannot read is unreadable, what it can is a list where a task instance belongs.
    # Either way the error says the status and shows the start of the body.
    server, api = scripted
    body = b"[" * depth + b"]" * depth
    try:
        json.loads(body)
        expected: type[airflow_python_sdk.ApiException] = airflow_python_sdk.ResponseTypeError
    except RecursionError:
        expected = airflow_python_sdk.ResponseValueError
    server.answer(Reply(200, body, [("Content-Type", "application/json")]))

    with pytest.raises(expected) as caught:
        get(api)

    assert excerpt(body) in assert_clear(caught.value)


@pytest.mark.parametrize("body", WRONGLY_TYPED_BODIES)
def test_a_wrongly_typed_body_is_a_clear_error_with_the_status(scripted, body):
    server, api = scripted
    server.answer(Reply(200, body, [("Content-Type", "application/json")]))

    with pytest.raises(airflow_python_sdk.ResponseTypeError) as caught:
        get(api)

    assert "expected a JSON object" in assert_clear(caught.value)


def test_a_wrongly_typed_body_error_quotes_an_excerpt_of_the_body(scripted):
    server, api = scripted
    body = b'["a list", "not an object"]'
    server.answer(Reply(200, body, [("Content-Type", "application/json")]))

    with pytest.raises(airflow_python_sdk.ResponseTypeError) as caught:
        get(api)

    assert body.decode() in str(caught.value)


def test_a_blank_body_error_says_the_body_was_blank(scripted):
    server, api = scripted
    server.answer(Reply(200, b" \r\n\t", [("Content-Type", "application/json")]))

    with pytest.raises(airflow_python_sdk.ResponseValueError) as caught:
        get(api)

    assert not str(caught.value).endswith("body: ")


def test_a_deeply_nested_unknown_field_survives_to_dict(scripted):
    server, api = scripted
    depth = 500  # json.loads itself accepts this much
    body = json.dumps({**TASK_INSTANCE_FIELDS, "plugin_data": _nested_lists(depth)}).encode()
    server.answer(Reply(200, body, [("Content-Type", "application/json")]))

    ti = get(api)

    assert ti.to_dict()["task_id"] == "extract"


def _nested_lists(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value
