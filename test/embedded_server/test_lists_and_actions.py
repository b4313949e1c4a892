"""The family's endpoints over raw HTTP, as Airflow answers them: page caps, bad parameters and
bodies named in 400 problems, permissions, methods, and state that actions leave behind."""

from __future__ import annotations

import pytest
from embedded_server.http_calls import VIEWER, Caller, assert_problem, ti_path

from airflow_python_sdk.testing.server import AirflowApiServer

RUN = "2026-11-26T00:00:00+00:00"


def test_the_task_instance_list_pages_with_a_total(call: Caller) -> None:
    first = call("GET", "/dags/~/taskInstances", query={"limit": "5", "offset": "0"}).json()
    second = call("GET", "/dags/~/taskInstances", query={"limit": "5", "offset": "5"}).json()

    assert first["total_entries"] == second["total_entries"] >= 20
    assert len(first["task_instances"]) == len(second["task_instances"]) == 5
    keys = {(t["dag_id"], t["task_id"], t["execution_date"], t["map_index"])
            for t in first["task_instances"] + second["task_instances"]}
    assert len(keys) == 10


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"state": "exploded"}, "'exploded'"),
        ({"execution_date_gte": "yesterday"}, "execution_date_gte"),
        ({"duration_lte": "long"}, "duration_lte"),
        ({"order_by": "-colour"}, "order_by"),
    ],
)
def test_a_bad_list_parameter_is_a_400_naming_it(call: Caller, query: dict, named: str) -> None:
    problem = assert_problem(call("GET", "/dags/etl_daily/taskInstances", query=query), 400)
    assert named in problem["detail"]


@pytest.mark.parametrize("path", ["/dags/etl_daily/taskInstances", "/dags/etl_daily/dagRuns"])
@pytest.mark.parametrize("value", ["", "failed,", ",failed"])
def test_an_empty_state_is_a_400_not_a_filter_matching_nothing(
    call: Caller, path: str, value: str
) -> None:
    # The schema's enum has no empty value; Airflow refuses `state=` too.
    problem = assert_problem(call("GET", path, query={"state": value}), 400)
    assert "state: '' is not one of" in problem["detail"]


def test_a_bad_map_index_is_a_400(call: Caller) -> None:
    path = ti_path("etl_daily", "transform", RUN)
    problem = assert_problem(call("GET", path, query={"map_index": "-2"}), 400)
    assert "map_index" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/dags/etl_daily/clearTaskInstances", {"dry_run": "yes"}, "dry_run"),
        ("/dags/etl_daily/clearTaskInstances", {"colour": "red"}, "colour"),
        ("/dags/etl_daily/clearTaskInstances", {"start_date": "soon"}, "start_date"),
        ("/dags/etl_daily/updateTaskInstancesState",
         {"task_id": "load", "execution_date": RUN, "new_state": "running"}, "new_state"),
        ("/dags/etl_daily/updateTaskInstancesState", {"task_id": "load", "new_state": "success"},
         "execution_date"),
    ],
)
def test_a_bad_action_body_is_a_400_naming_the_field_and_nothing_changes(
    call: Caller, path: str, body: dict, named: str
) -> None:
    problem = assert_problem(call("POST", path, body=body), 400)
    assert named in problem["detail"]
    assert call("GET", ti_path("etl_daily", "load", RUN)).json()["state"] == "upstream_failed"


def test_a_read_only_user_may_list_but_not_clear(call: Caller) -> None:
    assert call("GET", "/dags/etl_daily/taskInstances", auth=VIEWER).status == 200
    assert_problem(call("POST", "/dags/etl_daily/clearTaskInstances", body={}, auth=VIEWER), 403)
    assert_problem(call("POST", "/dags/etl_daily/updateTaskInstancesState",
                        body={}, auth=VIEWER), 403)


def test_a_wrong_method_on_an_action_is_405_with_allow(call: Caller) -> None:
    reply = call("GET", "/dags/etl_daily/clearTaskInstances")
    assert_problem(reply, 405)
    assert reply.headers["Allow"] == "POST"


def test_a_dry_run_clear_is_the_default_and_a_real_one_requeues(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    dry = call("POST", "/dags/etl_daily/clearTaskInstances", body={}).json()
    assert {t["task_id"] for t in dry["task_instances"]} == {"transform", "load"}
    run_path = "/dags/etl_daily/dagRuns/scheduled__2026-11-26T00:00:00+00:00"
    assert call("GET", run_path).json()["state"] == "failed"

    call("POST", "/dags/etl_daily/clearTaskInstances",
         body={"dry_run": False, "end_date": RUN})

    assert call("GET", run_path).json()["state"] == "queued"
    transform = call("GET", ti_path("etl_daily", "transform", RUN)).json()
    assert (transform["state"], transform["try_number"]) == (None, 2)
    assert airflow_api.run_cleared("failed") == 2
    tries = call("GET", ti_path("etl_daily", "transform", RUN) + "/tries").json()
    assert [t["try_number"] for t in tries["task_instances"]] == [1, 2, 3]
    assert call("GET", run_path).json()["state"] == "failed"


def test_clearing_a_running_task_instance_makes_it_restarting(call: Caller) -> None:
    call("POST", "/dags/etl_daily/clearTaskInstances",
         body={"dry_run": False, "only_failed": False, "only_running": True})
    extract = call("GET", ti_path("etl_daily", "extract", "2026-11-27T00:00:00Z")).json()
    assert extract["state"] == "restarting"


def test_bulk_state_with_future_reaches_later_runs(call: Caller) -> None:
    answer = call("POST", "/dags/etl_daily/updateTaskInstancesState", body={
        "task_id": "extract", "execution_date": RUN, "new_state": "failed",
        "include_future": True}).json()
    assert [t["execution_date"] for t in answer["task_instances"]] == [
        RUN, "2026-11-27T00:00:00+00:00"]
