"""A request body given as a dict may hold what the model's constructor takes (an aware
datetime, an enum member, a nested model), not only JSON text: it is sent as JSON, over
loopback HTTP to the embedded server, as the same body given as a model is."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk import ApiValueError
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.dag_state import DagState
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing.server import AirflowApiServer

UTC = timezone.utc
DAY = datetime(2026, 11, 26, tzinfo=UTC)  # etl_daily's sample run: extract ok, transform failed


@pytest.fixture
def client(airflow_client: TaskInstanceApi) -> airflow_python_sdk.ApiClient:
    return airflow_client.api_client  # the pytest plugin's client of the embedded server


def test_a_trigger_dict_with_a_datetime_is_sent_as_json(
        client: airflow_python_sdk.ApiClient) -> None:
    when = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)

    run = DAGRunApi(client).trigger_dag_run("etl_daily", {
        "dag_run_id": "from_a_dict", "execution_date": when, "conf": {"rows": 10}})

    assert (run.dag_run_id, run.execution_date, run.conf, run.state) == (
        "from_a_dict", when, {"rows": 10}, DagState.QUEUED)
    again = DAGRunApi(client).get_dag_run("etl_daily", "from_a_dict")
    assert again.execution_date == when


def test_a_clear_dict_with_datetimes_clears_the_dates_it_names(
        client: airflow_python_sdk.ApiClient) -> None:
    listed = DAGApi(client).clear_task_instances("etl_daily", {
        "task_ids": ["extract", "transform"], "start_date": DAY, "end_date": DAY,
        "only_failed": False})  # no dry_run: a dry run

    assert sorted((ref.task_id, ref.execution_date) for ref in listed.task_instances) == [
        ("extract", DAY), ("transform", DAY)]
    state = TaskInstanceApi(client).get_task_instance("etl_daily", "transform", DAY).state
    assert state == TaskState.FAILED  # the dry run changed nothing


def test_an_update_dict_with_an_enum_member_changes_the_state(
        client: airflow_python_sdk.ApiClient) -> None:
    api = TaskInstanceApi(client)

    api.update_task_instance("etl_daily", "transform", DAY, {"state": TaskState("success")},
                             update_mask=["state"])

    assert api.get_task_instance("etl_daily", "transform", DAY).state == TaskState.SUCCESS


def test_a_dict_built_model_writes_out_json_text() -> None:
    model = TaskInstance.from_dict({"task_id": "extract", "execution_date": DAY,
                                    "state": TaskState("failed")})

    assert model.to_json() == ('{"task_id": "extract", "execution_date": '
                               '"2026-11-26T00:00:00+00:00", "state": "failed"}')


def test_a_naive_datetime_in_a_dict_is_refused_before_anything_is_sent(
        client: airflow_python_sdk.ApiClient, airflow_api: AirflowApiServer) -> None:
    before = len(airflow_api.request_log.entries())

    with pytest.raises(ApiValueError, match=r"DAGRun\.execution_date.*no UTC offset"):
        DAGRunApi(client).trigger_dag_run("etl_daily", {"execution_date": datetime(2026, 12, 3)})

    assert len(airflow_api.request_log.entries()) == before
