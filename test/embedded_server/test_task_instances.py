"""GET, PATCH and DELETE of a task instance over loopback HTTP, as Airflow answers them."""

from __future__ import annotations

import pytest
from embedded_server.http_calls import Caller, assert_problem, ti_path

from airflow_python_sdk.testing.server import AirflowApiServer

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00+00:00")


@pytest.mark.parametrize(
    "spelling",
    [
        "2026-11-26T00:00:00Z",
        "2026-11-26T00:00:00+00:00",
        "2026-11-26T01:00:00+01:00",
        "2026-11-25T19:00:00-05:00",
        "2026-11-26T00:00:00.000000Z",
        "2026-11-26t00:00:00z",
    ],
)
def test_every_spelling_of_the_execution_date_addresses_the_same_instance(
    call: Caller, spelling: str
) -> None:
    reply = call("GET", ti_path("etl_daily", "transform", spelling))

    assert reply.status == 200
    assert reply.content_type == "application/json"
    instance = reply.json()
    assert (instance["dag_id"], instance["task_id"]) == ("etl_daily", "transform")
    assert instance["execution_date"] == "2026-11-26T00:00:00+00:00"
    assert instance["state"] == "failed"
    assert instance["try_number"] == 2


def test_a_task_instance_carries_every_field_of_the_schema(call: Caller) -> None:
    instance = call("GET", TRANSFORM).json()

    assert set(instance) == {
        "task_id", "dag_id", "execution_date", "start_date", "end_date", "duration", "state",
        "try_number", "max_tries", "hostname", "unixname", "job_id", "pool", "pool_slots",
        "queue", "priority_weight", "operator", "queued_dttm", "pid", "executor_config",
        "sla_miss", "map_index", "dag_run_id", "note",
    }  # fmt: skip


@pytest.mark.parametrize(
    "bad_date",
    ["not-a-date", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-26", "26/11/2026"],
)
def test_an_unparseable_execution_date_is_a_bad_request(call: Caller, bad_date: str) -> None:
    for path in (
        ti_path("etl_daily", "transform", bad_date),
        ti_path("etl_daily", "transform", bad_date) + "/links",
        ti_path("etl_daily", "transform", bad_date) + "/logs/1",
    ):
        problem = assert_problem(call("GET", path), 400)
        assert "execution_date" in problem["detail"]


def test_a_missing_task_instance_is_not_found(call: Caller) -> None:
    for path in (
        ti_path("etl_daily", "no_such_task", "2026-11-26T00:00:00Z"),
        ti_path("no_such_dag", "transform", "2026-11-26T00:00:00Z"),
        ti_path("etl_daily", "transform", "2026-11-24T00:00:00Z"),
        ti_path("etl_daily", "transform", "0001-01-01T00:00:00+05:00"),  # before year 1 in UTC
    ):
        problem = assert_problem(call("GET", path), 404)
        assert problem["title"] == "Task instance not found"


def test_delete_removes_the_instance_then_it_is_not_found(call: Caller) -> None:
    deleted = call("DELETE", TRANSFORM)

    assert deleted.status == 204
    assert deleted.data == b""
    assert "Content-Type" not in deleted.headers
    assert_problem(call("GET", TRANSFORM), 404)
    assert_problem(call("DELETE", TRANSFORM), 404)
    assert_problem(call("GET", TRANSFORM + "/links"), 404)
    assert_problem(call("GET", TRANSFORM + "/logs/1"), 404)


def test_delete_leaves_other_instances_alone(call: Caller, airflow_api: AirflowApiServer) -> None:
    before = len(airflow_api.store)

    call("DELETE", TRANSFORM)

    assert len(airflow_api.store) == before - 1
    assert call("GET", ti_path("etl_daily", "extract", "2026-11-26T00:00:00Z")).status == 200


def test_reset_brings_deleted_and_changed_instances_back(
    call: Caller, airflow_api: AirflowApiServer
) -> None:
    call("DELETE", TRANSFORM)
    call("PATCH", ti_path("etl_daily", "extract", "2026-11-26T00:00:00Z"), body={"state": "failed"})

    airflow_api.reset()

    assert call("GET", TRANSFORM).json()["state"] == "failed"
    extract = call("GET", ti_path("etl_daily", "extract", "2026-11-26T00:00:00Z")).json()
    assert extract["state"] == "success"


@pytest.mark.parametrize(
    "path",
    [
        "/dags/etl_daily/unknown",
        "/dags/etl_daily/taskInstances/transform",
        TRANSFORM + "/unknown",
        TRANSFORM + "/logs",
        TRANSFORM + "/logs/1/more",
        "/dags/etl_daily/dagRuns/x/y",
        "/dags//taskInstances/transform/2026-11-26T00:00:00Z",
    ],
)
def test_unknown_paths_are_not_found_problems(call: Caller, path: str) -> None:
    assert_problem(call("GET", path), 404)


def test_paths_outside_the_api_are_not_found_even_without_credentials(
    airflow_api: AirflowApiServer,
) -> None:
    caller = Caller(airflow_api.url.replace("/api/v1", ""))
    try:
        assert_problem(caller("GET", "/health", auth=None), 404)
        assert_problem(caller("GET", "/api/v2" + TRANSFORM, auth=None), 404)
    finally:
        caller.close()


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", TRANSFORM, "GET, PATCH, DELETE"),
        ("PUT", TRANSFORM, "GET, PATCH, DELETE"),
        ("DELETE", TRANSFORM + "/links", "GET"),
        ("PATCH", TRANSFORM + "/logs/1", "GET"),
        ("OPTIONS", TRANSFORM + "/logs/1", "GET"),
    ],
)
def test_wrong_methods_are_method_not_allowed_problems(
    call: Caller, method: str, path: str, allowed: str
) -> None:
    reply = call(method, path)

    assert_problem(reply, 405)
    assert reply.headers["Allow"] == allowed


def test_head_gets_the_405_status_without_a_body(call: Caller) -> None:
    reply = call("HEAD", TRANSFORM)

    assert reply.status == 405
    assert reply.data == b""


def test_a_method_http_does_not_know_is_a_problem_too(call: Caller) -> None:
    assert_problem(call("BREW", TRANSFORM), 501)
