"""The DAG and DAG run operations on Airflow 2, against Airflow 2.10.5's recorded answers (the
DAGs sdk_dag_ops and sdk_dag_ops_spare, integration/real_airflow/dags/), over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from dialects.recorded_answers import (
    DAG_OPS_DAG_ID,
    DAG_OPS_DATE,
    DAG_OPS_RUN,
    DAG_OPS_SPARE_DATE,
    document,
    recorded,
)
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import (
    ApiClient,
    ApiValueError,
    ConflictException,
    NotFoundException,
    PagesChangedException,
    ServiceException,
)
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.dialects import UnsupportedOperationException
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.dag_state import DagState

API = "/api/v1"
DAG_ID, RUN, DATE, SPARE_DATE = DAG_OPS_DAG_ID, DAG_OPS_RUN, DAG_OPS_DATE, DAG_OPS_SPARE_DATE
RUN_PATH = f"{API}/dags/{DAG_ID}/dagRuns/{RUN}"


@pytest.fixture
def client(make_client: Callable[..., ApiClient]) -> ApiClient:
    return make_client("airflow2", API, retries=0)


def sent(server: RecordingServer) -> list[tuple[str, str, str]]:
    return [(r.method, r.path, r.query) for r in server.requests]


# -- DAGs ----------------------------------------------------------------------------------------

def test_the_list_sends_the_spec_filters_and_page_size(server, client) -> None:
    server.answer(recorded("v2_dagops_dags_pattern.json"))

    page = DAGApi(client).get_dags(dag_id_pattern="sdk_dag_ops", tags=["sdk-dag-ops", "x"],
                                   only_active=True, paused=True, order_by="-dag_id")

    assert sent(server) == [("GET", f"{API}/dags",
                             "order_by=-dag_id&tags=sdk-dag-ops&tags=x&only_active=true"
                             "&paused=true&dag_id_pattern=sdk_dag_ops&limit=100")]
    assert [(d.dag_id, d.is_paused, d.is_active) for d in page.dags] == [
        ("sdk_dag_ops", True, True), ("sdk_dag_ops_spare", True, True)]
    assert page.total_entries == 2
    first = page.dags[0]
    assert [tag.name for tag in first.tags] == ["sdk-integration", "sdk-dag-ops"]
    assert (first.schedule_interval, first.owners) == (None, ["airflow"])
    assert first.timetable_description == "Never, external triggers only"
    assert first["default_view"] == "grid"  # what the spec does not name is kept


def test_every_dag_pattern_is_left_out_of_airflow_2s_list(server, client) -> None:
    server.answer(recorded("v2_dagops_dags_all.json"))

    DAGApi(client).get_dags(dag_id_pattern="~")

    assert server.last.query == "limit=100"  # Airflow 2 would look for a "~" in the ids


def test_airflow_2_orders_dags_by_dag_id_alone(server, client) -> None:
    with pytest.raises(UnsupportedOperationException) as caught:
        DAGApi(client).get_dags(order_by="last_parsed_time")
    assert "orders DAGs by dag_id alone" in str(caught.value)
    assert server.requests == []


def test_one_dag_and_a_missing_one(server, client) -> None:
    server.answer(recorded("v2_dagops_dag.json"), recorded("v2_dagops_err_404_dag.json", 404))

    dag = DAGApi(client).get_dag(DAG_ID)
    with pytest.raises(NotFoundException) as caught:
        DAGApi(client).get_dag("no_such_dag")

    assert (dag.dag_id, dag.is_paused, dag.fileloc.endswith("/dags/sdk_dag_ops.py")) == (
        DAG_ID, True, True)
    assert "DAG 'no_such_dag' not found" in str(caught.value)


def test_pausing_one_dag_sends_is_paused_alone(server, client) -> None:
    server.answer(recorded("v2_dagops_dag_unpause.json"))
    dag = DAG.from_dict(document("v2_dagops_dag.json"))  # a DAG read back, every field set
    dag.is_paused = False

    unpaused = DAGApi(client).update_dag("sdk_dag_ops_spare", dag)

    request = server.last
    assert (request.method, request.path, request.query) == (
        "PATCH", f"{API}/dags/sdk_dag_ops_spare", "update_mask=is_paused")
    assert request.json() == {"is_paused": False}
    assert (unpaused.dag_id, unpaused.is_paused) == ("sdk_dag_ops_spare", False)


@pytest.mark.parametrize(("body", "mask", "detail"), [
    (DAG(), None, "set dag.is_paused"),
    ({"is_paused": "yes"}, None, "set dag.is_paused"),
    (DAG(is_paused=True), ["is_paused", "description"], "can only change a DAG's is_paused"),
])
def test_a_pause_that_asks_for_more_is_refused_before_sending(server, client, body, mask,
                                                              detail) -> None:
    with pytest.raises(ApiValueError) as caught:
        DAGApi(client).update_dag(DAG_ID, body, update_mask=mask, _check_input_type=False)
    assert detail in str(caught.value)
    assert server.requests == []


def test_bulk_pause_lists_the_dags_then_changes_them_a_page_at_a_time(server, client) -> None:
    server.answer(recorded("v2_dagops_dags_after_unpause.json"),
                  recorded("v2_dagops_dags_patch_pause.json"))

    changed = DAGApi(client).update_dags(DAG(is_paused=True), "sdk_dag_ops", tags=["sdk-dag-ops"],
                                         paused=False, update_mask=["is_paused"])

    assert sent(server) == [
        ("GET", f"{API}/dags", "dag_id_pattern=sdk_dag_ops&tags=sdk-dag-ops&paused=false"
                               "&order_by=dag_id&limit=100&offset=0"),
        # No `paused` in Airflow 2's PATCH: the DAGs already paused stay paused.
        ("PATCH", f"{API}/dags", "dag_id_pattern=sdk_dag_ops&tags=sdk-dag-ops"
                                 "&update_mask=is_paused&limit=100&offset=0"),
    ]
    assert server.last.json() == {"is_paused": True}
    assert [(d.dag_id, d.is_paused) for d in changed.dags] == [
        ("sdk_dag_ops", True), ("sdk_dag_ops_spare", True)]
    assert changed.total_entries == 2


def test_bulk_pause_of_dags_already_paused_sends_only_the_list(server, client) -> None:
    server.answer(recorded("v2_dagops_dags_patch_pause.json"))

    changed = DAGApi(client).update_dags(DAG(is_paused=True), "sdk_dag_ops", paused=True)

    assert [method for method, _, _ in sent(server)] == ["GET"]
    assert [d.dag_id for d in changed.dags] == ["sdk_dag_ops", "sdk_dag_ops_spare"]


def _dags(first: int, count: int, total: int) -> Reply:
    return Reply.json({"dags": [{"dag_id": f"d{n:03d}", "is_paused": False}
                                for n in range(first, first + count)], "total_entries": total})


def test_a_bulk_pause_that_fails_half_way_says_which_dags_it_changed(server, client) -> None:
    server.answer(_dags(0, 100, 150), _dags(100, 50, 150), _dags(0, 100, 150),
                  Reply.json({"title": "Service Unavailable", "status": 503}, status=503))

    with pytest.raises(ServiceException) as caught:
        DAGApi(client).update_dags(DAG(is_paused=True), "d")

    assert [(m, q.split("&")[-1]) for m, _, q in sent(server)] == [
        ("GET", "offset=0"), ("GET", "offset=100"), ("PATCH", "offset=0"), ("PATCH", "offset=100")]
    assert "had already paused 100 DAGs (d000, d001," in str(caught.value)


def test_a_bulk_pause_ends_when_the_servers_patch_ignores_the_offset(server, client) -> None:
    # The list is as it should be; the PATCH answers its first page again and again, with a
    # total no walk could reach: the change must end, not send a billion / 100 requests.
    server.answer(_dags(0, 100, 150), _dags(100, 50, 150),
                  *[_dags(0, 100, 10**9) for _ in range(50)])

    with pytest.raises(PagesChangedException) as caught:
        DAGApi(client).update_dags(DAG(is_paused=True), "d")

    assert [m for m, _, _ in sent(server)] == ["GET", "GET", "PATCH", "PATCH"]
    # What changed and what did not, exactly: the second page of the change changed nothing new.
    assert ("update_dags paused 100 DAGs (d000, d001," in str(caught.value)
            and "did not reach 50 of the DAGs listed (d100, d101," in str(caught.value))


# -- DAG runs --------------------------------------------------------------------------------------

def test_a_trigger_sends_what_a_trigger_sets(server, client) -> None:
    server.answer(recorded("v2_dagops_trigger.json"))

    run = DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(
        dag_run_id=RUN, execution_date=DATE, conf={"rows": 3, "mode": "full"},
        note="triggered by the SDK"))

    request = server.last
    assert (request.method, request.path) == ("POST", f"{API}/dags/{DAG_ID}/dagRuns")
    assert request.json() == {"dag_run_id": RUN, "execution_date": "2026-11-28T00:00:00+00:00",
                              "conf": {"rows": 3, "mode": "full"},
                              "note": "triggered by the SDK"}
    assert (run.dag_run_id, run.state, run.execution_date) == (RUN, DagState.QUEUED, DATE)
    assert (run.conf, run.note, run.external_trigger, run.run_type) == (
        {"mode": "full", "rows": 3}, "triggered by the SDK", True, "manual")


def test_a_trigger_without_a_date_lets_airflow_2_take_its_own(server, client) -> None:
    server.answer(recorded("v2_dagops_trigger.json"))

    DAGRunApi(client).trigger_dag_run(DAG_ID, {"conf": {}})

    assert server.last.json() == {"conf": {}}


@pytest.mark.parametrize(("body", "detail"), [
    ({"state": "success"}, "`state` cannot be set when triggering"),
    ({"conf": [1, 2]}, "`conf` must be a JSON object"),
    ({"data_interval_end": "2026-11-28T00:00:00+00:00"}, "give data_interval_start and"),
])
def test_what_a_trigger_cannot_set_is_refused_before_sending(server, client, body,
                                                             detail) -> None:
    with pytest.raises(ApiValueError) as caught:
        DAGRunApi(client).trigger_dag_run(DAG_ID, body)
    assert detail in str(caught.value)
    assert server.requests == []


def test_a_trigger_of_a_run_that_exists_is_a_conflict(server, client) -> None:
    server.answer(recorded("v2_dagops_err_409_trigger_again.json", 409))

    with pytest.raises(ConflictException) as caught:
        DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN, execution_date=DATE))

    assert "DAG 'sdk_dag_ops' already has a run with this dag_run_id or execution date" in str(
        caught.value)
    assert "logical date: '2026-11-28 00:00:00+00:00' already exists" in str(caught.value)


def test_a_trigger_the_server_failed_is_sent_once_and_may_have_made_the_run(server,
                                                                           client) -> None:
    server.answer(Reply.json({"title": "Internal Server Error", "status": 500}, status=500))
    client.configuration.retries = None  # the SDK's own policy: POST answered 500 is not retried

    with pytest.raises(ServiceException) as caught:
        DAGRunApi(client).trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN))

    assert len(server.requests) == 1
    assert "the DAG run may exist" in str(caught.value)


def test_marking_a_run_sends_its_state_and_its_note_apart(server, client) -> None:
    server.answer(recorded("v2_dagops_dagrun_mark_success.json"),
                  recorded("v2_dagops_dagrun_note.json"))

    run = DAGRunApi(client).update_dag_run(DAG_ID, RUN, DAGRun(state=DagState.SUCCESS,
                                                               note="marked by the SDK"),
                                           update_mask=["state", "note"])

    assert [(r.method, r.path, r.json()) for r in server.requests] == [
        ("PATCH", RUN_PATH, {"state": "success"}),
        ("PATCH", f"{RUN_PATH}/setNote", {"note": "marked by the SDK"})]
    assert (run.state, run.note) == (DagState.SUCCESS, "marked by the SDK")


@pytest.mark.parametrize(("body", "mask", "detail"), [
    (DAGRun(state="running"), None, "not to 'running'"),
    (DAGRun(conf={}), None, "asks to change nothing"),
    (DAGRun(state="success"), ["conf"], "update_mask also names conf"),
])
def test_a_run_change_airflow_cannot_make_is_refused_before_sending(server, client, body, mask,
                                                                   detail) -> None:
    with pytest.raises(ApiValueError) as caught:
        DAGRunApi(client).update_dag_run(DAG_ID, RUN, body, update_mask=mask)
    assert detail in str(caught.value)
    assert server.requests == []


def test_clearing_a_run_is_a_dry_run_unless_said_otherwise(server, client) -> None:
    server.answer(recorded("v2_dagops_dagrun_clear_dry_run.json"))

    listed = DAGRunApi(client).clear_dag_run(DAG_ID, RUN, {"dry_run": None})

    assert [(r.method, r.path, r.json()) for r in server.requests] == [
        ("POST", f"{RUN_PATH}/clear", {"dry_run": True})]
    assert [(ref.task_id, ref.dag_run_id, ref.execution_date) for ref in listed.task_instances] == [
        ("prepare", RUN, DATE), ("publish", RUN, DATE)]


def test_a_real_clear_answers_what_the_dry_run_listed(server, client) -> None:
    server.answer(recorded("v2_dagops_dagrun_clear_dry_run.json"),
                  recorded("v2_dagops_dagrun_clear.json"))

    cleared = DAGRunApi(client).clear_dag_run(DAG_ID, RUN, ClearDagRun(dry_run=False))

    assert [r.json() for r in server.requests] == [{"dry_run": True}, {"dry_run": False}]
    assert [ref.task_id for ref in cleared.task_instances] == ["prepare", "publish"]


def test_deleting_a_run_and_a_missing_one(server, client) -> None:
    server.answer(Reply.no_content(), recorded("v2_dagops_err_404_delete_again.json", 404))

    assert DAGRunApi(client).delete_dag_run(DAG_ID, RUN) is None
    with pytest.raises(NotFoundException) as caught:
        DAGRunApi(client).delete_dag_run(DAG_ID, RUN)

    assert sent(server) == [("DELETE", RUN_PATH, "")] * 2
    assert f"DAG run {RUN!r} of DAG {DAG_ID!r} not found" in str(caught.value)


# -- what the official 2.x client's scripts pass -----------------------------------------------

def test_a_projection_of_the_runs_is_airflow_2s_fields(server, client) -> None:
    server.answer(recorded("v2_dagops_dagruns_fields.json"))

    page = DAGRunApi(client).get_dag_runs(DAG_ID, fields=["dag_run_id", "state"])

    assert server.last.query == "limit=100&fields=dag_run_id&fields=state"
    assert [run.to_dict() for run in page.dag_runs] == [
        {"dag_run_id": RUN, "state": DagState.QUEUED}]


def spare_run_lookup() -> Reply:
    """The list of runs that finds the spare run of its date (the run lookup's answer)."""
    return Reply.json({"dag_runs": [document("v2_dagops_spare_run_done.json")],
                       "total_entries": 1})


def test_tries_are_paged_and_ordered_by_the_sdk(server, client) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"), recorded("v2_family_tries.json"),
                  recorded("v2_family_tries.json"))
    tis = TaskInstanceApi(client)

    newest = tis.get_task_instance_tries("sdk_family", "flaky", "2026-11-27T00:00:00+00:00",
                                         order_by="-try_number", limit=1)
    second = tis.get_task_instance_tries("sdk_family", "flaky", "2026-11-27T00:00:00+00:00",
                                         offset=1)

    assert all(r.query == "" for r in server.requests if r.path.endswith("/tries"))
    assert ([t.try_number for t in newest.task_instances], newest.total_entries) == ([2], 2)
    assert [t.try_number for t in second.task_instances] == [2]


