"""The DAG and DAG run operations on Airflow 3, against Airflow 3.3.2's recorded answers (the
DAGs sdk_dag_ops and sdk_dag_ops_spare, integration/real_airflow/dags/), over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from dialects.recorded_answers import (
    DAG_OPS_DAG_ID,
    DAG_OPS_DATE,
    DAG_OPS_RUN,
    DAG_OPS_SPARE_DATE,
    document,
    recorded,
    token_reply,
)
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import (
    ApiClient,
    ApiValueError,
    ConflictException,
    NotFoundException,
    UnprocessableEntityException,
)
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.dialects import UnsupportedOperationException
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.dag_state import DagState

API = "/api/v2"
DAG_ID, RUN, DATE, SPARE_DATE = DAG_OPS_DAG_ID, DAG_OPS_RUN, DAG_OPS_DATE, DAG_OPS_SPARE_DATE
RUN_PATH = f"{API}/dags/{DAG_ID}/dagRuns/{RUN}"


@pytest.fixture
def client(make_client: Callable[..., ApiClient]) -> ApiClient:
    return make_client("airflow3", API, retries=0)


def api_requests(server: RecordingServer) -> list[tuple[str, str, str]]:
    """The requests after the token's."""
    return [(r.method, r.path, r.query) for r in server.requests if r.path != "/auth/token"]


# -- DAGs ----------------------------------------------------------------------------------------

