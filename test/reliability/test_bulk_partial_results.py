"""A bulk change is never reported as a success unless every task instance is done, whatever the
server answers: 200s holding failures, answers that leave task instances out or invent results,
a chunk whose answer breaks off half way, a server that never answers or is gone. Every call
ends in bounded time, with each task instance's own result."""

from __future__ import annotations

import json
from typing import Any, Optional

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import fast_retry
from reliability.raw_server import RawConnection, RawServer
from support.airflow3_bulk import Airflow3BulkRun
from support.bounded_call import call_bounded
from support.recording_server import RecordedRequest, Reply

import airflow_python_sdk
from airflow_python_sdk import ApiClient, BulkChangeException, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState

DAG = "etl_daily"
RUN = "manual_1"
BOUND_S = 20.0


def names(count: int) -> list[str]:
    return [f"t{number:03d}" for number in range(count)]


def body(tasks: list[str]) -> BulkBodyBulkTaskInstanceBody:
    return BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=[
            BulkTaskInstanceBody(task_id=task, map_index=-1, new_state=TaskState("success"))
            for task in tasks])])


def sent_tasks(request: RecordedRequest) -> list[str]:
    (action,) = request.json()["actions"]
    return [entity["task_id"] for entity in action["entities"]]


def result(task: str, value: Any, **fields: Any) -> dict[str, Any]:
    return {"task_id": task, "map_index": -1, "new_state": "success", "result": value, **fields}


def answer(results: list[dict[str, Any]]) -> Reply:
    return Reply.json({"dag_id": DAG, "dag_run_id": RUN, "task_instances": results})


def outcome(error: BaseException) -> list[tuple[str, Optional[str]]]:
    assert isinstance(error, BulkChangeException), repr(error)
    return [(item.task_id, str(getattr(item.result, "value", item.result)))
            for item in error.result.task_instances]


def change(api: TaskInstanceApi, tasks: list[str]) -> Any:
    return call_bounded(lambda: api.bulk_task_instances(DAG, RUN, body(tasks)), BOUND_S)


# -- 200 answers that hold failures --------------------------------------------------------------

def test_a_200_with_a_failure_among_successes_is_raised_with_every_result(server, api_for):
    server.handler = lambda request: answer(
        [result(task, "failed", status=409, error="it is running") if task == "t001"
         else result(task, "changed") for task in sent_tasks(request)])

    done = change(api_for(server.url), names(3))

    assert outcome(done.error) == [("t000", "changed"), ("t001", "failed"), ("t002", "changed")]
    assert "1 failed, not changed: t001 (it is running)" in str(done.error)
    assert done.error.status == 200 and done.error.cause is None


def test_a_task_instance_the_answer_leaves_out_may_have_changed_and_stops_the_change(
        server, api_for):
    # The first chunk's answer says nothing of t050: no later chunk is sent to such a server.
    server.handler = lambda request: answer(
        [result(task, "changed") for task in sent_tasks(request) if task != "t050"])

    done = change(api_for(server.url), names(250))

    found = dict(outcome(done.error))
    assert found["t050"] == "unknown"
    assert [found[task] for task in names(250)].count("changed") == 99
    assert {found[task] for task in names(250)[100:]} == {"not_attempted"}
    assert len(server.requests) == 1
    item = done.error.not_done[0]
    assert item.error == "the answer does not say what became of it (it may have changed)"


def test_results_of_task_instances_not_sent_are_ignored_and_a_new_result_is_not_done(
        server, api_for):
    server.handler = lambda request: answer(
        [result("intruder", "changed"), result("t000", "changed"), result("t000", "failed"),
         result("t001", "postponed", status=202, error="later"),
         {"task_id": ["t002"], "result": "changed"}, "not an object",
         result("t002", "changed")])

    done = change(api_for(server.url), names(3))

    assert outcome(done.error) == [("t000", "changed"), ("t001", "postponed"),
                                   ("t002", "changed")]
    assert "1 'postponed': t001 (later)" in str(done.error)


def test_results_of_the_wrong_types_are_unknown_not_a_crash(server, api_for):
    server.handler = lambda request: answer(
        [result("t000", 5), result("t001", "failed", status="500", error=["x"]),
         result("t002", None)])

    done = change(api_for(server.url), names(3))

    assert outcome(done.error) == [("t000", "unknown"), ("t001", "failed"), ("t002", "unknown")]
    failed = done.error.not_done[1]
    assert (failed.status, failed.error) == (None, "the server gave no reason")


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["changed", "unchanged", "failed", "unknown", "not_attempted",
                                 "postponed", None]), min_size=1, max_size=230))
