"""The dialects' mapping of recorded real answers, over MockTransport: no server, no socket.

The loopback tests next to this file prove the same dialects over HTTP; these pin down the
mapping itself, one recorded answer at a time.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, RECORDED, RUN_ID, TOKEN

from airflow_python_sdk import ApiClient, Configuration, ConflictException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing import MockTransport, json_response
from airflow_python_sdk.transport import Request, Response

UTC = dt.timezone.utc


def recorded(name: str, status: int = 200) -> Response:
    return Response(status, {"Content-Type": "application/json"},
                    (RECORDED / name).read_bytes())


def api_over(dialect: str, routes: dict[tuple[str, str], list[Response]],
             ) -> tuple[TaskInstanceApi, MockTransport]:
    """A client of `dialect` whose transport answers (method, path suffix) from `routes`, each
    answer once, in order."""

    def handler(request: Request) -> Response:
        for (method, suffix), answers in routes.items():
            if request.method == method and request.display_url.endswith(suffix) and answers:
                return answers.pop(0)
        raise AssertionError(f"unexpected {request.method} {request.display_url}")

    transport = MockTransport(handler)
    host = "http://airflow.test" + ("/api/v1" if dialect == "airflow2" else "/api/v2")
    config = Configuration(host=host, username="admin", password="secret", dialect=dialect)
    return TaskInstanceApi(ApiClient(config, transport=transport)), transport


def test_airflow2_task_instance_is_mapped_to_the_spec_model():
    api, transport = api_over("airflow2", {
        ("GET", "/dagRuns"): [recorded("v2_dagruns_by_date.json")],
        ("GET", "/taskInstances/echo_ok"): [recorded("v2_ti_echo_ok.json")],
    })

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert isinstance(ti, TaskInstance)
    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=UTC)
    assert ti.dag_run_id == RUN_ID  # kept as an unknown field
    assert [r.method for r in transport.requests] == ["GET", "GET"]


def test_airflow3_logical_date_fills_execution_date_and_the_token_is_sent():
    api, transport = api_over("airflow3", {
        ("POST", "/auth/token"): [json_response({"access_token": TOKEN}, status=201)],
        ("GET", "/dagRuns"): [recorded("v3_dagruns_by_date.json")],
        ("GET", "/taskInstances/echo_ok"): [recorded("v3_ti_echo_ok.json")],
    })

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=UTC)
    assert transport.requests[0].json() == {"username": "admin", "password": "secret"}
    assert transport.requests[-1].headers["Authorization"] == f"Bearer {TOKEN}"


def test_airflow2_state_change_reads_the_task_instance_back():
    after = json.loads((RECORDED / "v2_ti_echo_ok.json").read_bytes())
    after["state"] = "failed"
    api, transport = api_over("airflow2", {
        ("GET", "/dagRuns"): [recorded("v2_dagruns_by_date.json")],
        ("PATCH", "/taskInstances/echo_ok"): [json_response({})],
        ("GET", "/taskInstances/echo_ok"): [json_response(after)],
    })

    ti = api.update_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE,
                                  TaskInstance(state=TaskState("failed")), update_mask=["state"])

    assert ti.state == TaskState("failed")
    patch = transport.requests[1]
    assert patch.json() == {"dry_run": False, "new_state": "failed"}
    assert [r.method for r in transport.requests] == ["GET", "PATCH", "GET"]


def test_airflow3_same_state_again_is_success_once_read_back():
    ti = json.loads((RECORDED / "v3_ti_echo_ok.json").read_bytes())
    conflict = Response(409, {"Content-Type": "application/json"},
                        (RECORDED / "v3_patch_same_again.json").read_bytes())
    api, transport = api_over("airflow3", {
        ("POST", "/auth/token"): [json_response({"access_token": TOKEN}, status=201)],
        ("GET", "/dagRuns"): [recorded("v3_dagruns_by_date.json")],
        ("PATCH", "/taskInstances/echo_ok"): [conflict, conflict],
        ("GET", "/taskInstances/echo_ok"): [json_response(ti), json_response(
            {**ti, "state": "running"})],
    })
    wanted = TaskInstance(state=TaskState(ti["state"]))

    assert api.update_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE, wanted,
                                    update_mask=["state"]).state == TaskState(ti["state"])
    with pytest.raises(ConflictException):
        api.update_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE, wanted,
                                 update_mask=["state"])
    assert [r.method for r in transport.requests][-2:] == ["PATCH", "GET"]


def test_unread_answers_are_the_servers_own_shape_for_every_dialect():
    api, _ = api_over("airflow3", {
        ("POST", "/auth/token"): [json_response({"access_token": TOKEN}, status=201)],
        ("GET", "/dagRuns"): [recorded("v3_dagruns_by_date.json")],
        ("GET", "/taskInstances/echo_ok"): [recorded("v3_ti_echo_ok.json")],
    })

    raw, status, _ = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE,
                                           _preload_content=False, _return_http_data_only=False)

    assert status == 200
    assert b"logical_date" in raw.read()
