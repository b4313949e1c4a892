"""Arguments that scripts written for the official 2.x client pass, served by the embedded server
through the SDK (spec dialect): tries paged and ordered, XCom by key, a projection of DAG runs,
task instances by when they last changed, clear with include_past/include_future, bulk state
with a TaskState."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk import BadRequestException
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState
from airflow_python_sdk.testing.server import AirflowApiServer

UTC = timezone.utc
DAY = datetime(2026, 11, 26, tzinfo=UTC)
NEXT_DAY = datetime(2026, 11, 27, tzinfo=UTC)


@pytest.fixture
def client(airflow_api: AirflowApiServer) -> Iterator[airflow_python_sdk.ApiClient]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        yield api_client


def test_tries_take_limit_offset_and_order_by(client) -> None:
    tries = TaskInstanceApi(client)

    every = tries.get_task_instance_tries("etl_daily", "transform", DAY)
    newest = tries.get_task_instance_tries("etl_daily", "transform", DAY, order_by="-try_number",
                                           limit=1)
    second = tries.get_task_instance_tries("etl_daily", "transform", DAY, limit=1, offset=1)

    assert [t.try_number for t in every.task_instances] == [1, 2]
    assert ([t.try_number for t in newest.task_instances], newest.total_entries) == ([2], 2)
    assert [t.try_number for t in second.task_instances] == [2]
    with pytest.raises(BadRequestException):
        tries.get_task_instance_tries("etl_daily", "transform", DAY, order_by="hostname")


def test_xcom_entries_by_key(client) -> None:
    entries = XComApi(client).get_x_com_values("etl_daily", "transform", DAY, xcom_key="bad_rows")

    assert [(entry.key, entry.task_id) for entry in entries.xcom] == [("bad_rows", "transform")]
    assert XComApi(client).get_x_com_values("etl_daily", "transform", DAY,
                                            xcom_key="missing").xcom == []


def test_dag_runs_projected_onto_the_fields_asked_for(client) -> None:
    page = DAGRunApi(client).get_dag_runs("etl_daily", fields=["dag_run_id", "state"])

    assert [run.to_dict() for run in page.dag_runs] == [
        {"dag_run_id": "scheduled__2026-11-26T00:00:00+00:00", "state": "failed"},
        {"dag_run_id": "scheduled__2026-11-27T00:00:00+00:00", "state": "running"}]
    assert page.total_entries == 2
    with pytest.raises(BadRequestException) as caught:
        DAGRunApi(client).get_dag_runs("etl_daily", fields=["dag_run_id", "colour"])
    assert "'colour' is not a field of DAGRun" in str(caught.value)


def test_the_pager_takes_no_projection_which_could_drop_the_ids_it_pages_by(client) -> None:
    with pytest.raises(TypeError) as caught:
        DAGRunApi(client).iter_dag_runs("etl_daily", fields=["state"])  # type: ignore[call-arg]
    assert "fields" in str(caught.value)


def test_task_instances_by_when_they_last_changed(client) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    TaskInstanceApi(client).update_task_instance(
        "etl_daily", "transform", DAY, TaskInstance(note="looked at"), update_mask=["note"])

    changed = PoolApi(client).get_task_instances("~", updated_at_gte=before)
    unchanged = PoolApi(client).get_task_instances("etl_daily", updated_at_lte=before)

    assert [(ti.dag_id, ti.task_id) for ti in changed.task_instances] == [
        ("etl_daily", "transform")]
    assert sorted((ti.task_id, ti.execution_date.day) for ti in unchanged.task_instances) == [
        ("extract", 26), ("extract", 27), ("load", 26)]


@pytest.mark.parametrize(("flags", "expected"), [
    ({}, [27]),
    ({"include_past": True}, [26, 27]),
    ({"include_future": True}, [27]),
])
def test_clear_with_include_past_and_include_future(client, flags, expected) -> None:
    # extract ran on the 26th (success) and runs on the 27th.
    listed = DAGApi(client).clear_task_instances("etl_daily", ClearTaskInstance(
        task_ids=["extract"], start_date=NEXT_DAY, end_date=NEXT_DAY, only_failed=False,
        **flags))

    assert sorted(ref.execution_date.day for ref in listed.task_instances) == expected


def test_include_future_reaches_later_runs(client) -> None:
    listed = DAGApi(client).clear_task_instances("etl_daily", ClearTaskInstance(
        task_ids=["extract"], start_date=DAY, end_date=DAY, only_failed=False,
        include_future=True))

    assert sorted(ref.execution_date.day for ref in listed.task_instances) == [26, 27]


def test_bulk_state_with_a_task_state(client) -> None:
    changed = DAGApi(client).update_task_instances_state("etl_daily", UpdateTaskInstancesState(
        task_id="transform", execution_date=DAY, new_state=TaskState("success"), dry_run=False))

    assert [ref.task_id for ref in changed.task_instances] == ["transform"]
    state = TaskInstanceApi(client).get_task_instance("etl_daily", "transform", DAY).state
    assert state == TaskState.SUCCESS