def test_the_list_sends_exclude_stale_for_only_active(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dags_pattern.json"))

    page = DAGApi(client).get_dags(dag_id_pattern="~", only_active=False, paused=True,
                                   order_by="-last_parsed_time")

    assert api_requests(server) == [("GET", f"{API}/dags",
                                     "order_by=-last_parsed_time&exclude_stale=false&paused=true"
                                     "&dag_id_pattern=~&limit=100")]
    assert [(d.dag_id, d.is_paused) for d in page.dags] == [
        ("sdk_dag_ops", True), ("sdk_dag_ops_spare", True)]


def test_a_dag_in_the_spec_names(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dag.json"))

    dag = DAGApi(client).get_dag(DAG_ID)

    assert (dag.dag_id, dag.is_paused, dag.owners) == (DAG_ID, True, ["airflow"])
    assert dag.is_active is True  # Airflow 3's is_stale is false
    assert dag.schedule_interval is None  # its timetable_summary: triggered only
    assert [(tag.name, tag["dag_id"]) for tag in dag.tags] == [
        ("sdk-dag-ops", DAG_ID), ("sdk-integration", DAG_ID)]
    assert dag["is_stale"] is False and dag["timetable_summary"] is None


def test_a_missing_dag(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_err_404_dag.json", 404))

    with pytest.raises(NotFoundException) as caught:
        DAGApi(client).get_dag("no_such_dag")

    assert "DAG 'no_such_dag' not found: The Dag with ID: `no_such_dag` was not found" in str(
        caught.value)


def test_pausing_one_dag(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dag_pause.json"))

    paused = DAGApi(client).update_dag("sdk_dag_ops_spare", DAG(is_paused=True),
                                       update_mask=["is_paused"])

    request = server.last
    assert (request.method, request.path, request.query) == (
        "PATCH", f"{API}/dags/sdk_dag_ops_spare", "update_mask=is_paused")
    assert request.json() == {"is_paused": True}
    assert paused.is_paused is True


def test_bulk_pause_lists_the_dags_then_changes_them_in_one_request(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dags_after_unpause.json"),
                  recorded("v3_dagops_dags_patch_pause.json"))

    changed = DAGApi(client).update_dags(DAG(is_paused=True), "sdk_dag_ops", paused=False,
                                         only_active=True)

    assert api_requests(server) == [
        ("GET", f"{API}/dags", "dag_id_pattern=sdk_dag_ops&exclude_stale=true&paused=false"
                               "&order_by=dag_id&limit=100&offset=0"),
        ("PATCH", f"{API}/dags", "dag_id_pattern=sdk_dag_ops&exclude_stale=true&paused=false"
                                 "&update_mask=is_paused&limit=1"),
    ]
    assert server.last.json() == {"is_paused": True}
    assert [(d.dag_id, d.is_paused, d.is_active) for d in changed.dags] == [
        ("sdk_dag_ops", True, True), ("sdk_dag_ops_spare", True, True)]
    assert changed.total_entries == 2


def test_bulk_pause_matching_nothing_sends_only_the_list(server, client) -> None:
    server.answer(token_reply(), Reply.json({"dags": [], "total_entries": 0}))

    changed = DAGApi(client).update_dags(DAG(is_paused=True), "nothing_matches")

    assert [method for method, _, _ in api_requests(server)] == ["GET"]
    assert (changed.dags, changed.total_entries) == ([], 0)


# -- DAG runs --------------------------------------------------------------------------------------

def test_a_trigger_sends_logical_date(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_trigger.json"))

    run = DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(
        dag_run_id=RUN, execution_date=DATE, conf={"rows": 3, "mode": "full"},
        note="triggered by the SDK"))

    request = server.last
    assert (request.method, request.path) == ("POST", f"{API}/dags/{DAG_ID}/dagRuns")
    assert request.json() == {"dag_run_id": RUN, "logical_date": "2026-11-28T00:00:00+00:00",
                              "conf": {"rows": 3, "mode": "full"},
                              "note": "triggered by the SDK"}
    assert (run.dag_run_id, run.state, run.execution_date) == (RUN, DagState.QUEUED, DATE)
    # Airflow 3 has no external_trigger: a manual run was triggered.
    assert (run.conf, run.note, run.external_trigger, run.run_type) == (
        {"rows": 3, "mode": "full"}, "triggered by the SDK", True, "manual")
    assert run["triggered_by"] == "rest_api"


def test_a_trigger_without_a_date_sends_the_current_time_as_airflow_3_requires(server,
                                                                              client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_trigger.json"),
                  recorded("v3_dagops_trigger.json"))
    before = dt.datetime.now(dt.timezone.utc)

    DAGRunApi(client).trigger_dag_run(DAG_ID, {})
    sent_now = dt.datetime.fromisoformat(server.last.json()["logical_date"])
    DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(execution_date=None))

    assert before <= sent_now <= dt.datetime.now(dt.timezone.utc)
    # None on purpose: Airflow 3's run without a logical date.
    assert server.last.json() == {"logical_date": None}


def test_a_validation_error_of_airflow_3_reads_as_one_line(server, client) -> None:
    # Airflow 3's answer to a body without the date key (which the SDK never sends).
    server.answer(token_reply(), recorded("v3_dagops_err_422_trigger_without_logical_date.json",
                                          422))

    with pytest.raises(UnprocessableEntityException) as caught:
        DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(dag_run_id="x"))

    assert "logical_date" in server.last.json()
    assert "body.logical_date: Field required" in str(caught.value)


def test_a_trigger_of_a_run_that_exists_is_a_conflict(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_err_409_trigger_again.json", 409))

    with pytest.raises(ConflictException) as caught:
        DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN, execution_date=DATE))

    assert "DAG 'sdk_dag_ops' already has a run with this dag_run_id or execution date" in str(
        caught.value)


def test_marking_a_run_sends_state_and_note_in_one_patch(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dagrun_note.json"))

    run = DAGRunApi(client).update_dag_run(DAG_ID, RUN, DAGRun(state=DagState.SUCCESS,
                                                               note="marked by the SDK"))

    request = server.last
    assert (request.method, request.path, request.query) == (
        "PATCH", RUN_PATH, "update_mask=state&update_mask=note")
    assert request.json() == {"state": "success", "note": "marked by the SDK"}
    assert (run.state, run.note) == (DagState.SUCCESS, "marked by the SDK")


def test_a_note_alone_is_cleared_with_null(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dagrun_mark_success.json"))

    DAGRunApi(client).update_dag_run(DAG_ID, RUN, DAGRun(note=None), update_mask=["note"])

    assert (server.last.query, server.last.json()) == ("update_mask=note", {"note": None})


def test_clearing_a_run_is_a_dry_run_unless_said_otherwise(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dagrun_clear_dry_run.json"))

    listed = DAGRunApi(client).clear_dag_run(DAG_ID, RUN, ClearDagRun())

    assert [(r.method, r.path, r.json()) for r in server.requests[1:]] == [
        ("POST", f"{RUN_PATH}/clear", {"dry_run": True})]
    # Airflow 3 sends whole task instances: references, with the state they are in.
    assert [(ref.task_id, ref.map_index, ref["state"]) for ref in listed.task_instances] == [
        ("prepare", -1, "skipped"), ("publish", -1, "skipped")]
    assert {ref.execution_date for ref in listed.task_instances} == {DATE}


def test_a_real_clear_answers_what_the_dry_run_listed_without_their_old_state(server,
                                                                            client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dagrun_clear_dry_run.json"),
                  recorded("v3_dagops_dagrun_clear.json"))

    cleared = DAGRunApi(client).clear_dag_run(DAG_ID, RUN, {"dry_run": False})

    assert [r.json() for r in server.requests[1:]] == [{"dry_run": True}, {"dry_run": False}]
    assert [ref.task_id for ref in cleared.task_instances] == ["prepare", "publish"]
    assert all("state" not in ref.to_dict() for ref in cleared.task_instances)


def test_a_clear_body_with_other_fields_is_refused_before_sending(server, client) -> None:
    with pytest.raises(ApiValueError) as caught:
        DAGRunApi(client).clear_dag_run(DAG_ID, RUN, {"dry_run": True, "only_failed": True})
    assert "ClearDagRun has dry_run alone" in str(caught.value)
    assert api_requests(server) == []


def test_deleting_a_run_and_a_missing_one(server, client) -> None:
    server.answer(token_reply(), Reply.no_content(),
                  recorded("v3_dagops_err_404_delete_again.json", 404))

    assert DAGRunApi(client).delete_dag_run(DAG_ID, RUN) is None
    with pytest.raises(NotFoundException) as caught:
        DAGRunApi(client).delete_dag_run(DAG_ID, RUN)

    assert api_requests(server) == [("DELETE", RUN_PATH, "")] * 2
    assert "was not found" in str(caught.value)


# -- what the official 2.x client's scripts pass -----------------------------------------------

def test_a_projection_of_the_runs_is_made_by_the_sdk(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_dagruns.json"))

    page = DAGRunApi(client).get_dag_runs(DAG_ID, fields=["dag_run_id", "state",
                                                          "execution_date"])

    assert server.last.query == "limit=100"  # Airflow 3's list has no `fields`
    assert [run.to_dict() for run in page.dag_runs] == [
        {"dag_run_id": RUN, "state": DagState.QUEUED, "execution_date": DATE}]
    assert page.total_entries == 1


def spare_run_lookup() -> Reply:
    """The list of runs that finds the spare run of its date (the run lookup's answer)."""
    return Reply.json({"dag_runs": [document("v3_dagops_spare_run_done.json")],
                       "total_entries": 1})


def test_tries_are_paged_and_ordered_by_the_sdk(server, client) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_tries.json"))

    newest = TaskInstanceApi(client).get_task_instance_tries(
        "sdk_family", "flaky", "2026-11-27T00:00:00+00:00", order_by="-try_number", limit=1)

    assert server.last.path.endswith("/taskInstances/flaky/tries")
    assert server.last.query == ""
    assert ([t.try_number for t in newest.task_instances], newest.total_entries) == ([2], 2)


def test_a_try_order_the_sdk_cannot_apply_is_refused_before_sending(server, client) -> None:
    with pytest.raises(ApiValueError) as caught:
        TaskInstanceApi(client).get_task_instance_tries(
            "sdk_family", "flaky", "2026-11-27T00:00:00+00:00", order_by="hostname")
    assert "tries are ordered by try_number, start_date" in str(caught.value)
    assert api_requests(server) == []


def test_xcom_entries_by_key(server, client) -> None:
    server.answer(token_reply(), spare_run_lookup(), recorded("v3_dagops_xcom_by_key.json"))

    entries = XComApi(client).get_x_com_values("sdk_dag_ops_spare", "publish", SPARE_DATE,
                                               xcom_key="return_value")

    assert server.last.query == "limit=100&xcom_key=return_value"
    assert [(e.key, e.task_id) for e in entries.xcom] == [("return_value", "publish")]


def test_task_instances_by_when_they_changed(server, client) -> None:
    server.answer(token_reply(), recorded("v3_dagops_tis_updated_since.json"),
                  recorded("v3_dagops_tis_updated_since.json"))
    pools = PoolApi(client)

    page = pools.get_task_instances("sdk_dag_ops_spare",
                                    updated_at_lte="2026-12-31T00:00:00+00:00")
    pools.get_task_instances("sdk_dag_ops_spare", task_id=["publish"],
                             updated_at_lte="2026-12-31T00:00:00+00:00")

    assert server.last.query == ("limit=100&updated_at_lte=2026-12-31T00%3A00%3A00%2B00%3A00"
                                 "&task_id=publish")
    assert sorted(ti.task_id for ti in page.task_instances) == ["prepare", "publish"]
    # Several task ids go in the batch POST, which has no updated_at filter.
    with pytest.raises(UnsupportedOperationException):
        pools.get_task_instances("sdk_dag_ops_spare", task_id=["prepare", "publish"],
                                 updated_at_lte="2026-12-31T00:00:00+00:00")
    assert len(api_requests(server)) == 2
