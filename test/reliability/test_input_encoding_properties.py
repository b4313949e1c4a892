"""Property: any Unicode text given as dag_id, task_id or a query value reaches the server as
exactly the intended path segment or query value, over a real socket.

The server decodes what it received the way a web framework does (split the raw path on "/",
percent-decode each segment as UTF-8; parse the query with parse_qs), and must get back the
very strings the caller passed.
"""

from __future__ import annotations

from typing import Iterator
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE, make_configuration
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

EXAMPLES = 150
# Any character a str can hold except lone surrogates, which have no UTF-8 form at all.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
# Text made of the characters URLs give meaning to, so that every example is a hard one.
URL_SYNTAX = st.lists(
    st.sampled_from([*"/?#%+&=;:@.,[] \t\r\n\\~'\"", "..", "%2F", "%zz", "\u00e9", "\x00"]),
    min_size=1, max_size=12,
).map("".join)
PATH_TEXT = st.one_of(ANY_TEXT, URL_SYNTAX, st.sampled_from([".", "..", "...", "%", "%25"]))

PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,  # each example is a real request; timing is bounded by the client timeout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def echo() -> Iterator[tuple[RecordingServer, TaskInstanceApi]]:
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json(
            {"content": "log"} if "/logs/" in request.path else TASK_INSTANCE
        )
        with airflow_python_sdk.ApiClient(make_configuration(server.url)) as client:
            yield server, TaskInstanceApi(client)


def segments_after(path: str, marker: str) -> list[str]:
    raw = path.split("/")
    return [unquote(segment, errors="strict") for segment in raw[raw.index(marker) + 1:]]


@PROPERTY
# `~` (every DAG) is refused before sending by an operation on one DAG: test_actions.py.
@given(dag_id=PATH_TEXT.filter(lambda text: text != "~"), task_id=PATH_TEXT)
def test_dag_and_task_ids_arrive_as_exactly_the_segments_sent(echo, dag_id, task_id):
    server, api = echo

    api.get_task_instance(dag_id, task_id, EXECUTION_DATE)

    request = server.last
    assert request.path.startswith("/api/v1/dags/")
    dag, label, task, date = segments_after(request.path, "dags")
    assert (dag, label, task) == (dag_id, "taskInstances", task_id)
    assert date == EXECUTION_DATE.isoformat()
    assert request.query == ""


@PROPERTY
@given(task_id=PATH_TEXT, token=ANY_TEXT | URL_SYNTAX)
def test_query_values_arrive_as_exactly_the_values_sent(echo, task_id, token):
    server, api = echo

    api.get_logs("etl_daily", task_id, EXECUTION_DATE, 1, full_content=False, token=token)

    request = server.last
    assert segments_after(request.path, "taskInstances")[0] == task_id
    assert request.query_params == {"full_content": ["false"], "token": [token]}


@pytest.mark.parametrize("where", ["dag_id", "token"])
def test_text_with_a_lone_surrogate_is_refused_as_an_argument_error(echo, where):
    server, api = echo
    before = len(server.requests)
    text = "bad\ud800id"

    with pytest.raises(airflow_python_sdk.ApiValueError, match=where):
        if where == "dag_id":
            api.get_task_instance(text, "extract", EXECUTION_DATE)
        else:
            api.get_logs("etl_daily", "extract", EXECUTION_DATE, 1, token=text)

    assert len(server.requests) == before
