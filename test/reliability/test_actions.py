"""Clear and bulk state never change a server by surprise, over loopback, on every dialect:
a null `dry_run` is a dry run; on Airflow 3 a change whose dry run cannot be read is never
sent; `~` (every DAG) is refused wherever an operation acts on one DAG; query and path values
outside the spec's bounds are refused before anything is sent."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from dialects.recorded_answers import recorded, token_reply
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import fast_retry
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.exceptions import ApiValueError, ResponseTypeError
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

DAG = "sdk_family"
DATE = "2026-11-27T00:00:00+00:00"
PREFIX = {"draft": "/api/v1", "airflow2": "/api/v1", "airflow3": "/api/v2"}
DIALECTS = tuple(PREFIX)


def answering(dialect: str, dry_run_answer: Callable[[], Reply] | None = None
              ) -> Callable[[RecordedRequest], Reply]:
    """What each dialect's server answers to the actions (recorded from real servers)."""
    version = "v3" if dialect == "airflow3" else "v2"

    def handler(request: RecordedRequest) -> Reply:
        path = request.path
        if path.endswith("/auth/token"):
            return token_reply()
        if path.endswith("/dagRuns"):
            return recorded(f"{version}_family_dagruns_lookup.json")
        if path.endswith("/dry_run") and dry_run_answer is not None:
            return dry_run_answer()
        if path.endswith("/clearTaskInstances"):
            return recorded("v3_family_clear.json" if version == "v3"
                            else "v2_family_clear_dry_run.json")
        if version == "v2" or path.endswith("/dry_run"):
            return recorded(f"{version}_family_bulk_state_dry_run.json")
        return recorded("v3_family_bulk_state.json")

    return handler


def client_for(server: RecordingServer, dialect: str) -> ApiClient:
    configuration = Configuration(host=server.url + PREFIX[dialect], username="u", password="p",
                                  dialect=dialect)
    configuration.retries = fast_retry(0)
    configuration.timeout = (2.0, 5.0)
    return ApiClient(configuration)


BULK = {"task_id": "flaky", "execution_date": DATE, "new_state": "skipped", "dry_run": None}
BODIES: dict[str, Callable[[], Any]] = {
    "bulk state, a model": lambda: UpdateTaskInstancesState(**BULK),
    "bulk state, a dict": lambda: dict(BULK),
    "clear, a model": lambda: ClearTaskInstance(dry_run=None, only_failed=None),
    "clear, a dict": lambda: {"dry_run": None, "only_failed": None},
}


def act(client: ApiClient, body: Any) -> Any:
    if isinstance(body, ClearTaskInstance) or "only_failed" in body:
        return DAGApi(client).clear_task_instances(DAG, body)
    return DAGApi(client).update_task_instances_state(DAG, body)


# -- item 7: None never means "do it" -----------------------------------------------------------

@pytest.mark.parametrize("body", list(BODIES))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_null_dry_run_is_a_dry_run_on_every_dialect(dialect: str, body: str) -> None:
    with RecordingServer(handler=answering(dialect)) as server, \
            client_for(server, dialect) as client:
        act(client, BODIES[body]())
        sent = [r for r in server.requests if r.method in ("POST", "PATCH")
                and not r.path.endswith("/auth/token")]

    if dialect == "airflow3" and body.startswith("bulk"):
        # Airflow 3's dry run is its own path; the change itself is never sent.
        assert [r.path.rsplit("/", 1)[-1] for r in sent] == ["dry_run"]
        assert "dry_run" not in sent[0].json()
    else:
        assert len(sent) == 1
        assert sent[0].json()["dry_run"] is True
        if body.startswith("clear"):
            assert sent[0].json()["only_failed"] is True  # the default, not null


# -- item 8: an error means nothing changed ----------------------------------------------------

@pytest.mark.parametrize("dry_run_answer", [
    {"task_instances": "every one of them"},
    {"task_instances": [{"task_id": 42, "dag_id": DAG}]},
    ["not", "an", "object"],
], ids=["items not a list", "a task id not text", "not an object"])
def test_on_airflow3_a_change_whose_dry_run_cannot_be_read_is_never_sent(
        dry_run_answer: Any) -> None:
    with RecordingServer(handler=answering("airflow3", lambda: Reply.json(dry_run_answer))
                         ) as server, client_for(server, "airflow3") as client:
        with pytest.raises(ResponseTypeError) as caught:
            DAGApi(client).update_task_instances_state(DAG, UpdateTaskInstancesState(
                **{**BULK, "dry_run": False}))
        patches = [r.path.rsplit("/", 1)[-1] for r in server.requests if r.method == "PATCH"]

    assert patches == ["dry_run"]  # the real PATCH never went out
    assert "nothing was changed" in str(caught.value)


