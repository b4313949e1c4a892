"""The task-instance family through the SDK over loopback HTTP (the spec dialect): lists and
their filters, mapped instances, tries, notes, clear and bulk state (dry runs by default), DAG
runs and XCom, and arguments refused before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag_state import DagState
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState
from airflow_python_sdk.testing.server import AirflowApiServer

RUN = datetime(2026, 11, 26, tzinfo=timezone.utc)
RUN_ID = "scheduled__2026-11-26T00:00:00+00:00"


@pytest.fixture
def client(airflow_api: AirflowApiServer) -> Iterator[airflow_python_sdk.ApiClient]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        yield api_client


def queries(server: AirflowApiServer) -> list[str]:
    return [entry.query for entry in server.request_log.entries()]


# -- listing and filters ---------------------------------------------------------------------------

def test_the_list_is_reachable_under_both_class_names(client) -> None:
    by_pool = PoolApi(client).get_task_instances("etl_daily")
    by_task_instance = TaskInstanceApi(client).get_task_instances("etl_daily")

    assert by_pool.total_entries == by_task_instance.total_entries == 4
    assert [ti.task_id for ti in by_pool.task_instances] == [
        ti.task_id for ti in by_task_instance.task_instances]


def test_several_states_and_tasks_are_sent_as_repeated_parameters(client, airflow_api) -> None:
    page = PoolApi(client).get_task_instances(
        "etl_daily", state=[TaskState.FAILED, "upstream_failed"], task_id=["transform", "load"])

    assert sorted((ti.task_id, ti.state.value) for ti in page.task_instances) == [
        ("load", "upstream_failed"), ("transform", "failed")]
    assert queries(airflow_api) == [
        "state=failed&state=upstream_failed&task_id=transform&task_id=load"]


def test_tilde_lists_every_dags_failures_of_the_last_day(client) -> None:
    since = datetime.now(timezone.utc) - timedelta(days=1)
    page = PoolApi(client).get_task_instances("~", state=["failed"], end_date_gte=since)

    assert {ti.dag_id for ti in page.task_instances} == {
        "nightly_sales", "nightly_inventory", "nightly_billing"}
    assert all(ti.end_date >= since for ti in page.task_instances)


def test_date_duration_pool_and_queue_ranges_filter(client) -> None:
    api = PoolApi(client)
    on_the_25th = api.get_task_instances(
        "~", execution_date_gte=RUN - timedelta(days=1),
        execution_date_lte=RUN - timedelta(hours=1))
    assert {ti.task_id for ti in on_the_25th.task_instances} == {"train_model", "evaluate"}

    long_ones = api.get_task_instances("~", duration_gte=100.0, duration_lte=1800.0)
    assert {ti.task_id for ti in long_ones.task_instances} >= {"build_report", "train_model"}
    assert all(100.0 <= ti.duration <= 1800.0 for ti in long_ones.task_instances)

    gpu = api.get_task_instances("~", pool=["gpu_pool"], queue=["gpu", "default"])
    assert [ti.task_id for ti in gpu.task_instances] == ["train_model"]


def test_a_limit_above_the_page_cap_is_capped(client, airflow_api) -> None:
    airflow_api.load(_many("wide", 150))

    page = PoolApi(client).get_task_instances("wide", limit=500, offset=20)

    assert page.total_entries == 150
    assert len(page.task_instances) == 100
    assert [ti.map_index for ti in page.task_instances][:2] == [20, 21]


def test_order_by_sorts_descending_with_a_dash(client) -> None:
    page = PoolApi(client).get_task_instances("~", order_by="-duration", state=["success"])
    durations = [ti.duration for ti in page.task_instances]
    assert durations == sorted(durations, reverse=True)


# -- mapped task instances, tries, notes -----------------------------------------------------------

def test_mapped_instances_come_back_one_per_index(client) -> None:
    page = PoolApi(client).get_task_instances("partitioned_load", task_id=["load_partition"])

    assert [ti.map_index for ti in page.task_instances] == [0, 1, 2, 3, 4]
    assert [ti.state.value for ti in page.task_instances] == [
        "success", "success", "success", "failed", "failed"]


def test_map_index_addresses_one_mapped_instance(client, airflow_api) -> None:
    api = TaskInstanceApi(client)

    third = api.get_task_instance("partitioned_load", "load_partition", RUN, map_index=3)
    assert (third.map_index, third.state) == (3, TaskState.FAILED)
    log = api.get_logs("partitioned_load", "load_partition", RUN, 2, map_index=4,
                       full_content=True)
    assert "TimeoutError" in log.content
    assert api.get_extra_links("partitioned_load", "load_partition", RUN,
                               map_index=0).extra_links == []
    api.update_task_instance("partitioned_load", "load_partition", RUN,
                             TaskInstance(state=TaskState("success")), update_mask=["state"],
                             map_index=3)
    assert api.get_task_instance("partitioned_load", "load_partition", RUN,
                                 map_index=3).state == TaskState.SUCCESS
    assert api.get_task_instance("partitioned_load", "load_partition", RUN,
                                 map_index=4).state == TaskState.FAILED
    with pytest.raises(airflow_python_sdk.NotFoundException):
        api.get_task_instance("partitioned_load", "load_partition", RUN)  # not unmapped
    assert "map_index=3" in queries(airflow_api)[0]


def test_tries_lists_every_try_oldest_first(client) -> None:
    tries = TaskInstanceApi(client).get_task_instance_tries("etl_daily", "transform", RUN)

    assert [(ti.try_number, ti.state.value) for ti in tries.task_instances] == [
        (1, "up_for_retry"), (2, "failed")]
    assert tries.task_instances[0].job_id == 102
    mapped = TaskInstanceApi(client).get_task_instance_tries(
        "partitioned_load", "load_partition", RUN, map_index=4)
    assert [ti.try_number for ti in mapped.task_instances] == [1, 2]


def test_a_note_is_read_and_set_with_its_mask(client) -> None:
    api = TaskInstanceApi(client)
    assert api.get_task_instance("etl_daily", "transform", RUN).note is None

    api.update_task_instance("etl_daily", "transform", RUN,
                             TaskInstance(note="KeyError upstream; rerun after the fix"),
                             update_mask=["note"])

    again = api.get_task_instance("etl_daily", "transform", RUN)
    assert again.note == "KeyError upstream; rerun after the fix"
    assert again.state == TaskState.FAILED


# -- clear -----------------------------------------------------------------------------------------

def test_clear_sends_safe_defaults_explicitly() -> None:
    body = ClearTaskInstance(start_date=RUN).to_dict()
    assert body["dry_run"] is True
    assert body["only_failed"] is True
    assert body["reset_dag_runs"] is True
    chosen = ClearTaskInstance(dry_run=False, reset_dag_runs=False).to_dict()
    assert (chosen["dry_run"], chosen["reset_dag_runs"]) == (False, False)


def test_clear_is_a_dry_run_by_default_and_changes_nothing(client) -> None:
    answer = DAGApi(client).clear_task_instances("reporting", ClearTaskInstance())

    assert [(ref.task_id, ref.dag_run_id) for ref in answer.task_instances] == [
        ("email_report", RUN_ID)]
    ti = TaskInstanceApi(client).get_task_instance("reporting", "email_report", RUN)
    assert ti.state == TaskState.FAILED
    assert DAGRunApi(client).get_dag_run("reporting", RUN_ID).state == DagState.FAILED


def test_a_real_clear_requeues_the_run_and_the_rerun_is_try_two(client, airflow_api) -> None:
    answer = DAGApi(client).clear_task_instances(
        "reporting", ClearTaskInstance(dry_run=False, task_ids=["email_report"]))
    assert [ref.task_id for ref in answer.task_instances] == ["email_report"]

    tis = TaskInstanceApi(client)
    cleared = tis.get_task_instance("reporting", "email_report", RUN)
    assert (cleared.state, cleared.try_number) == (None, 1)
    assert DAGRunApi(client).get_dag_run("reporting", RUN_ID).state == DagState.QUEUED
    assert tis.get_task_instance("reporting", "build_report", RUN).state == TaskState.SUCCESS

    assert airflow_api.run_cleared("success") == 1

    rerun = tis.get_task_instance("reporting", "email_report", RUN)
    assert (rerun.state, rerun.try_number) == (TaskState.SUCCESS, 2)
    tries = tis.get_task_instance_tries("reporting", "email_report", RUN)
    assert [(t.try_number, t.state.value) for t in tries.task_instances] == [
        (1, "failed"), (2, "success")]
    assert DAGRunApi(client).get_dag_run("reporting", RUN_ID).state == DagState.SUCCESS


def test_clear_of_an_unknown_dag_is_not_found(client) -> None:
    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        DAGApi(client).clear_task_instances("no_such_dag", ClearTaskInstance(dry_run=False))
    assert "no_such_dag" in str(caught.value)


# -- bulk state ------------------------------------------------------------------------------------

def test_bulk_state_is_a_dry_run_by_default_and_reaches_downstream(client) -> None:
    dags = DAGApi(client)
    body = UpdateTaskInstancesState(task_id="transform", execution_date=RUN,
                                    new_state="success", include_downstream=True)
    assert body.to_dict()["dry_run"] is True

    would = dags.update_task_instances_state("etl_daily", body)

    assert [ref.task_id for ref in would.task_instances] == ["load", "transform"]
    tis = TaskInstanceApi(client)
    assert tis.get_task_instance("etl_daily", "load", RUN).state == TaskState.UPSTREAM_FAILED

    done = dags.update_task_instances_state("etl_daily", UpdateTaskInstancesState(
        task_id="transform", execution_date=RUN, new_state="success", include_downstream=True,
        dry_run=False))

    assert [ref.task_id for ref in done.task_instances] == ["load", "transform"]
    assert tis.get_task_instance("etl_daily", "load", RUN).state == TaskState.SUCCESS
    assert tis.get_task_instance("etl_daily", "transform", RUN).state == TaskState.SUCCESS
    assert tis.get_task_instance("etl_daily", "extract", RUN).state == TaskState.SUCCESS


def test_bulk_state_upstream_and_unknown_new_state(client) -> None:
    dags = DAGApi(client)
    would = dags.update_task_instances_state("etl_daily", UpdateTaskInstancesState(
        task_id="load", execution_date=RUN, new_state="failed", include_upstream=True))
    assert [ref.task_id for ref in would.task_instances] == ["extract", "load"]

    with pytest.raises(airflow_python_sdk.BadRequestException) as caught:
        dags.update_task_instances_state("etl_daily", UpdateTaskInstancesState(
            task_id="load", execution_date=RUN, new_state="exploded"))
    assert "new_state" in str(caught.value) and "exploded" in str(caught.value)


# -- DAG runs and XCom -----------------------------------------------------------------------------

def test_dag_runs_filter_by_state_and_date(client) -> None:
    runs = DAGRunApi(client).get_dag_runs(
        "~", state=[DagState.FAILED], execution_date_lte=RUN + timedelta(days=1))

    assert sorted(r.dag_id for r in runs.dag_runs) == [
        "etl_daily", "partitioned_load", "reporting"]
    assert runs.total_entries == 3
    one = DAGRunApi(client).get_dag_run("etl_daily", "scheduled__2026-11-27T00:00:00+00:00")
    assert one.state == DagState.RUNNING and one.end_date is None


def test_xcom_entries_and_one_value(client) -> None:
    api = XComApi(client)
    entries = api.get_x_com_values("etl_daily", "transform", RUN)
    assert [e.key for e in entries.xcom] == ["bad_rows", "return_value"]
    assert entries.total_entries == 2

    value = api.get_x_com_value("etl_daily", "transform", RUN, "return_value")
    assert value.value == {"rows": 2700}
    with pytest.raises(airflow_python_sdk.NotFoundException):
        api.get_x_com_value("etl_daily", "transform", RUN, "nothing_here")


# -- bad input: a typed error naming the field and the value, nothing sent -------------------------

def test_an_unknown_state_in_a_filter_is_refused_before_sending(client, airflow_api) -> None:
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        PoolApi(client).get_task_instances("etl_daily", state=["failed", "exploded"])

    assert "state" in str(caught.value) and "'exploded'" in str(caught.value)
    assert airflow_api.request_log.entries() == []


def test_a_naive_datetime_filter_is_refused_before_sending(client, airflow_api) -> None:
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        DAGRunApi(client).get_dag_runs("etl_daily", start_date_gte=datetime(2026, 11, 26))

    assert "start_date_gte" in str(caught.value) and "no time zone" in str(caught.value)
    assert airflow_api.request_log.entries() == []


def test_a_filter_that_is_not_a_list_is_refused(client, airflow_api) -> None:
    with pytest.raises(airflow_python_sdk.ApiTypeError) as caught:
        PoolApi(client).get_task_instances("etl_daily", pool="default_pool")
    assert "pool" in str(caught.value)
    assert airflow_api.request_log.entries() == []


def test_an_unknown_order_by_is_a_bad_request_naming_it(client) -> None:
    with pytest.raises(airflow_python_sdk.BadRequestException) as caught:
        PoolApi(client).get_task_instances("etl_daily", order_by="colour")
    assert "order_by" in str(caught.value) and "colour" in str(caught.value)


# -- pages walked ----------------------------------------------------------------------------------

def _many(dag_id: str, count: int) -> list[dict]:
    return [{"dag_id": dag_id, "task_id": "part", "execution_date": "2026-11-26T00:00:00Z",
             "map_index": index, "state": "success"} for index in range(count)]


def test_iter_task_instances_walks_every_page_lazily(client, airflow_api) -> None:
    airflow_api.load(_many("wide", 250))
    airflow_api.request_log.clear()

    walked = PoolApi(client).iter_task_instances("wide", state=["success"])
    assert airflow_api.request_log.entries() == []  # nothing fetched before it is consumed
    indexes = [ti.map_index for ti in walked]

    assert indexes == list(range(250))
    assert queries(airflow_api) == [
        f"limit=100&offset={offset}&state=success&order_by=execution_date"
        for offset in (0, 100, 200)]


def test_iter_dag_runs_and_x_com_values_walk_with_small_pages(client, airflow_api) -> None:
    runs = list(DAGRunApi(client).iter_dag_runs("~", page_size=2))
    assert len(runs) == DAGRunApi(client).get_dag_runs("~").total_entries
    assert len({(r.dag_id, r.dag_run_id) for r in runs}) == len(runs)

    entries = list(XComApi(client).iter_x_com_values("etl_daily", "transform", RUN, page_size=1))
    assert [e.key for e in entries] == ["bad_rows", "return_value"]


def test_iterating_raises_when_the_list_changes_under_it(client, airflow_api) -> None:
    airflow_api.load(_many("wide", 150))
    walked = PoolApi(client).iter_task_instances("wide")
    first = next(walked)
    assert first.map_index == 0
    for _ in range(99):
        next(walked)
    airflow_api.store.delete(airflow_api.store.keys()[0])  # gone before the second page

    with pytest.raises(airflow_python_sdk.ApiException) as caught:
        list(walked)
    assert "150" in str(caught.value) and "149" in str(caught.value)


# -- real-server dialects: what a server cannot do is refused before sending --------------------

def test_real_server_dialects_refuse_what_their_server_cannot_do_before_sending(
        airflow_api) -> None:
    def client(dialect: str) -> airflow_python_sdk.ApiClient:
        # The server's root URL: each dialect adds its own API prefix.
        root = airflow_api.url.rsplit("/api/", 1)[0]
        return airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration(
            host=root, username="admin", password="admin", dialect=dialect))

    with client("airflow2") as airflow2, pytest.raises(
            airflow_python_sdk.UnsupportedOperationException) as unsorted:
        PoolApi(airflow2).get_task_instances("etl_daily", order_by="-start_date")
    with client("airflow3") as airflow3, pytest.raises(
            airflow_python_sdk.UnsupportedOperationException) as subdags:
        DAGApi(airflow3).clear_task_instances("etl_daily",
                                              ClearTaskInstance(include_subdags=True))

    assert "cannot sort task instances" in str(unsorted.value)
    assert "'-start_date'" in str(unsorted.value)
    assert "include_subdags" in str(subdags.value)
    assert airflow_api.request_log.entries() == []
