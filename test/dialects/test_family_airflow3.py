"""The task-instance family on Airflow 3, against Airflow 3.3.2's recorded answers (the run
family_run_20261127 of sdk_family, integration/real_airflow/dags/), over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from dialects.recorded_answers import PASSWORD, TOKEN, USERNAME, recorded, token_reply
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.dialects import UnsupportedOperationException
from airflow_python_sdk.exceptions import ApiValueError
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState

DAG = "sdk_family"
RUN = "family_run_20261127"
DATE = "2026-11-27T00:00:00+00:00"
D = "2026-11-27T00%3A00%3A00%2B00%3A00"  # DATE in a query
UTC = dt.timezone.utc
API = "/api/v2"
TI_PATH = f"{API}/dags/{DAG}/dagRuns/{RUN}/taskInstances"


@pytest.fixture
def client(server: RecordingServer) -> Iterator[ApiClient]:
    configuration = Configuration(host=server.url + API, username=USERNAME, password=PASSWORD,
                                  dialect="airflow3", timeout=(5.0, 10.0))
    with ApiClient(configuration) as api_client:
        yield api_client


def test_a_list_sends_logical_date_filters_the_spec_page_size_and_order(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_ti_state_failed.json"))

    page = PoolApi(client).get_task_instances(
        DAG, execution_date_gte=DATE, execution_date_lte=DATE, state=[TaskState("failed")],
        pool=["default_pool"], order_by="-execution_date")

    request = server.last
    assert (request.method, request.path) == ("GET", f"{API}/dags/{DAG}/dagRuns/~/taskInstances")
    assert request.query == (f"limit=100&logical_date_gte={D}&logical_date_lte={D}"
                             "&state=failed&pool=default_pool&order_by=-logical_date")
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    (ti,) = page.task_instances
    assert (ti.task_id, ti.state, ti.dag_run_id, ti.map_index) == (
        "flaky", TaskState.FAILED, RUN, -1)
    assert ti.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)  # from logical_date


def test_one_task_id_stays_in_the_query(server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_ti_state_failed.json"))

    PoolApi(client).get_task_instances("~", task_id=["flaky"], limit=5)

    assert (server.last.path, server.last.query) == (
        f"{API}/dags/~/dagRuns/~/taskInstances", "limit=5&task_id=flaky")


def test_several_task_ids_go_in_the_batch_post(server: RecordingServer,
                                               client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_ti_batch.json"))

    page = PoolApi(client).get_task_instances(DAG, task_id=["flaky", "after_flaky"],
                                              execution_date_gte=DATE, offset=0,
                                              order_by="execution_date")

    request = server.last
    assert (request.method, request.path) == ("POST", f"{API}/dags/~/dagRuns/~/taskInstances/list")
    assert request.json() == {"dag_ids": [DAG], "page_limit": 100, "page_offset": 0,
                              "logical_date_gte": DATE, "task_ids": ["flaky", "after_flaky"],
                              "order_by": "logical_date"}
    assert sorted(ti.task_id for ti in page.task_instances) == ["after_flaky", "flaky"]


def test_a_query_too_long_for_a_url_goes_in_the_batch_post(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_ti_batch.json"))
    pools = [f"pool_{number:04d}_with_a_long_name" for number in range(100)]

    PoolApi(client).get_task_instances(DAG, pool=pools)

    assert server.last.method == "POST"
    assert server.last.json()["pool"] == pools


def test_dag_runs_and_one_run(server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns.json"),
                  recorded("v3_family_dagrun.json"))

    runs = DAGRunApi(client).get_dag_runs(DAG, execution_date_gte=DATE,
                                          execution_date_lte=DATE, limit=10)
    run = DAGRunApi(client).get_dag_run(DAG, RUN)

    _, listing, one = server.requests
    assert listing.query == f"limit=10&logical_date_gte={D}&logical_date_lte={D}"
    assert one.path == f"{API}/dags/{DAG}/dagRuns/{RUN}"
    assert [r.dag_run_id for r in runs.dag_runs] == [RUN]
    assert (run.dag_run_id, str(run.state)) == (RUN, "success")
    assert run.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert run.run_type == "manual"


def test_a_mapped_task_instance_its_log_and_its_xcom(server: RecordingServer,
                                                     client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_ti_mapped1.json"), recorded("v3_family_logs_mapped1.json"),
                  recorded("v3_family_xcom_value_mapped2.json"),
                  recorded("v3_family_xcom_values_mapped0.json"))

    ti = TaskInstanceApi(client).get_task_instance(DAG, "mapped_echo", DATE, map_index=1)
    log = TaskInstanceApi(client).get_logs(DAG, "mapped_echo", DATE, 1, map_index=1)
    value = XComApi(client).get_x_com_value(DAG, "mapped_echo", DATE, "return_value",
                                            map_index=2)
    entries = XComApi(client).get_x_com_values(DAG, "mapped_echo", DATE, map_index=0)

    _, _, get, logs, one, listing = server.requests
    assert get.path == f"{TI_PATH}/mapped_echo/1"
    assert (logs.path, logs.query) == (f"{TI_PATH}/mapped_echo/logs/1", "map_index=1")
    assert (one.path, one.query) == (f"{TI_PATH}/mapped_echo/xcomEntries/return_value",
                                     "map_index=2")
    assert (listing.path, listing.query) == (f"{TI_PATH}/mapped_echo/xcomEntries",
                                             "limit=100&map_index=0")
    assert (ti.map_index, ti.state) == (1, TaskState.SUCCESS)
    assert "map_index=1" in log.content
    assert (value.map_index, value.value) == (2, "2")
    assert value.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert [(e.key, e.map_index) for e in entries.xcom] == [("return_value", 0)]


def test_clear_answers_references_with_map_index_and_state(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_clear.json"))

    cleared = DAGApi(client).clear_task_instances(DAG, ClearTaskInstance(
        dry_run=False, task_ids=["flaky"], include_subdags=False))

    request = server.last
    assert request.path == f"{API}/dags/{DAG}/clearTaskInstances"
    # Airflow 3 has no SubDAGs and refuses unknown fields: include_subdags is left out.
    assert request.json() == {"dry_run": False, "only_failed": True, "only_running": False,
                              "reset_dag_runs": True, "task_ids": ["flaky"]}
    (ref,) = cleared.task_instances
    assert (ref.task_id, ref.dag_run_id, ref.map_index) == ("flaky", RUN, -1)
    assert ref.execution_date == dt.datetime(2026, 11, 27, tzinfo=UTC)
    assert ref.state is None  # cleared: no state until the scheduler runs it again


def test_tries_fill_the_execution_date(server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_tries.json"))

    tries = TaskInstanceApi(client).get_task_instance_tries(DAG, "flaky", DATE)

    assert server.last.path == f"{TI_PATH}/flaky/tries"
    assert [(t.try_number, t.state) for t in tries.task_instances] == [
        (1, TaskState.FAILED), (2, TaskState.FAILED)]
    assert {t.execution_date for t in tries.task_instances} == {
        dt.datetime(2026, 11, 27, tzinfo=UTC)}


def test_a_bulk_state_dry_run_is_the_patch_to_dry_run(server: RecordingServer,
                                                      client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_bulk_state_dry_run.json"))

    would = DAGApi(client).update_task_instances_state(DAG, UpdateTaskInstancesState(
        task_id="flaky", execution_date=DATE, new_state="skipped", include_downstream=True))

    lookup, patch = server.requests[1:]
    assert lookup.query == f"logical_date_gte={D}&logical_date_lte={D}&limit=2"
    assert (patch.method, patch.path) == ("PATCH", f"{TI_PATH}/flaky/dry_run")
    # No dry_run field: Airflow 3's PATCH answers 422 to one.
    assert patch.json() == {"new_state": "skipped", "include_upstream": False,
                            "include_downstream": True, "include_future": False,
                            "include_past": False}
    assert sorted(ref.task_id for ref in would.task_instances) == ["after_flaky", "flaky"]


def test_a_bulk_state_change_answers_every_task_instance_it_changed(
        server: RecordingServer, client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_bulk_state_dry_run.json"),
                  recorded("v3_family_bulk_state.json"))

    done = DAGApi(client).update_task_instances_state(DAG, UpdateTaskInstancesState(
        dry_run=False, task_id="flaky", execution_date=DATE, new_state="skipped",
        include_downstream=True))

    dry, patch = server.requests[2:]
    assert (dry.path, patch.path) == (f"{TI_PATH}/flaky/dry_run", f"{TI_PATH}/flaky")
    assert patch.json()["include_downstream"] is True
    # The PATCH's own answer names flaky alone; the dry run named after_flaky too.
    assert sorted((ref.task_id, ref.state) for ref in done.task_instances) == [
        ("after_flaky", "skipped"), ("flaky", "skipped")]


def test_bulk_state_needs_its_task_date_and_state_before_sending(
        server: RecordingServer, client: ApiClient) -> None:
    with pytest.raises(ApiValueError) as caught:
        DAGApi(client).update_task_instances_state(DAG, UpdateTaskInstancesState(
            task_id="flaky", new_state="skipped"))
    assert "execution_date" in str(caught.value)
    with pytest.raises(UnsupportedOperationException):
        DAGApi(client).clear_task_instances(DAG, ClearTaskInstance(include_parentdag=True))
    assert server.requests == []


def test_iterating_orders_by_logical_date_and_walks_both_pages(
        server: RecordingServer, client: ApiClient) -> None:
    # Recorded by offset: an Airflow 3 before 3.3 ignores `cursor` and answers that way.
    server.answer(token_reply(), recorded("v3_family_ti_page1.json"),
                  recorded("v3_family_ti_page2.json"))

    walked = list(PoolApi(client).iter_task_instances(DAG, execution_date_gte=DATE,
                                                      execution_date_lte=DATE))

    pages = server.requests[1:]
    # The first page asks for a cursor walk; an answer by offset makes the walk go on by offset.
    assert [p.query_params.get("cursor") for p in pages] == [[""], None]
    assert [p.query_params.get("offset") for p in pages] == [None, ["100"]]
    assert {p.query_params["order_by"][0] for p in pages} == {"logical_date"}
    assert len({(ti.task_id, ti.map_index) for ti in walked}) == len(walked) == 110
    assert sorted(ti.map_index for ti in walked if ti.task_id == "mapped_echo") == [0, 1, 2]


def test_a_note_goes_in_the_patch_with_an_update_mask(server: RecordingServer,
                                                      client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_patch_note.json"))

    ti = TaskInstanceApi(client).update_task_instance(
        DAG, "mapped_echo", DATE, TaskInstance(note="checked by the SDK"), update_mask=["note"],
        map_index=1)

    patch = server.last
    assert (patch.method, patch.path, patch.query) == (
        "PATCH", f"{TI_PATH}/mapped_echo/1", "update_mask=note")
    assert patch.json() == {"note": "checked by the SDK"}
    assert (ti.map_index, ti.note, ti.state) == (1, "checked by the SDK", TaskState.SUCCESS)


def test_a_state_and_a_note_name_both_in_the_update_mask(server: RecordingServer,
                                                         client: ApiClient) -> None:
    server.answer(token_reply(), recorded("v3_family_dagruns_lookup.json"),
                  recorded("v3_family_patch_note.json"))

    TaskInstanceApi(client).update_task_instance(
        DAG, "mapped_echo", DATE, TaskInstance(state="success", note=None),
        update_mask=["state", "note"], map_index=1)

    assert server.last.query == "update_mask=new_state&update_mask=note"
    assert server.last.json() == {"new_state": "success", "note": None}