# -- item 9: `~` only where an operation lists every DAG ---------------------------------------

DATE_TIME = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)
EVERY_DAG_REFUSED: dict[str, Callable[[ApiClient], Any]] = {
    "clear_task_instances": lambda c: DAGApi(c).clear_task_instances("~", ClearTaskInstance()),
    "update_task_instances_state": lambda c: DAGApi(c).update_task_instances_state(
        "~", UpdateTaskInstancesState(**{**BULK, "dry_run": True})),
    "get_task_instance": lambda c: TaskInstanceApi(c).get_task_instance("~", "t", DATE_TIME),
    "update_task_instance": lambda c: TaskInstanceApi(c).update_task_instance(
        "~", "t", DATE_TIME, {"state": "success"}),
    "delete_task_instance": lambda c: TaskInstanceApi(c).delete_task_instance("~", "t",
                                                                              DATE_TIME),
    "get_logs": lambda c: TaskInstanceApi(c).get_logs("~", "t", DATE_TIME, 1),
    "get_extra_links": lambda c: TaskInstanceApi(c).get_extra_links("~", "t", DATE_TIME),
    "get_task_instance_tries": lambda c: TaskInstanceApi(c).get_task_instance_tries(
        "~", "t", DATE_TIME),
    "get_dag_run": lambda c: DAGRunApi(c).get_dag_run("~", "run"),
    "get_x_com_values": lambda c: XComApi(c).get_x_com_values("~", "t", DATE_TIME),
    "get_x_com_value": lambda c: XComApi(c).get_x_com_value("~", "t", DATE_TIME, "k"),
}


@pytest.mark.parametrize("operation", list(EVERY_DAG_REFUSED))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dag_is_refused_before_sending_wherever_an_operation_acts_on_one(
        dialect: str, operation: str) -> None:
    with RecordingServer(handler=answering(dialect)) as server, \
            client_for(server, dialect) as client:
        with pytest.raises(ApiValueError) as caught:
            EVERY_DAG_REFUSED[operation](client)
        assert server.requests == []
    message = str(caught.value)
    assert f"Invalid value for `dag_id` of {operation}(): '~'" in message
    assert "name one DAG" in message


# -- item 10: the spec's bounds ------------------------------------------------------------------

OUT_OF_BOUNDS: dict[str, tuple[str, Callable[[ApiClient], Any]]] = {
    "limit=0": ("limit", lambda c: TaskInstanceApi(c).get_task_instances("d", limit=0)),
    "limit=-1": ("limit", lambda c: DAGRunApi(c).get_dag_runs("d", limit=-1)),
    "offset=-5": ("offset", lambda c: TaskInstanceApi(c).get_task_instances("d", offset=-5)),
    "map_index=-2": ("map_index", lambda c: TaskInstanceApi(c).get_task_instance(
        "d", "t", DATE_TIME, map_index=-2)),
    "task_try_number=0": ("task_try_number", lambda c: TaskInstanceApi(c).get_logs(
        "d", "t", DATE_TIME, 0)),
    "xcom offset=-1": ("offset", lambda c: XComApi(c).get_x_com_values(
        "d", "t", DATE_TIME, offset=-1)),
}


@pytest.mark.parametrize("case", list(OUT_OF_BOUNDS))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_values_below_the_specs_minimum_are_refused_naming_the_parameter(
        dialect: str, case: str) -> None:
    name, call = OUT_OF_BOUNDS[case]
    with RecordingServer(handler=answering(dialect)) as server, \
            client_for(server, dialect) as client:
        with pytest.raises(ApiValueError) as caught:
            call(client)
        assert server.requests == []
    assert f"Invalid value for `{name}`" in str(caught.value)
    assert "at least" in str(caught.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limit=st.integers(-10**20, 10**20), map_index=st.integers(-10**6, 10**6))
def test_any_limit_and_map_index_is_sent_exactly_or_refused_by_its_minimum(
        limit: int, map_index: int) -> None:
    document = {"task_instances": [], "total_entries": 0}
    with RecordingServer(handler=lambda request: Reply.json(document)) as server, \
            client_for(server, "draft") as client:
        try:
            TaskInstanceApi(client).get_task_instances("d", limit=limit)
            sent = True
        except ApiValueError as error:
            assert "`limit`" in str(error)
            sent = False
        assert sent == (limit >= 1)
        if sent:
            assert server.last.query_params["limit"] == [str(limit)]
        try:
            XComApi(client).get_x_com_values("d", "t", DATE_TIME, map_index=map_index)
            assert map_index >= -1
        except ApiValueError as error:
            assert map_index < -1 and "`map_index`" in str(error)
