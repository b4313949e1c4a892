"""Finding the run of an execution date: once per client, safely shared between threads."""

from __future__ import annotations

import datetime as dt

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, RUN_ID, document, recorded
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk import ApiValueError, NotFoundException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

RUNS_PATH = f"/api/v1/dags/{DAG_ID}/dagRuns"


def airflow2_server(request: RecordedRequest) -> Reply:
    """Answers like Airflow 2 for the recorded run, whatever the order of calls."""
    if request.path == RUNS_PATH:
        return recorded("v2_dagruns_by_date.json")
    if request.path.endswith("/echo_ok"):
        return recorded("v2_ti_echo_ok.json")
    return recorded("v2_ti_fail_task.json")


def lookups(server: RecordingServer) -> int:
    return sum(1 for request in server.requests if request.path == RUNS_PATH)


def test_the_run_is_looked_up_once_per_client(server: RecordingServer, make_api) -> None:
    server.handler = airflow2_server
    api = make_api("airflow2", "/api/v1")

    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    api.get_task_instance(DAG_ID, "fail_task", "2026-11-26T00:00:00Z")
    # The same instant in another time zone is the same run.
    api.get_task_instance(DAG_ID, "echo_ok",
                          dt.datetime(2026, 11, 26, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))))

    assert lookups(server) == 1
    assert len(server.requests) == 4


def test_each_client_asks_for_itself(server: RecordingServer, make_api) -> None:
    server.handler = airflow2_server

    make_api("airflow2", "/api/v1").get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    make_api("airflow2", "/api/v1").get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert lookups(server) == 2


def test_concurrent_calls_of_one_client_all_get_the_run(server: RecordingServer,
                                                        make_api) -> None:
    server.handler = airflow2_server
    api: TaskInstanceApi = make_api("airflow2", "/api/v1")
    api.api_client.pool_threads = 4

    pending = [api.get_task_instance(DAG_ID, task, EXECUTION_DATE, async_req=True)
               for task in ("echo_ok", "fail_task") * 4]
    results = [call.get(timeout=10) for call in pending]

    assert [ti.task_id for ti in results] == ["echo_ok", "fail_task"] * 4
    assert all(ti.dag_run_id == RUN_ID for ti in results)
    assert 1 <= lookups(server) <= 4


def test_a_run_whose_date_differs_is_never_used(server: RecordingServer, make_api) -> None:
    # A server that ignored the date filter (Airflow 3 ignores execution_date_*) answers
    # runs of other dates: none of them is the run asked for.
    server.answer(recorded("v3_dagruns_by_execution_date_outside.json"))
    api = make_api("airflow2", "/api/v1")

    with pytest.raises(NotFoundException, match="has no run with execution date 2026-11-01"):
        api.get_task_instance(DAG_ID, "echo_ok", "2026-11-01T00:00:00+00:00")
    assert len(server.requests) == 1


def test_several_runs_at_one_date_are_refused_as_ambiguous(server: RecordingServer,
                                                           make_api) -> None:
    run = document("v3_dagruns_by_date.json")["dag_runs"][0]
    twin = dict(run, dag_run_id="manual_twin")
    server.answer(Reply.json({"dag_runs": [run, twin], "total_entries": 2}))
    api = make_api("airflow3", "/api/v2", access_token="t")

    with pytest.raises(ApiValueError, match=r"several runs .*\(sched_run_1126, manual_twin\)"):
        api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    assert len(server.requests) == 1


def test_a_remembered_run_that_vanished_is_looked_up_again(server: RecordingServer,
                                                           make_api) -> None:
    api = make_api("airflow2", "/api/v1")
    made_again = dict(document("v2_dagruns_by_date.json")["dag_runs"][0],
                      dag_run_id="made_again")
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"),
                  recorded("v2_err_404_missing_run.json", status=404),
                  Reply.json({"dag_runs": [made_again], "total_entries": 1}),
                  recorded("v2_ti_echo_ok.json"))

    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    paths = [request.path for request in server.requests]
    assert paths[2] == f"{RUNS_PATH}/{RUN_ID}/taskInstances/echo_ok"
    assert paths[3:] == [RUNS_PATH, f"{RUNS_PATH}/made_again/taskInstances/echo_ok"]


def test_run_ids_and_names_are_encoded_as_single_path_segments(server: RecordingServer,
                                                               make_api) -> None:
    odd = dict(document("v2_dagruns_by_date.json")["dag_runs"][0],
               dag_run_id="manual__2026-11-26T00:00:00+00:00/x")
    server.answer(Reply.json({"dag_runs": [odd], "total_entries": 1}),
                  recorded("v2_ti_echo_ok.json"))
    api = make_api("airflow2", "/api/v1")

    api.get_task_instance("dag with space", "echo_ok", EXECUTION_DATE)

    lookup, get = server.requests
    assert lookup.path == "/api/v1/dags/dag%20with%20space/dagRuns"
    assert get.path == ("/api/v1/dags/dag%20with%20space/dagRuns/"
                        "manual__2026-11-26T00%3A00%3A00%2B00%3A00%2Fx/taskInstances/echo_ok")
