"""bulk_task_instances on Airflow 3 over loopback HTTP: against Airflow 3.3.2's recorded answers
(v3_bulk_*, the run bulk_run of sdk_bulk, integration/real_airflow/dags/) and against a server
that does what Airflow 3.3.2's bulk endpoint does (test/support/airflow3_bulk.py): a 200 that
holds errors, an action that stops at its first error, task instances skipped without a word."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Optional

import pytest
from dialects.conftest import ClientFactory
from dialects.recorded_answers import recorded, token_reply
from support.airflow3_bulk import Airflow3BulkRun
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, BulkChangeException, ServiceException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.exceptions import ApiValueError, ForbiddenException
from airflow_python_sdk.model.bulk_action import BulkAction
from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
    BulkBodyBulkTaskInstanceBody,
)
from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
from airflow_python_sdk.model.task_state import TaskState

DAG = "sdk_bulk"
RUN = "bulk_run"
API = "/api/v2"
BULK_PATH = f"{API}/dags/{DAG}/dagRuns/{RUN}/taskInstances"


def body(names: Iterable[Any], state: str = "success") -> BulkBodyBulkTaskInstanceBody:
    """A bulk change of the named task instances (a task id, or a task id and map index)."""
    entities = []
    for name in names:
        task_id, map_index = (name, -1) if isinstance(name, str) else name
        entities.append(BulkTaskInstanceBody(task_id=task_id, map_index=map_index,
                                             new_state=TaskState(state)))
    return BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=entities)])


def results(found: Any) -> dict[tuple[str, int], tuple[str, Optional[int]]]:
    return {(item.task_id, item.map_index): (item.result.value, item.status)
            for item in found.task_instances}


def wide(count: int, start: int = 0) -> list[str]:
    return [f"wide_{number:03d}" for number in range(start, start + count)]


@pytest.fixture
def client(make_client: ClientFactory) -> ApiClient:
    client = make_client("airflow3", API)
    client.configuration.retries = 0
    return client


# -- Airflow 3.3.2's own answers ------------------------------------------------------------------

def test_a_recorded_change_answers_each_task_instance_changed_in_the_order_named(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_bulk_change.json"))
    names = [*wide(5), ("mapped", 0)]

    answer = TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(names))

    request = server.last
    assert (request.method, request.path) == ("PATCH", BULK_PATH)
    assert request.json() == {"actions": [{
        "action": "update", "action_on_non_existence": "skip",
        "entities": [{"task_id": t, "map_index": m, "new_state": "success"}
                     for t, m in [(n, -1) for n in wide(5)] + [("mapped", 0)]]}]}
    assert [(item.task_id, item.map_index) for item in answer.task_instances] == [
        (n, -1) for n in wide(5)] + [("mapped", 0)]
    assert {item.result.value for item in answer.task_instances} == {"changed"}
    assert (answer.dag_id, answer.dag_run_id) == (DAG, RUN)
    assert len(server.requests) == 2  # the token and one PATCH


def test_a_recorded_409_is_read_back_and_counts_as_unchanged(
        server: RecordingServer, client: ApiClient) -> None:
    # Airflow stops at the first task instance already in its state; the SDK reads the states
    # of those it did not name, and finds them all in theirs.
    # mapped[1] is still failed: it is sent again, and changed then.
    server.answer(token_reply(), recorded("v3_bulk_already_in_state.json"),
                  recorded("v3_bulk_list_states.json"),
                  Reply.json({"update": {"success": ["sdk_bulk.bulk_run.mapped[1]"],
                                         "errors": []}}))

    answer = TaskInstanceApi(client).bulk_task_instances(
        DAG, RUN, body(["wide_000", ("mapped", 0), ("mapped", 1)]))

    assert results(answer) == {("wide_000", -1): ("unchanged", None),
                               ("mapped", 0): ("unchanged", None),
                               ("mapped", 1): ("changed", None)}
    read, again = server.requests[-2:]
    assert (read.method, read.path) == ("POST", f"{API}/dags/~/dagRuns/~/taskInstances/list")
    assert read.json() == {"dag_ids": [DAG], "dag_run_ids": [RUN],
                           "task_ids": ["mapped", "wide_000"], "page_limit": 100,
                           "page_offset": 0}
    assert again.json()["actions"][0]["entities"] == [
        {"task_id": "mapped", "map_index": 1, "new_state": "success"}]


def test_a_recorded_skip_of_a_missing_task_instance_is_its_404_and_no_success(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_bulk_missing_skipped.json"))

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(
            DAG, RUN, body(["nope", "wide_005", ("wide_006", 4)]))

    error = raised.value
    assert results(error.result) == {("nope", -1): ("failed", 404),
                                     ("wide_005", -1): ("changed", None),
                                     ("wide_006", 4): ("failed", 404)}
    assert [item.task_id for item in error.done] == ["wide_005"]
    assert [(item.task_id, item.map_index) for item in error.not_done] == [
        ("nope", -1), ("wide_006", 4)]
    assert error.cause is None and error.status == 200
    text = str(error)
    assert "1 of 3 task instances of run 'bulk_run' of DAG 'sdk_bulk' done (1 changed" in text
    assert "2 failed, not changed: nope (the run has no task instance 'nope'" in text
    assert "wide_006[4]" in text


def test_a_recorded_403_fails_every_task_instance_of_the_request_and_stops(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_bulk_err_403_reader.json", status=403))

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(150)))

    error = raised.value
    assert isinstance(error.cause, ForbiddenException) and error.status == 403
    counted = Counter(result for result, _ in results(error.result).values())
    assert counted == {"failed": 100, "not_attempted": 50}  # the second chunk never went
    assert len(server.requests) == 2


def test_a_state_the_server_refuses_is_refused_before_anything_is_sent(
        server: RecordingServer, client: ApiClient) -> None:
    # Airflow 3.3.2 would answer 422 (v3_bulk_err_422_state.json) for the whole request.
    with pytest.raises(ApiValueError, match=r"entities\[1\]\.new_state.*'running'"):
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, BulkBodyBulkTaskInstanceBody(
            actions=[BulkUpdateAction(action=BulkAction("update"), entities=[
                BulkTaskInstanceBody(task_id="a", new_state=TaskState("success")),
                BulkTaskInstanceBody(task_id="b", new_state=TaskState("running"))])]))
    assert server.requests == []


# -- Airflow 3.3's behaviour, over many task instances ---------------------------------------------

def run_of(count: int, state: str = "failed", **options: Any) -> Airflow3BulkRun:
    return Airflow3BulkRun(DAG, RUN, {(name, -1): state for name in wide(count)}, **options)


def test_230_task_instances_go_in_three_requests_of_at_most_100(
        server: RecordingServer, client: ApiClient) -> None:
    fake = run_of(230)
    server.handler = fake

    answer = TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(230)))

    assert [len(entities) for entities in fake.bulk_requests] == [100, 100, 30]
    assert set(fake.states.values()) == {"success"}
    assert [item.task_id for item in answer.task_instances] == wide(230)
    assert {item.result.value for item in answer.task_instances} == {"changed"}
    assert fake.list_requests == 0


def test_task_instances_already_in_their_state_cost_one_read_and_one_resend_per_chunk(
        server: RecordingServer, client: ApiClient) -> None:
    fake = run_of(100)
    for name in wide(30, start=40):
        fake.states[(name, -1)] = "success"
    server.handler = fake

    answer = TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(100)))

    found = results(answer)
    assert [name for (name, _), (result, _) in found.items() if result == "unchanged"] == (
        wide(30, start=40))
    assert sum(result == "changed" for result, _ in found.values()) == 70
    assert set(fake.states.values()) == {"success"}
    # The first answer stops at an unchanged one; one read settles all 30; the rest go again.
    assert fake.list_requests == 1 and len(fake.bulk_requests) == 2


def test_a_task_the_dag_does_not_have_fails_its_task_instances_alone(
        server: RecordingServer, client: ApiClient) -> None:
    fake = run_of(20, tasks_not_in_dag={"wide_007"})
    server.handler = fake

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(20)))

    found = results(raised.value.result)
    assert found.pop(("wide_007", -1)) == ("failed", 404)
    assert {result for result, _ in found.values()} == {"changed"}
    assert fake.states[("wide_007", -1)] == "failed"
    assert "wide_007 (Task 'wide_007' not found in Dag 'sdk_bulk')" in str(raised.value)


def test_an_error_that_names_no_task_instance_is_isolated_by_halving(
        server: RecordingServer, client: ApiClient) -> None:
    # An error Airflow could answer that names nothing: the chunk is halved until the task
    # instance that stops it is alone, and every other one is changed.
    refusal = {"error": "something went wrong", "status_code": 400}
    fake = run_of(64, refusals={("wide_041", -1): refusal})
    server.handler = fake

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(64)))

    found = results(raised.value.result)
    assert found.pop(("wide_041", -1)) == ("failed", 400)
    assert {result for result, _ in found.values()} == {"changed"}
    assert raised.value.not_done[0].error == "something went wrong"
    assert len(fake.bulk_requests) <= 2 * 64


def test_a_task_instance_refused_every_time_ends_within_twice_as_many_requests(
        server: RecordingServer, client: ApiClient) -> None:
    # Every task instance is refused with an error that names none: the worst case ends.
    fake = run_of(40, refusals={(name, -1): {"error": "no", "status_code": 400}
                                for name in wide(40)})
    server.handler = fake

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(40)))

    assert {result for result, _ in results(raised.value.result).values()} == {"failed"}
    assert len(fake.bulk_requests) < 2 * 40
    assert set(fake.states.values()) == {"failed"}


def test_a_chunk_that_fails_half_way_says_what_changed_may_have_and_was_not_sent(
        server: RecordingServer, client: ApiClient) -> None:
    fake = run_of(250)
    requests = {"bulk": 0}

    def handler(request: Any) -> Reply:
        if request.method == "PATCH":
            requests["bulk"] += 1
            if requests["bulk"] == 2:
                return Reply.json({"detail": "database is locked"}, status=500)
        return fake(request)

    server.handler = handler

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(250)))

    error = raised.value
    assert isinstance(error.cause, ServiceException) and error.status == 500
    found = [results(error.result)[(name, -1)] for name in wide(250)]
    assert found[:100] == [("changed", None)] * 100
    assert found[100:200] == [("unknown", 500)] * 100
    assert found[200:] == [("not_attempted", None)] * 50
    text = str(error)
    assert "100 of 250 task instances" in text and "100 may have changed: wide_100" in text
    assert "50 not attempted: wide_200 (not sent: an earlier request of this change failed" in (
        text)
    assert requests["bulk"] == 2


@pytest.mark.parametrize("answer", [
    {"create": None, "update": None, "delete": None},
    {"update": {"success": "all of them", "errors": []}},
    {"update": {"success": ["sdk_bulk.bulk_run.somebody_else[-1]"], "errors": []}},
    {"update": {"success": ["another_dag.bulk_run.wide_000[-1]"], "errors": []}},
    ["not", "an", "object"],
], ids=["no update", "success not a list", "an unknown key", "another DAG's key", "a list"])
def test_an_answer_that_cannot_say_what_it_changed_is_unknown_and_stops(
        server: RecordingServer, client: ApiClient, answer: Any) -> None:
    server.answer(token_reply(), Reply.json(answer))

    with pytest.raises(BulkChangeException) as raised:
        TaskInstanceApi(client).bulk_task_instances(DAG, RUN, body(wide(150)))

    found = [results(raised.value.result)[(name, -1)][0] for name in wide(150)]
    assert found == ["unknown"] * 100 + ["not_attempted"] * 50
    assert len(server.requests) == 2


def test_airflow_3_0_without_the_endpoint_goes_one_task_instance_at_a_time(
        server: RecordingServer, client: ApiClient) -> None:
    sent: list[tuple[str, str, Any]] = []

    def handler(request: Any) -> Reply:
        sent.append((request.method, request.path, request.body and request.json()))
        if request.path.endswith("/auth/token"):
            return token_reply()
        if request.path == BULK_PATH:
            return Reply.json({"detail": "Method Not Allowed"}, status=405)
        if request.path.endswith("/wide_001"):
            return Reply.json({"detail": "Task instance not found"}, status=404)
        return Reply.json({"task_instances": [], "total_entries": 0})

    server.handler = handler
    api = TaskInstanceApi(client)

    with pytest.raises(BulkChangeException) as raised:
        api.bulk_task_instances(DAG, RUN, body(wide(3)))
    assert results(raised.value.result) == {("wide_000", -1): ("changed", None),
                                            ("wide_001", -1): ("failed", 404),
                                            ("wide_002", -1): ("changed", None)}
    patches = sorted((path, sent_body) for method, path, sent_body in sent
                     if method == "PATCH" and path != BULK_PATH)
    assert patches == [(f"{BULK_PATH}/{name}", {"new_state": "success"}) for name in wide(3)]
    sent.clear()
    api.bulk_task_instances(DAG, RUN, body(["wide_002"]))  # the 405 is remembered
    assert [(method, path) for method, path, _ in sent] == [("PATCH", f"{BULK_PATH}/wide_002")]


def test_an_unread_answer_is_the_servers_own_from_one_request(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_bulk_change.json"))
    api = TaskInstanceApi(client)

    raw = api.without_preload_content.bulk_task_instances(DAG, RUN, body(wide(5)))

    assert json.loads(raw.data)["update"]["success"][0] == "sdk_bulk.bulk_run.wide_000[-1]"
    with pytest.raises(ApiValueError, match="at most 100 task instances; this one names 101"):
        api.without_preload_content.bulk_task_instances(DAG, RUN, body(wide(101)))
    assert len(server.requests) == 2