def test_the_call_returns_only_when_the_server_said_every_one_is_done(server, api_for,
                                                                       answered):
    # `answered[i]` is what the server says of task instance i (None: nothing).
    tasks = names(len(answered))
    said = dict(zip(tasks, answered))
    sent: list[list[str]] = []

    def handler(request: RecordedRequest) -> Reply:
        sent.append(sent_tasks(request))
        return answer([result(task, said[task]) for task in sent[-1] if said[task] is not None])

    server.handler = handler

    done = change(api_for(server.url), tasks)

    chunks = [answered[start:start + 100] for start in range(0, len(answered), 100)]
    if all(value in ("changed", "unchanged") for value in answered):
        assert done.error is None
        assert [item.result.value for item in done.result.task_instances] == answered
        assert len(sent) == len(chunks)
        return
    expected: list[Optional[str]] = []
    requests, stopped = 0, False
    for chunk in chunks:
        if stopped:  # a chunk whose answer left one out or said "unknown" ends the change
            expected += ["not_attempted"] * len(chunk)
            continue
        requests += 1
        expected += ["unknown" if value is None else value for value in chunk]
        stopped = "unknown" in expected
    assert [value for _, value in outcome(done.error)] == expected
    assert sent == [tasks[start:start + 100] for start in range(0, 100 * requests, 100)]


# -- requests that fail ----------------------------------------------------------------------------

def test_a_chunk_whose_answer_breaks_off_half_way_may_have_changed(api_for):
    def script(connection: RawConnection, index: int) -> None:
        while True:
            request = connection.read_request()
            if request is None:
                return
            tasks = [entity["task_id"] for entity in json.loads(
                request.partition(b"\r\n\r\n")[2])["actions"][0]["entities"]]
            document = json.dumps({"task_instances": [result(task, "changed")
                                                      for task in tasks]}).encode()
            if tasks[0] == "t100":  # the second chunk: half its answer, then the end
                connection.answer(200, document[:len(document) // 2],
                                  content_length=len(document))
                return
            connection.answer(200, document, (("Content-Type", "application/json"),))

    with RawServer(script) as raw:
        done = change(api_for(raw.url, retries=0), names(250))

    found = outcome(done.error)
    assert [value for _, value in found] == (
        ["changed"] * 100 + ["unknown"] * 100 + ["not_attempted"] * 50)
    assert isinstance(done.error.cause, airflow_python_sdk.ApiConnectionError)
    assert done.error.not_done[0].error.startswith(
        "the request holding it failed, and may have changed it:")


def test_a_chunk_the_server_never_answers_ends_with_the_read_timeout(server, api_for):
    def handler(request: RecordedRequest) -> Reply:
        tasks = sent_tasks(request)
        if tasks[0] == "t100":
            return Reply.json({}, delay_s=30.0)
        return answer([result(task, "changed") for task in tasks])

    server.handler = handler

    done = change(api_for(server.url, retries=0, timeout=(2.0, 0.5)), names(250))

    assert isinstance(done.error.cause, airflow_python_sdk.ApiTimeoutError)
    assert [value for _, value in outcome(done.error)].count("unknown") == 100
    assert done.elapsed_s < 10


def test_a_server_that_is_gone_changed_nothing(api_for):
    with RawServer(lambda connection, index: None) as raw:
        gone = raw.url
    done = change(api_for(gone, retries=0), names(150))

    assert [value for _, value in outcome(done.error)] == ["failed"] * 100 + (
        ["not_attempted"] * 50)
    assert done.error.status == 0
    assert done.error.not_done[0].status == 0


# -- Airflow 3: an answer that never lets the change progress ------------------------------------

def test_an_airflow3_that_refuses_every_one_without_naming_it_ends_within_2n_requests(server):
    run = Airflow3BulkRun(DAG, RUN, {(task, -1): "failed" for task in names(60)},
                          refusals={(task, -1): {"error": "Task id is already in success state",
                                                 "status_code": 409} for task in names(60)})
    server.handler = run
    configuration = Configuration(host=server.url + "/api/v2", username="u", password="p",
                                  dialect="airflow3")
    configuration.retries = fast_retry(0)
    configuration.timeout = (2.0, 2.0)

    with ApiClient(configuration) as client:
        done = call_bounded(lambda: TaskInstanceApi(client).bulk_task_instances(
            DAG, RUN, body(names(60))), BOUND_S)

    assert {value for _, value in outcome(done.error)} == {"failed"}
    assert len(run.bulk_requests) < 2 * 60
    assert run.list_requests < 2 * 60
