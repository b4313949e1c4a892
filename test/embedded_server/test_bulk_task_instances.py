"""bulkTaskInstances on the embedded server: what the server answers (plain HTTP), and what the
SDK makes of it (the spec's dialect): chunks of at most 100, each task instance's own result, a
failure never returned as a success, nothing sent when the body is wrong."""

from __future__ import annotations

from typing import Any, Iterable, Optional

import pytest
from embedded_server.http_calls import VIEWER, Caller

from airflow_python_sdk import BulkChangeException, NotFoundException, ServiceException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.exceptions import ApiValueError
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing import AirflowApiServer

DAG = "wide"
DATE = "2026-11-26T00:00:00+00:00"
RUN = "scheduled__2026-11-26T00:00:00+00:00"
PATH = f"/dags/{DAG}/dagRuns/{RUN}/taskInstances"


def tasks(count: int, start: int = 0) -> list[str]:
    return [f"t{number:04d}" for number in range(start, start + count)]


def seed_run(server: AirflowApiServer, count: int, state: str = "failed") -> None:
    seed = [{"dag_id": DAG, "task_id": task_id, "execution_date": DATE, "state": state}
            for task_id in tasks(count)]
    seed += [{"dag_id": DAG, "task_id": "mapped", "execution_date": DATE, "map_index": index,
              "state": state} for index in range(3)]
    server.load(seed)


def body(names: Iterable[Any], state: str = "success") -> BulkBodyBulkTaskInstanceBody:
    entities = []
    for name in names:
        task_id, map_index = (name, -1) if isinstance(name, str) else name
        entities.append(BulkTaskInstanceBody(task_id=task_id, map_index=map_index,
                                             new_state=TaskState(state)))
    return BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=entities)])


def raw(entities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"actions": [{"action": "update", "entities": entities}]}


def results(found: Any) -> dict[tuple[str, int], tuple[str, Optional[int]]]:
    return {(item.task_id, item.map_index): (item.result.value, item.status)
            for item in found.task_instances}


def key_of(server: AirflowApiServer, task_id: str, map_index: int = -1) -> Any:
    stored = server.store.keys()  # a sorted list, not a dict's view
    return next(key for key in stored if (key.task_id, key.map_index) == (task_id, map_index))


def state_of(server: AirflowApiServer, task_id: str, map_index: int = -1) -> Any:
    record = server.store.get(key_of(server, task_id, map_index))
    assert record is not None
    return record.fields["state"]


# -- the server ------------------------------------------------------------------------------------

def test_the_server_settles_each_task_instance_and_answers_each_result(
        airflow_api: AirflowApiServer, call: Caller) -> None:
    seed_run(airflow_api, 3)
    airflow_api.store.update(key_of(airflow_api, "t0001"), {"state": "success"})

    reply = call("PATCH", PATH, body=raw([
        {"task_id": "t0000", "new_state": "success"},
        {"task_id": "t0001", "map_index": -1, "new_state": "success"},
        {"task_id": "mapped", "map_index": 2, "new_state": "skipped"},
        {"task_id": "nope", "map_index": None, "new_state": "success"}]))

    assert reply.status == 200
    assert reply.json() == {"dag_id": DAG, "dag_run_id": RUN, "task_instances": [
        {"task_id": "t0000", "map_index": -1, "new_state": "success", "result": "changed",
         "status": None, "error": None},
        {"task_id": "t0001", "map_index": -1, "new_state": "success", "result": "unchanged",
         "status": None, "error": None},
        {"task_id": "mapped", "map_index": 2, "new_state": "skipped", "result": "changed",
         "status": None, "error": None},
        {"task_id": "nope", "map_index": -1, "new_state": "success", "result": "failed",
         "status": 404, "error": f"Task instance 'nope' of DAG run {RUN!r} does not exist."}]}
    assert [state_of(airflow_api, "t0000"), state_of(airflow_api, "mapped", 2),
            state_of(airflow_api, "mapped", 1)] == ["success", "skipped", "failed"]


@pytest.mark.parametrize("document, detail", [
    (raw([{"task_id": "t0000", "new_state": "running"}]), "new_state 'running' is not one of"),
    (raw([{"task_id": "t0000", "new_state": "success", "note": "x"}]), "'note' is not a field"),
    (raw([{"task_id": "t0000", "new_state": "success"}] * 2), "named twice"),
    (raw([{"task_id": t, "new_state": "success"} for t in tasks(101)]), "at most 100"),
    ({"actions": [{"action": "delete", "entities": []}]}, "is not 'update'"),
    ({"actions": [], "dry_run": True}, "must be a BulkBodyBulkTaskInstanceBody"),
], ids=["a state it refuses", "an unknown field", "named twice", "101", "delete", "dry_run"])
def test_the_server_refuses_a_wrong_body_whole_and_changes_nothing(
        airflow_api: AirflowApiServer, call: Caller, document: Any, detail: str) -> None:
    seed_run(airflow_api, 101)

    reply = call("PATCH", PATH, body=document)

    assert reply.status == 400, reply.json()
    assert detail in reply.json()["detail"]
    assert {state_of(airflow_api, task_id) for task_id in tasks(101)} == {"failed"}


def test_the_server_answers_404_for_a_run_it_does_not_have_and_403_for_a_reader(
        airflow_api: AirflowApiServer, call: Caller) -> None:
    seed_run(airflow_api, 1)
    document = raw([{"task_id": "t0000", "new_state": "success"}])

    missing = call("PATCH", f"/dags/{DAG}/dagRuns/no_such_run/taskInstances", body=document)
    reader = call("PATCH", PATH, body=document, auth=VIEWER)

    assert (missing.status, missing.json()["title"]) == (404, "DAGRun not found")
    assert reader.status == 403
    assert state_of(airflow_api, "t0000") == "failed"