def test_xcom_entries_by_key(server, client) -> None:
    server.answer(spare_run_lookup(), recorded("v2_dagops_xcom_by_key.json"))

    entries = XComApi(client).get_x_com_values("sdk_dag_ops_spare", "publish", SPARE_DATE,
                                               xcom_key="return_value")

    assert server.last.query == "limit=100&xcom_key=return_value"
    assert [(e.key, e.task_id) for e in entries.xcom] == [("return_value", "publish")]


def test_task_instances_by_when_they_changed(server, client) -> None:
    server.answer(recorded("v2_dagops_tis_updated_since.json"))

    page = PoolApi(client).get_task_instances("sdk_dag_ops_spare",
                                              updated_at_gte="2026-01-01T00:00:00+00:00")

    assert server.last.query == "limit=100&updated_at_gte=2026-01-01T00%3A00%3A00%2B00%3A00"
    assert sorted(ti.task_id for ti in page.task_instances) == ["prepare", "publish"]
    with pytest.raises(UnsupportedOperationException) as caught:
        PoolApi(client).get_task_instances("sdk_dag_ops_spare", task_id=["publish"],
                                           updated_at_gte="2026-01-01T00:00:00+00:00")
    assert "filter by task id or by date of change, not both" in str(caught.value)
    assert len(server.requests) == 1


def test_clear_with_include_past_and_include_future(server, client) -> None:
    server.answer(recorded("v2_dagops_clear_ti_include_past_future.json"))

    listed = DAGApi(client).clear_task_instances("sdk_dag_ops_spare", ClearTaskInstance(
        task_ids=["prepare"], start_date=SPARE_DATE, end_date=SPARE_DATE, only_failed=False,
        include_past=True, include_future=True))

    body = server.last.json()
    assert (body["include_past"], body["include_future"]) == (True, True)
    assert [ref.task_id for ref in listed.task_instances] == ["prepare"]
