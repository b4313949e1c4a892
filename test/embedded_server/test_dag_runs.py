"""A DAG run's life through the SDK over loopback HTTP (the spec dialect): trigger, mark success,
failed or queued, notes, clear (a dry run unless said otherwise), delete."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk import BadRequestException, ConflictException, NotFoundException
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.dag_state import DagState
from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceKey

UTC = timezone.utc
DATE = datetime(2026, 12, 1, tzinfo=UTC)
SAMPLE_RUN = "scheduled__2026-11-26T00:00:00+00:00"  # etl_daily: extract ok, transform failed
RUNNING_RUN = "scheduled__2026-11-27T00:00:00+00:00"  # etl_daily: extract running


@dataclass
class Apis:
    runs: DAGRunApi
    dags: DAGApi
    task_instances: TaskInstanceApi
    pools: PoolApi

    def states(self, dag_id: str, when: datetime) -> dict[str, object]:
        page = self.pools.get_task_instances(dag_id, execution_date_gte=when,
                                             execution_date_lte=when)
        return {ti.task_id: ti.state.value if ti.state else None for ti in page.task_instances}


@pytest.fixture
def apis(airflow_api: AirflowApiServer) -> Iterator[Apis]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as client:
        yield Apis(DAGRunApi(client), DAGApi(client), TaskInstanceApi(client), PoolApi(client))


# -- trigger -----------------------------------------------------------------------------------

def test_a_trigger_makes_a_queued_run_with_one_task_instance_per_task(apis: Apis) -> None:
    run = apis.runs.trigger_dag_run("etl_daily", DAGRun(
        dag_run_id="manual_check", execution_date=DATE, conf={"rows": 10, "mode": "full"},
        note="asked by the on-call"))

    assert (run.dag_id, run.dag_run_id, run.state) == ("etl_daily", "manual_check",
                                                       DagState.QUEUED)
    assert (run.execution_date, run.conf, run.note) == (
        DATE, {"rows": 10, "mode": "full"}, "asked by the on-call")
    assert (run.run_type, run.external_trigger, run.end_date) == ("manual", True, None)
    assert apis.runs.get_dag_run("etl_daily", "manual_check").to_dict() == run.to_dict()
    assert apis.states("etl_daily", DATE) == {"extract": None, "load": None, "transform": None}
    transform = apis.task_instances.get_task_instance("etl_daily", "transform", DATE)
    assert (transform.try_number, transform.dag_run_id, transform.operator) == (
        0, "manual_check", "PythonOperator")


def test_a_trigger_with_nothing_set_runs_now_under_a_manual_id(apis: Apis) -> None:
    before = datetime.now(UTC)
    run = apis.runs.trigger_dag_run("reporting", {})
    after = datetime.now(UTC)

    assert before <= run.execution_date <= after
    assert run.dag_run_id == f"manual__{run.execution_date.isoformat()}"
    assert (run.conf, run.note) == ({}, None)


def test_a_paused_dag_is_triggered_too_and_its_run_waits(apis: Apis,
                                                         airflow_api: AirflowApiServer) -> None:
    run = apis.runs.trigger_dag_run("legacy_export", DAGRun(dag_run_id="while_paused"))
    assert run.state == DagState.QUEUED
    assert apis.dags.get_dag("legacy_export").is_paused is True

    # Acting as the scheduler leaves a paused DAG's task instances alone.
    assert airflow_api.run_cleared() == 0
    assert apis.runs.get_dag_run("legacy_export", "while_paused").state == DagState.QUEUED

    apis.dags.update_dag("legacy_export", DAG(is_paused=False))
    assert airflow_api.run_cleared() == 2
    assert apis.runs.get_dag_run("legacy_export", "while_paused").state == DagState.SUCCESS


@pytest.mark.parametrize("body", [
    {"dag_run_id": SAMPLE_RUN},
    {"execution_date": "2026-11-26T00:00:00+00:00"},
    {"execution_date": "2026-11-26T01:00:00+01:00"},  # the same instant
])
def test_a_run_id_or_date_the_dag_has_is_a_conflict(apis: Apis, body) -> None:
    with pytest.raises(ConflictException) as caught:
        apis.runs.trigger_dag_run("etl_daily", body)
    assert "already exists" in str(caught.value)
    assert apis.runs.get_dag_runs("etl_daily").total_entries == 2


def test_an_unknown_dag_cannot_be_triggered(apis: Apis) -> None:
    with pytest.raises(NotFoundException) as caught:
        apis.runs.trigger_dag_run("no_such_dag", DAGRun())
    assert "no_such_dag" in str(caught.value)


@pytest.mark.parametrize(("body", "detail"), [
    ({"state": "success"}, "'state' cannot be set when triggering"),
    ({"data_interval_start": "2026-12-01T00:00:00+00:00"}, "must be given together"),
    ({"dag_run_id": ""}, "dag_run_id may not be empty"),
])
def test_what_a_trigger_cannot_set_is_a_bad_request(apis: Apis, body, detail) -> None:
    with pytest.raises(BadRequestException) as caught:
        apis.runs.trigger_dag_run("etl_daily", body)
    assert detail in str(caught.value)
    assert apis.runs.get_dag_runs("etl_daily").total_entries == 2


def test_a_trigger_is_sent_once_even_when_the_server_fails(apis: Apis,
                                                          airflow_api: AirflowApiServer) -> None:
    airflow_api.faults.fail_next(1, status=503)

    with pytest.raises(airflow_python_sdk.ServiceException) as caught:
        apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="maybe"))

    assert [entry.method for entry in airflow_api.request_log.entries()] == ["POST"]
    assert "the DAG run may exist" in str(caught.value)
    assert "get_dag_run" in str(caught.value)


def test_a_trigger_that_never_connected_says_nothing_may_exist() -> None:
    with AirflowApiServer() as stopped:
        url = stopped.url
    configuration = airflow_python_sdk.Configuration(host=url, username="admin",
                                                     password="admin")
    configuration.retries = 0
    client = airflow_python_sdk.ApiClient(configuration)
    with client, pytest.raises(airflow_python_sdk.ApiConnectionError) as caught:
        DAGRunApi(client).trigger_dag_run("etl_daily", DAGRun(dag_run_id="never"))
    assert "cannot connect" in str(caught.value)
    assert "may exist" not in str(caught.value)


def test_a_refused_trigger_says_nothing_may_exist(apis: Apis, airflow_api: AirflowApiServer
                                                  ) -> None:
    airflow_api.faults.fail_next(1, status=429)

    with pytest.raises(airflow_python_sdk.TooManyRequestsException) as caught:
        apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="refused"))

    assert "may exist" not in str(caught.value)


# -- mark a run ----------------------------------------------------------------------------------

def test_marking_a_run_success_sets_its_task_instances_success(apis: Apis) -> None:
    run = apis.runs.update_dag_run("etl_daily", SAMPLE_RUN, DAGRun(state=DagState.SUCCESS),
                                   update_mask=["state"])

    assert (run.dag_run_id, run.state) == (SAMPLE_RUN, DagState.SUCCESS)
    assert run.end_date is not None
    assert apis.states("etl_daily", datetime(2026, 11, 26, tzinfo=UTC)) == {
        "extract": "success", "load": "success", "transform": "success"}


def test_marking_a_run_failed_fails_what_runs_and_skips_what_waits(
        apis: Apis, airflow_api: AirflowApiServer) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="to_fail", execution_date=DATE))
    airflow_api.store.update(TaskInstanceKey("etl_daily", "extract", DATE), {"state": "running"})

    run = apis.runs.update_dag_run("etl_daily", "to_fail", {"state": "failed"})

    assert run.state == DagState.FAILED
    assert apis.states("etl_daily", DATE) == {
        "extract": "failed", "load": "skipped", "transform": "skipped"}


def test_queued_sends_a_run_back_to_the_queue_and_leaves_its_task_instances(apis: Apis) -> None:
    before = apis.states("etl_daily", datetime(2026, 11, 26, tzinfo=UTC))

    run = apis.runs.update_dag_run("etl_daily", SAMPLE_RUN, DAGRun(state="queued"))

    assert (run.state, run.end_date) == (DagState.QUEUED, None)
    assert apis.states("etl_daily", datetime(2026, 11, 26, tzinfo=UTC)) == before


def test_a_note_is_set_and_cleared_alone(apis: Apis) -> None:
    noted = apis.runs.update_dag_run("etl_daily", SAMPLE_RUN, DAGRun(note="checked"),
                                     update_mask=["note"])
    assert (noted.note, noted.state) == ("checked", DagState.FAILED)
    assert apis.runs.get_dag_run("etl_daily", SAMPLE_RUN).note == "checked"

    cleared = apis.runs.update_dag_run("etl_daily", SAMPLE_RUN, DAGRun(note=None),
                                       update_mask=["note"])
    assert cleared.note is None


@pytest.mark.parametrize(("body", "mask", "detail"), [
    (DAGRun(state="running"), None, "'running' is not one of"),
    (DAGRun(conf={"a": 1}), None, "'conf' cannot be updated"),
    (DAGRun(note="x"), ["state"], "the body does not set it"),
    (DAGRun(state="success"), ["conf"], "'conf' cannot be updated"),
    (DAGRun(), None, "Nothing to update"),
])
def test_only_the_state_and_the_note_can_change(apis: Apis, body, mask, detail) -> None:
    with pytest.raises(BadRequestException) as caught:
        apis.runs.update_dag_run("etl_daily", SAMPLE_RUN, body, update_mask=mask)
    assert detail in str(caught.value)
    assert apis.runs.get_dag_run("etl_daily", SAMPLE_RUN).state == DagState.FAILED


def test_a_missing_run_cannot_be_marked(apis: Apis) -> None:
    with pytest.raises(NotFoundException):
        apis.runs.update_dag_run("etl_daily", "no_such_run", DAGRun(state="success"))


# -- clear -------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [ClearDagRun(), {}, {"dry_run": None}, ClearDagRun(dry_run=True)],
                         ids=["model", "dict", "null", "explicit"])
def test_clearing_a_run_is_a_dry_run_unless_said_otherwise(apis: Apis, body) -> None:
    when = datetime(2026, 11, 26, tzinfo=UTC)
    before = apis.states("etl_daily", when)

    listed = apis.runs.clear_dag_run("etl_daily", SAMPLE_RUN, body)

    assert sorted(ref.task_id for ref in listed.task_instances) == ["extract", "load", "transform"]
    assert {ref.dag_run_id for ref in listed.task_instances} == {SAMPLE_RUN}
    assert apis.states("etl_daily", when) == before
    assert apis.runs.get_dag_run("etl_daily", SAMPLE_RUN).state == DagState.FAILED


def test_clearing_a_run_for_real_puts_it_back_to_queued_and_its_tasks_run_again(
        apis: Apis, airflow_api: AirflowApiServer) -> None:
    when = datetime(2026, 11, 26, tzinfo=UTC)

    cleared = apis.runs.clear_dag_run("etl_daily", SAMPLE_RUN, ClearDagRun(dry_run=False))

    assert sorted(ref.task_id for ref in cleared.task_instances) == [
        "extract", "load", "transform"]
    assert apis.states("etl_daily", when) == {"extract": None, "load": None, "transform": None}
    run = apis.runs.get_dag_run("etl_daily", SAMPLE_RUN)
    assert (run.state, run.end_date) == (DagState.QUEUED, None)
    # Each keeps its try number until it runs again, then makes the next try.
    assert apis.task_instances.get_task_instance("etl_daily", "transform", when).try_number == 2
    airflow_api.run_cleared()
    transform = apis.task_instances.get_task_instance("etl_daily", "transform", when)
    assert (transform.try_number, transform.state.value) == (3, "success")
    tries = apis.task_instances.get_task_instance_tries("etl_daily", "transform", when)
    assert [t.try_number for t in tries.task_instances] == [1, 2, 3]
    assert apis.runs.get_dag_run("etl_daily", SAMPLE_RUN).state == DagState.SUCCESS


def test_clear_refuses_fields_it_does_not_know(apis: Apis) -> None:
    with pytest.raises(BadRequestException):
        apis.runs.clear_dag_run("etl_daily", SAMPLE_RUN, {"dry_run": False, "only_failed": True})
    assert apis.runs.get_dag_run("etl_daily", SAMPLE_RUN).state == DagState.FAILED


# -- delete --------------------------------------------------------------------------------------

def test_deleting_a_run_deletes_its_task_instances(apis: Apis, airflow_api: AirflowApiServer
                                                   ) -> None:
    total = len(airflow_api.store)

    apis.runs.delete_dag_run("etl_daily", SAMPLE_RUN)

    assert [run.dag_run_id for run in apis.runs.get_dag_runs("etl_daily").dag_runs] == [
        RUNNING_RUN]
    assert len(airflow_api.store) == total - 3
    with pytest.raises(NotFoundException):
        apis.task_instances.get_task_instance("etl_daily", "transform",
                                              datetime(2026, 11, 26, tzinfo=UTC))
    with pytest.raises(NotFoundException):
        apis.runs.delete_dag_run("etl_daily", SAMPLE_RUN)
    # The run's date is free again.
    again = apis.runs.trigger_dag_run("etl_daily", DAGRun(
        execution_date=datetime(2026, 11, 26, tzinfo=UTC)))
    assert again.dag_run_id == "manual__2026-11-26T00:00:00+00:00"
