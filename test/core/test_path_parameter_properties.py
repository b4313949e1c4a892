"""Properties of path parameters over generated values: no value can change the path's shape.

Each example makes a real request to one recording server shared by the examples of a test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from core.payloads import (
    API_PREFIX,
    EXECUTION_DATE,
    LOG_CHUNK_PAYLOAD,
    TASK_INSTANCE_PAYLOAD,
    parse_rfc3339,
    task_instance_path_values,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance

# Characters that mean something to a URL, mixed with anything else.
URL_SYNTAX = st.sampled_from([*"/?#%.+&;=:@[]! $'()*,~\\", "%2F", "%2e", "..", "\n"])
IDS = st.lists(st.one_of(URL_SYNTAX, st.text(min_size=1, max_size=4)), min_size=1, max_size=6).map(
    "".join
)
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
AWARE_DATES = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1), timezones=OFFSETS
)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def answer_anything(request):
    if request.method == "DELETE":
        return Reply.no_content()
    if "/logs/" in request.path:
        return Reply.json(LOG_CHUNK_PAYLOAD)
    return Reply.json(TASK_INSTANCE_PAYLOAD)


@pytest.fixture(scope="module")
def shared():
    with RecordingServer(handler=answer_anything) as server:
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
        with airflow_python_sdk.ApiClient(configuration) as client:
            yield server, TaskInstanceApi(client)


def test_any_dag_and_task_id_stay_one_segment_each(shared):
    server, api = shared

    @EXAMPLES
    # `~` (every DAG) and a try number of 0 are refused before sending: test/reliability/
    # test_actions.py holds that.
    @given(dag_id=IDS.filter(lambda value: value != "~"), task_id=IDS,
           try_number=st.integers(1, 10**6))
    def check(dag_id, task_id, try_number):
        api.get_logs(dag_id, task_id, EXECUTION_DATE, try_number, full_content=True)
        request = server.last
        values = task_instance_path_values(request.path)
        assert values[:3] == [dag_id, "taskInstances", task_id]
        assert values[4:] == ["logs", str(try_number)]
        assert len(values) == 6
        assert request.query_params == {"full_content": ["true"]}

    check()


def test_any_aware_execution_date_arrives_as_the_same_instant(shared):
    server, api = shared

    @EXAMPLES
    @given(when=AWARE_DATES)
    def check(when):
        api.get_task_instance("feas_dag", "echo_ok", when)
        raw = server.last.path.rsplit("/", 1)[-1]
        assert "+" not in raw
        sent = parse_rfc3339(task_instance_path_values(server.last.path)[3])
        assert sent == when
        assert sent.utcoffset() == when.utcoffset()

    check()


OPERATIONS = {
    "get_task_instance": lambda api, d, t, e: api.get_task_instance(d, t, e),
    "get_extra_links": lambda api, d, t, e: api.get_extra_links(d, t, e),
    "get_logs": lambda api, d, t, e: api.get_logs(d, t, e, 1),
    "update_task_instance": lambda api, d, t, e: api.update_task_instance(
        d, t, e, TaskInstance(pool="p")
    ),
    "delete_task_instance": lambda api, d, t, e: api.delete_task_instance(d, t, e),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize(("dag_id", "task_id"), [("..", "."), (".", ".."), ("a/../b", "%2E%2E")])
def test_every_operation_keeps_dot_segments_opaque(shared, operation, dag_id, task_id):
    server, api = shared

    OPERATIONS[operation](api, dag_id, task_id, EXECUTION_DATE)

    values = task_instance_path_values(server.last.path)
    assert values[:3] == [dag_id, "taskInstances", task_id]


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_refuses_a_naive_execution_date(shared, operation):
    server, api = shared
    before = len(server.requests)

    with pytest.raises(airflow_python_sdk.ApiValueError):
        OPERATIONS[operation](api, "feas_dag", "echo_ok", dt.datetime(2026, 11, 26))

    assert len(server.requests) == before


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize(("dag_id", "task_id"), [("", "echo_ok"), ("feas_dag", "")])
def test_every_operation_refuses_an_empty_id(shared, operation, dag_id, task_id):
    # An empty segment cannot be encoded into anything else, and HTTP stacks merge the "//" it
    # leaves (nginx does by default), changing the path just as "." and ".." would.
    server, api = shared
    before = len(server.requests)

    with pytest.raises(airflow_python_sdk.ApiValueError):
        OPERATIONS[operation](api, dag_id, task_id, EXECUTION_DATE)

    assert len(server.requests) == before
