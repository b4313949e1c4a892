"""The task-instance family on Airflow 2, against Airflow 2.10.5's recorded answers (the run
family_run_20261127 of sdk_family, integration/real_airflow/dags/), over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from dialects.recorded_answers import PASSWORD, USERNAME, recorded
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.dialects import UnsupportedOperationException
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

DAG = "sdk_family"
RUN = "family_run_20261127"
DATE = "2026-11-27T00:00:00+00:00"
D = "2026-11-27T00%3A00%3A00%2B00%3A00"  # DATE in a query
UTC = dt.timezone.utc


@pytest.fixture
def client(server: RecordingServer) -> Iterator[ApiClient]:
    configuration = Configuration(host=server.url + "/api/v1", username=USERNAME,
                                  password=PASSWORD, dialect="airflow2", timeout=(5.0, 10.0))
    with ApiClient(configuration) as api_client:
        yield api_client


def test_a_list_is_the_runs_wildcard_path_with_the_spec_filters(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_ti_page1.json"))

    page = PoolApi(client).get_task_instances(DAG, execution_date_gte=DATE,
                                              execution_date_lte=DATE, limit=100,
                                              order_by="execution_date")

    request = server.last
    assert (request.method, request.path) == ("GET", f"/api/v1/dags/{DAG}/dagRuns/~/taskInstances")
    # Airflow 2 cannot sort task instances: the pagers' order_by is not sent.
    assert request.query == f"limit=100&execution_date_gte={D}&execution_date_lte={D}"
    assert page.total_entries == 110 and len(page.task_instances) == 100
    first = page.task_instances[0]
    assert (first.dag_id, first.dag_run_id, first.map_index) == (DAG, RUN, -1)
    assert first.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)


def test_iterating_walks_both_pages_and_yields_every_task_instance_once(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_ti_page1.json"), recorded("v2_family_ti_page2.json"))

    walked = list(PoolApi(client).iter_task_instances(DAG, execution_date_gte=DATE))

    assert [r.query_params["offset"] for r in server.requests] == [["0"], ["100"]]
    assert len({(ti.task_id, ti.map_index) for ti in walked}) == len(walked) == 110
    mapped = sorted(ti.map_index for ti in walked if ti.task_id == "mapped_echo")
    assert mapped == [0, 1, 2]


def test_task_ids_go_in_the_batch_post_which_airflow_2_alone_can_filter_by(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_ti_batch.json"))

    page = PoolApi(client).get_task_instances(DAG, task_id=["flaky", "after_flaky"],
                                              execution_date_gte=DATE, state=[TaskState("failed")],
                                              limit=50, offset=0)

    request = server.last
    assert (request.method, request.path) == ("POST", "/api/v1/dags/~/dagRuns/~/taskInstances/list")
    assert request.json() == {"dag_ids": [DAG], "task_ids": ["flaky", "after_flaky"],
                              "execution_date_gte": DATE, "state": ["failed"],
                              "page_limit": 50, "page_offset": 0}
    assert sorted(ti.task_id for ti in page.task_instances) == ["after_flaky", "flaky"]


def test_every_dag_leaves_out_the_dag_ids_of_the_batch(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_ti_batch.json"))

    PoolApi(client).get_task_instances("~", task_id=["flaky"])

    # The spec's page size is sent when the call gives none.
    assert server.last.json() == {"task_ids": ["flaky"], "page_limit": 100}


def test_another_order_is_refused_before_sending(server: RecordingServer,
                                                 client: ApiClient) -> None:
    with pytest.raises(UnsupportedOperationException) as caught:
        PoolApi(client).get_task_instances(DAG, order_by="-start_date")
    assert "Airflow 2 cannot sort task instances" in str(caught.value)
    assert server.requests == []


def test_dag_runs_and_one_run(server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns.json"), recorded("v2_family_dagrun.json"))

    runs = DAGRunApi(client).get_dag_runs(DAG, execution_date_gte=DATE, state=["success"],
                                          order_by="-execution_date")
    run = DAGRunApi(client).get_dag_run(DAG, RUN)

    listing, one = server.requests
    assert listing.path == f"/api/v1/dags/{DAG}/dagRuns"
    assert listing.query == (f"limit=100&execution_date_gte={D}&state=success"
                             "&order_by=-execution_date")
    assert one.path == f"/api/v1/dags/{DAG}/dagRuns/{RUN}"
    assert [r.dag_run_id for r in runs.dag_runs] == [RUN] and runs.total_entries == 1
    assert (run.dag_run_id, str(run.state), run.external_trigger) == (RUN, "success", True)
    assert run.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert run.run_type == "manual"  # a field the spec does not name is kept


def test_a_mapped_task_instance_is_addressed_by_its_map_index(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"), recorded("v2_family_ti_mapped1.json"),
                  recorded("v2_family_logs_mapped1.json"))
    api = TaskInstanceApi(client)

    ti = api.get_task_instance(DAG, "mapped_echo", DATE, map_index=1)
    log = api.get_logs(DAG, "mapped_echo", DATE, 1, map_index=1, full_content=True)

    _, get, logs = server.requests
    assert get.path == f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances/mapped_echo/1"
    assert logs.path == f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances/mapped_echo/logs/1"
    assert logs.query == "full_content=true&map_index=1"
    assert (ti.task_id, ti.map_index, ti.state) == ("mapped_echo", 1, TaskState.SUCCESS)
    assert "map_index=1" in log.content and "[('" not in log.content


def test_xcom_of_a_mapped_task_instance(server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"),
                  recorded("v2_family_xcom_value_mapped2.json"),
                  recorded("v2_family_xcom_values_mapped0.json"))
    api = XComApi(client)

    value = api.get_x_com_value(DAG, "mapped_echo", DATE, "return_value", map_index=2)
    entries = api.get_x_com_values(DAG, "mapped_echo", DATE, map_index=0, limit=10)

    _, one, listing = server.requests
    xcom_path = f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances/mapped_echo/xcomEntries"
    assert (one.path, one.query) == (xcom_path + "/return_value", "map_index=2")
    assert (listing.path, listing.query) == (xcom_path, "limit=10&map_index=0")
    assert (value.key, value.map_index, value.value) == ("return_value", 2, "2")
    assert [(e.key, e.map_index) for e in entries.xcom] == [("return_value", 0)]
    assert entries.total_entries == 1


def test_clear_sends_the_safe_defaults_and_answers_references(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_clear_dry_run.json"))

    cleared = DAGApi(client).clear_task_instances(DAG, ClearTaskInstance(task_ids=["flaky"]))

    request = server.last
    assert (request.method, request.path) == ("POST", f"/api/v1/dags/{DAG}/clearTaskInstances")
    assert request.json() == {"dry_run": True, "only_failed": True, "only_running": False,
                              "reset_dag_runs": True, "task_ids": ["flaky"]}
    (ref,) = cleared.task_instances
    assert (ref.dag_id, ref.dag_run_id, ref.task_id) == (DAG, RUN, "flaky")
    assert ref.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)


def test_tries_come_first_try_first_with_the_execution_date_of_the_call(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"), recorded("v2_family_tries.json"))

    tries = TaskInstanceApi(client).get_task_instance_tries(DAG, "flaky", DATE)

    assert server.last.path == f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances/flaky/tries"
    assert [(t.try_number, t.state) for t in tries.task_instances] == [
        (1, TaskState.FAILED), (2, TaskState.FAILED)]
    assert {t.execution_date for t in tries.task_instances} == {
        dt.datetime(2026, 11, 27, tzinfo=UTC)}


def test_bulk_state_is_airflow_2s_own_endpoint_with_the_spec_body(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_bulk_state_dry_run.json"))

    changed = DAGApi(client).update_task_instances_state(DAG, UpdateTaskInstancesState(
        task_id="flaky", execution_date=DATE, new_state="skipped", include_downstream=True))

    request = server.last
    assert request.path == f"/api/v1/dags/{DAG}/updateTaskInstancesState"
    assert request.json() == {"dry_run": True, "include_upstream": False,
                              "include_downstream": True, "include_future": False,
                              "include_past": False, "task_id": "flaky",
                              "execution_date": DATE, "new_state": "skipped"}
    assert sorted(ref.task_id for ref in changed.task_instances) == ["after_flaky", "flaky"]


def test_a_note_has_its_own_endpoint_which_answers_the_task_instance(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"), recorded("v2_family_set_note.json"))

    ti = TaskInstanceApi(client).update_task_instance(
        DAG, "mapped_echo", DATE, TaskInstance(note="checked by the SDK"), update_mask=["note"],
        map_index=1)

    _, patch = server.requests
    assert (patch.method, patch.path) == (
        "PATCH", f"/api/v1/dags/{DAG}/dagRuns/{RUN}/taskInstances/mapped_echo/1/setNote")
    assert (patch.query, patch.json()) == ("", {"note": "checked by the SDK"})
    assert (ti.map_index, ti.note, ti.state) == (1, "checked by the SDK", TaskState.SUCCESS)


def test_a_state_and_a_note_are_two_requests(server: RecordingServer,
                                             client: ApiClient) -> None:
    server.answer(recorded("v2_family_dagruns_lookup.json"), recorded("v2_patch_success.json"),
                  recorded("v2_family_set_note.json"))

    TaskInstanceApi(client).update_task_instance(
        DAG, "mapped_echo", DATE, TaskInstance(state="success", note="checked by the SDK"),
        map_index=1)

    _, state, note = server.requests
    assert state.json() == {"dry_run": False, "new_state": "success"}
    assert state.path.endswith("/mapped_echo/1") and note.path.endswith("/mapped_echo/1/setNote")