# -- the SDK on it ---------------------------------------------------------------------------------

def test_a_thousand_task_instances_in_ten_requests_each_with_its_result(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    seed_run(airflow_api, 1000)
    names: list[Any] = [*tasks(1000), ("mapped", 0), ("mapped", 1)]

    answer = airflow_client.bulk_task_instances(DAG, RUN, body(names))

    assert [(item.task_id, item.map_index) for item in answer.task_instances] == [
        (name, -1) if isinstance(name, str) else name for name in names]
    assert {item.result.value for item in answer.task_instances} == {"changed"}
    assert all(item.status is None and item.error is None for item in answer.task_instances)
    assert {state_of(airflow_api, task_id) for task_id in tasks(1000)} == {"success"}
    assert state_of(airflow_api, "mapped", 2) == "failed"
    sent = airflow_api.request_log.entries()
    assert [(entry.method, entry.path) for entry in sent] == [("PATCH", "/api/v1" + PATH.replace(
        "+", "%2B").replace(":", "%3A"))] * 11


def test_a_missing_task_instance_is_not_a_success_though_the_others_changed(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    seed_run(airflow_api, 150)

    with pytest.raises(BulkChangeException) as raised:
        airflow_client.bulk_task_instances(DAG, RUN, body([*tasks(150), ("t0007", 3)]))

    error = raised.value
    assert error.cause is None and error.status == 200
    found = results(error.result)
    assert found.pop(("t0007", 3)) == ("failed", 404)
    assert set(found.values()) == {("changed", None)}
    assert {state_of(airflow_api, task_id) for task_id in tasks(150)} == {"success"}
    assert str(error).startswith(
        f"PATCH {airflow_api.url}/dags/{DAG}/dagRuns/scheduled__2026-11-26T00%3A00%3A00%2B00%3A00"
        f"/taskInstances: bulk_task_instances: 150 of 151 task instances of run {RUN!r} of DAG "
        "'wide' done (150 changed, 0 had the new state already); 1 failed, not changed: "
        f"t0007[3] (Task instance 't0007' (map index 3) of DAG run {RUN!r} does not exist.)")


def test_a_first_chunk_that_fails_may_have_changed_and_the_others_are_not_sent(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    seed_run(airflow_api, 250)
    airflow_api.faults.fail_next(1, status=503, retry_after=None)

    with pytest.raises(BulkChangeException) as raised:
        airflow_client.bulk_task_instances(DAG, RUN, body(tasks(250)), _retries=0)

    error = raised.value
    assert isinstance(error.cause, ServiceException) and error.status == 503
    found = [results(error.result)[(name, -1)] for name in tasks(250)]
    assert found == [("unknown", 503)] * 100 + [("not_attempted", None)] * 150
    assert error.not_done[0].error.startswith(
        "the request holding it failed, and may have changed it: 503 Service Unavailable")
    assert error.not_done[100].error.startswith(
        "not sent: an earlier request of this change failed (503 Service Unavailable")
    assert {state_of(airflow_api, task_id) for task_id in tasks(250)} == {"failed"}
    assert len(airflow_api.request_log) == 1


def test_a_run_the_server_does_not_have_fails_the_first_chunk_and_sends_no_other(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    seed_run(airflow_api, 150)

    with pytest.raises(BulkChangeException) as raised:
        airflow_client.bulk_task_instances(DAG, "no_such_run", body(tasks(150)))

    error = raised.value
    assert isinstance(error.cause, NotFoundException) and error.status == 404
    found = [results(error.result)[(name, -1)][0] for name in tasks(150)]
    assert found == ["failed"] * 100 + ["not_attempted"] * 50
    assert "DAGRun with DAG ID 'wide' and DagRun ID 'no_such_run' not found" in str(error)
    assert len(airflow_api.request_log) == 1


@pytest.mark.parametrize("build, detail", [
    (lambda: body(["a", "b"], state="running"),
     r"entities\[0\]\.new_state`: 'running'; a server sets a task instance to success, failed"),
    (lambda: body(["a", "a"]), r"task instance 'a' is named twice"),
    (lambda: body([]), "no task instance is named; nothing was sent"),
    (lambda: {"actions": [{"action": "update", "entities": [
        {"task_id": "a", "map_index": -2, "new_state": "success"}]}]}, r"map_index`: -2"),
])
def test_a_wrong_body_is_refused_before_anything_is_sent(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi, build: Any,
        detail: str) -> None:
    with pytest.raises(ApiValueError, match=detail):
        airflow_client.bulk_task_instances(DAG, RUN, build())
    assert len(airflow_api.request_log) == 0


def test_every_run_and_dag_is_refused_before_anything_is_sent(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    for dag_id, run_id in (("~", RUN), (DAG, "~")):
        with pytest.raises(ApiValueError, match="`~` means every"):
            airflow_client.bulk_task_instances(dag_id, run_id, body(["a"]))
    assert len(airflow_api.request_log) == 0


def test_the_call_variants_answer_as_for_every_operation(
        airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi) -> None:
    seed_run(airflow_api, 3)

    data, status, headers = airflow_client.with_http_info.bulk_task_instances(
        DAG, RUN, body(tasks(2)))
    background = airflow_client.in_background.bulk_task_instances(DAG, RUN, body(tasks(3)))
    unread = airflow_client.without_preload_content.bulk_task_instances(
        DAG, RUN, body([("mapped", 0)]))

    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [item.result.value for item in data.task_instances] == ["changed", "changed"]
    assert [item.result.value for item in background.get(timeout=10).task_instances] == [
        "unchanged", "unchanged", "changed"]
    assert unread.status == 200 and b'"result": "changed"' in unread.data
