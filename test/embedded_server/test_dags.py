"""DAGs through the SDK over loopback HTTP (the spec dialect): listing with Airflow's filters,
one DAG, pausing one, and pausing or unpausing every DAG a pattern matches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from embedded_server.http_calls import Caller, assert_problem

import airflow_python_sdk
from airflow_python_sdk import BadRequestException, ForbiddenException, NotFoundException
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_collection import DAGCollection
from airflow_python_sdk.testing.server import AirflowApiServer

SAMPLE_DAGS = ["etl_daily", "legacy_export", "ml_training", "nightly_billing",
               "nightly_inventory", "nightly_sales", "partitioned_load", "reporting"]


@pytest.fixture
def dags(airflow_api: AirflowApiServer) -> Iterator[DAGApi]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        yield DAGApi(api_client)


def ids(page: DAGCollection) -> list[str]:
    return [dag.dag_id for dag in page.dags]


def test_every_dag_of_the_sample_data_in_dag_id_order(dags: DAGApi) -> None:
    page = dags.get_dags()

    assert ids(page) == SAMPLE_DAGS
    assert page.total_entries == 8
    etl = page.dags[0]
    assert (etl.is_paused, etl.fileloc, etl.owners) == (
        False, "/opt/airflow/dags/etl_daily.py", ["data-eng"])
    assert [tag.name for tag in etl.tags] == ["etl", "daily"]
    assert etl.schedule_interval == {"__type": "CronExpression", "value": "0 0 * * *"}


@pytest.mark.parametrize(("pattern", "expected"), [
    ("nightly", ["nightly_billing", "nightly_inventory", "nightly_sales"]),
    ("NIGHTLY_S", ["nightly_sales"]),  # case does not matter
    ("_daily", ["etl_daily"]),  # `_` is any one character: `l_daily`
    ("ly%s", ["nightly_sales"]),  # `%` is any text
    ("load", ["partitioned_load"]),  # a part of the id, anywhere in it
    ("~", SAMPLE_DAGS),
    ("nothing", []),
])
def test_the_pattern_matches_a_part_of_the_dag_id_as_airflow_does(dags: DAGApi, pattern: str,
                                                                  expected: list[str]) -> None:
    assert ids(dags.get_dags(dag_id_pattern=pattern)) == expected


def test_filters_by_tags_paused_and_order(dags: DAGApi) -> None:
    assert ids(dags.get_dags(tags=["ml", "reporting"])) == ["ml_training", "reporting"]
    assert ids(dags.get_dags(paused=True)) == ["legacy_export"]
    assert "legacy_export" not in ids(dags.get_dags(paused=False))
    assert ids(dags.get_dags(order_by="-dag_id", limit=2)) == ["reporting", "partitioned_load"]
    page = dags.get_dags(limit=3, offset=3)
    assert (ids(page), page.total_entries) == (
        ["nightly_billing", "nightly_inventory", "nightly_sales"], 8)


def test_only_active_leaves_out_dags_whose_file_is_gone_unless_asked(
        airflow_api: AirflowApiServer, dags: DAGApi) -> None:
    airflow_api.load([], dags=[{"dag_id": "here"}, {"dag_id": "gone", "is_active": False}])

    assert ids(dags.get_dags()) == ["here"]
    assert ids(dags.get_dags(only_active=False)) == ["gone", "here"]


def test_an_unknown_order_is_a_bad_request(dags: DAGApi) -> None:
    with pytest.raises(BadRequestException) as caught:
        dags.get_dags(order_by="owners")
    assert "order_by" in str(caught.value)


def test_iterating_walks_every_page(dags: DAGApi, airflow_api: AirflowApiServer) -> None:
    walked = [dag.dag_id for dag in dags.iter_dags(page_size=3)]

    assert walked == SAMPLE_DAGS
    assert [entry.query for entry in airflow_api.request_log.entries()] == [
        f"limit=3&offset={offset}&order_by=dag_id" for offset in (0, 3, 6)]


def test_one_dag_and_a_missing_one(dags: DAGApi) -> None:
    dag = dags.get_dag("reporting")
    assert (dag.dag_id, dag.description) == ("reporting", "Builds and mails the daily report.")

    with pytest.raises(NotFoundException) as caught:
        dags.get_dag("no_such_dag")
    assert "no_such_dag" in str(caught.value)


def test_pausing_and_unpausing_one_dag(dags: DAGApi) -> None:
    paused = dags.update_dag("etl_daily", DAG(is_paused=True), update_mask=["is_paused"])
    assert (paused.dag_id, paused.is_paused) == ("etl_daily", True)
    assert dags.get_dag("etl_daily").is_paused is True

    unpaused = dags.update_dag("etl_daily", {"is_paused": False})
    assert unpaused.is_paused is False
    assert dags.get_dag("etl_daily").is_paused is False


def test_a_dag_read_back_and_sent_again_pauses(dags: DAGApi) -> None:
    dag = dags.get_dag("reporting")
    dag.is_paused = True  # read-only fields are never sent

    assert dags.update_dag("reporting", dag).is_paused is True


@pytest.mark.parametrize(("body", "mask", "detail"), [
    ({}, None, "is_paused"),
    ({"is_paused": True}, ["owners"], "only `is_paused`"),
    ({"is_paused": None}, None, "is_paused"),
])
def test_only_is_paused_can_change(dags: DAGApi, airflow_api: AirflowApiServer, body, mask,
                                   detail) -> None:
    with pytest.raises(BadRequestException) as caught:
        dags.update_dag("etl_daily", body, update_mask=mask)
    assert detail in str(caught.value)
    assert airflow_api.store.dag("etl_daily").fields["is_paused"] is False


def test_a_reader_may_not_pause(airflow_api: AirflowApiServer) -> None:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="viewer", password="viewer")
    client = airflow_python_sdk.ApiClient(configuration)
    with client, pytest.raises(ForbiddenException):
        DAGApi(client).update_dag("etl_daily", DAG(is_paused=True))
    assert airflow_api.store.dag("etl_daily").fields["is_paused"] is False


def test_pausing_every_dag_a_pattern_matches(dags: DAGApi) -> None:
    listed = ids(dags.get_dags(dag_id_pattern="nightly"))

    changed = dags.update_dags(DAG(is_paused=True), "nightly", update_mask=["is_paused"])

    assert ids(changed) == listed == ["nightly_billing", "nightly_inventory", "nightly_sales"]
    assert changed.total_entries == 3
    assert {dag.is_paused for dag in changed.dags} == {True}
    assert ids(dags.get_dags(paused=True)) == ["legacy_export", *listed]

    unpaused = dags.update_dags(DAG(is_paused=False), dag_id_pattern="nightly")
    assert ids(unpaused) == listed
    assert ids(dags.get_dags(paused=True)) == ["legacy_export"]


def test_bulk_pause_takes_the_list_filters(dags: DAGApi) -> None:
    changed = dags.update_dags({"is_paused": True}, "~", tags=["daily"])
    assert ids(changed) == ["etl_daily", "reporting"]

    # Only the paused ones are unpaused: the others are not touched, nor answered.
    unpaused = dags.update_dags(DAG(is_paused=False), "~", paused=True)
    assert ids(unpaused) == ["etl_daily", "legacy_export", "reporting"]
    assert ids(dags.get_dags(paused=True)) == []


def test_bulk_pause_needs_a_pattern_before_anything_is_sent(dags: DAGApi,
                                                          airflow_api: AirflowApiServer) -> None:
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        dags.update_dags(DAG(is_paused=True), None)
    assert "dag_id_pattern" in str(caught.value)
    assert airflow_api.request_log.entries() == []


def test_a_server_refuses_a_bulk_pause_without_a_pattern(call: Caller,
                                                        airflow_api: AirflowApiServer) -> None:
    problem = assert_problem(call("PATCH", "/dags", body={"is_paused": True}), 400)
    assert "dag_id_pattern is required" in problem["detail"]
    assert airflow_api.store.dag("etl_daily").fields["is_paused"] is False


@pytest.mark.parametrize("query", ["paused=", "only_active=", "paused=maybe"])
def test_a_boolean_filter_that_is_not_true_or_false_is_a_bad_request(call: Caller,
                                                                     query: str) -> None:
    # As Airflow answers `?paused=` (its schema says boolean): an empty value is no boolean.
    problem = assert_problem(call("GET", f"/dags?{query}"), 400)
    assert query.split("=")[0] in problem["detail"]
