"""What the family's operations put on the wire, seen by the recording server: the safe
defaults of clear and bulk state always in the body, however the body was made, and list
filters as repeated parameters."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from support.recording_server import Reply

from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

EMPTY_REFERENCES = Reply.json({"task_instances": []})
CLEAR_DEFAULTS = {"dry_run": True, "only_failed": True, "only_running": False,
                  "reset_dag_runs": True}


@pytest.mark.parametrize(
    "body",
    [
        ClearTaskInstance(task_ids=["transform"]),
        ClearTaskInstance.from_dict({"task_ids": ["transform"]}),
        {"task_ids": ["transform"]},
    ],
    ids=["model", "from_dict", "dict"],
)
def test_clear_always_sends_its_safe_defaults(server, api_client, body) -> None:
    server.answer(EMPTY_REFERENCES)

    DAGApi(api_client).clear_task_instances("etl_daily", body)

    assert server.last.json() == {**CLEAR_DEFAULTS, "task_ids": ["transform"]}
    assert server.last.path.endswith("/dags/etl_daily/clearTaskInstances")


def test_values_given_win_over_the_defaults(server, api_client) -> None:
    server.answer(EMPTY_REFERENCES)

    DAGApi(api_client).clear_task_instances(
        "etl_daily", {"dry_run": False, "only_failed": False, "reset_dag_runs": False})

    assert server.last.json() == {"dry_run": False, "only_failed": False,
                                  "only_running": False, "reset_dag_runs": False}


def test_bulk_state_always_sends_dry_run_and_the_include_flags(server, api_client) -> None:
    server.answer(EMPTY_REFERENCES)
    when = datetime(2026, 11, 26, tzinfo=timezone.utc)

    DAGApi(api_client).update_task_instances_state("etl_daily", UpdateTaskInstancesState(
        task_id="transform", execution_date=when, new_state="success"))

    assert server.last.json() == {
        "dry_run": True, "include_upstream": False, "include_downstream": False,
        "include_future": False, "include_past": False, "task_id": "transform",
        "execution_date": "2026-11-26T00:00:00+00:00", "new_state": "success"}


def test_list_filters_are_repeated_and_encoded(server, api_client) -> None:
    server.answer(Reply.json({"task_instances": [], "total_entries": 0}))

    PoolApi(api_client).get_task_instances(
        "~", state=[TaskState.FAILED, "none"], pool=["a,b", "c d"], execution_date_gte=
        datetime(2026, 11, 26, tzinfo=timezone.utc), duration_lte=2.5, limit=10)

    assert server.last.query_params == {
        "state": ["failed", "none"], "pool": ["a,b", "c d"],
        "execution_date_gte": ["2026-11-26T00:00:00+00:00"], "duration_lte": ["2.5"],
        "limit": ["10"]}
    assert "pool=a,b&pool=c%20d" in server.last.query


@pytest.mark.parametrize(
    "body",
    [
        ClearTaskInstance(dry_run=None, task_ids=["transform"]),
        ClearTaskInstance.from_dict({"dry_run": None, "task_ids": ["transform"]}),
        {"dry_run": None, "task_ids": ["transform"]},
    ],
    ids=["model", "from_dict", "dict"],
)
def test_a_null_safety_flag_is_sent_as_its_safe_default(server, api_client, body) -> None:
    # A missing or null dry_run means a dry run: null must not reach a server that would read
    # it as "not a dry run" or refuse it.
    server.answer(EMPTY_REFERENCES)

    DAGApi(api_client).clear_task_instances("etl_daily", body)

    assert server.last.json() == {**CLEAR_DEFAULTS, "task_ids": ["transform"]}


@pytest.mark.parametrize(
    "body",
    [ClearDagRun(), ClearDagRun(dry_run=None), {}, {"dry_run": None},
     ClearDagRun.from_dict({"dry_run": None})],
    ids=["model", "model-null", "dict", "dict-null", "from_dict-null"],
)
def test_clearing_a_run_is_a_dry_run_unless_the_body_says_otherwise(server, api_client,
                                                                    body) -> None:
    server.answer(EMPTY_REFERENCES)

    DAGRunApi(api_client).clear_dag_run("etl_daily", "scheduled__2026-11-26", body)

    assert server.last.json() == {"dry_run": True}
    assert server.last.path.endswith("/dags/etl_daily/dagRuns/scheduled__2026-11-26/clear")


def test_bulk_state_takes_a_task_state_as_update_task_instance_does(server, api_client) -> None:
    server.answer(EMPTY_REFERENCES)
    when = datetime(2026, 11, 26, tzinfo=timezone.utc)

    DAGApi(api_client).update_task_instances_state("etl_daily", UpdateTaskInstancesState(
        task_id="transform", execution_date=when, new_state=TaskState("success"),
        dry_run=False))

    assert server.last.json()["new_state"] == "success"
    assert server.last.json()["dry_run"] is False
