"""The embedded server's scheduler, over loopback HTTP: runs a client starts go queued -> running
-> success or failed by themselves, each task as its script says; nothing else moves."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.testing import SeedError
from airflow_python_sdk.testing.sample_data import sample_task_instances
from airflow_python_sdk.testing.seeding import build_records
from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.testing.store import TaskInstanceStore

UTC = timezone.utc
DATE = datetime(2026, 12, 1, tzinfo=UTC)
ETL = {"dag_id": "etl", "tasks": [
    {"task_id": "extract", "downstream": ["transform", "audit"]},
    {"task_id": "transform", "downstream": ["load"], "retries": 1,
     "outcome": ["failed", "success"], "log": "KeyError: 'customer_id'"},
    {"task_id": "load"},
    {"task_id": "audit", "outcome": "skipped", "downstream": ["report"]},
    {"task_id": "report"},
]}
BROKEN = {"dag_id": "broken", "tasks": [
    {"task_id": "first", "downstream": ["second"], "outcome": "failed", "log": "ValueError: no"},
    {"task_id": "second"},
]}


@dataclass
class Apis:
    runs: DAGRunApi
    dags: DAGApi
    task_instances: TaskInstanceApi

    def states(self, dag_id: str, when: datetime) -> dict[str, tuple[object, object]]:
        page = self.task_instances.get_task_instances(dag_id, execution_date_gte=when,
                                                      execution_date_lte=when)
        return {ti.task_id: (ti.state.value if ti.state else None, ti.try_number)
                for ti in page.task_instances}


@pytest.fixture
def apis(airflow_api: AirflowApiServer) -> Iterator[Apis]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as client:
        yield Apis(DAGRunApi(client), DAGApi(client), TaskInstanceApi(client))


def test_without_being_asked_nothing_moves(airflow_api: AirflowApiServer, apis: Apis) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="idle", execution_date=DATE))
    time.sleep(0.3)  # longer than a pace: a running scheduler would have started the run

    assert not airflow_api.scheduler.running
    assert apis.runs.get_dag_run("etl_daily", "idle").state.value == "queued"
    assert set(apis.states("etl_daily", DATE).values()) == {(None, 0)}


@pytest.mark.airflow_api(dags=[ETL, BROKEN], pace=0)
def test_a_triggered_run_runs_each_task_as_its_script_says(apis: Apis) -> None:
    result = apis.runs.trigger_dag_run_and_wait("etl", DAGRun(execution_date=DATE), timeout=10)

    assert result.state == "success"
    assert apis.states("etl", DATE) == {
        "extract": ("success", 1), "transform": ("success", 2), "load": ("success", 1),
        "audit": ("skipped", 1), "report": ("skipped", 0)}
    tries = apis.task_instances.get_task_instance_tries("etl", "transform", DATE)
    assert [(t.try_number, t.state.value) for t in tries.task_instances] == [
        (1, "up_for_retry"), (2, "success")]
    first_log = apis.task_instances.get_logs("etl", "transform", DATE, 1).content
    assert "KeyError: 'customer_id'" in first_log and "UP_FOR_RETRY" in first_log
    assert "Marking task as SUCCESS" in apis.task_instances.get_logs(
        "etl", "transform", DATE, 2).content

    failed = apis.runs.trigger_dag_run_and_wait("broken", DAGRun(execution_date=DATE), timeout=10)
    assert failed.state == "failed"
    assert {(ti.task_id, ti.state.value) for ti in failed.not_succeeded} == {
        ("first", "failed"), ("second", "upstream_failed")}


@pytest.mark.airflow_api(pace=0.2)
def test_a_run_is_queued_then_running_then_done_at_the_pace(apis: Apis) -> None:
    # ml_training: train_model (fails once, retries) and evaluate, side by side.
    run = apis.runs.trigger_dag_run("ml_training", DAGRun(dag_run_id="paced", execution_date=DATE))
    assert run.state.value == "queued"
    seen = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = apis.runs.get_dag_run("ml_training", "paced").state.value
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == "success":
            break
        time.sleep(0.02)
    assert seen == ["queued", "running", "success"]


@pytest.mark.airflow_api(dags=[{"dag_id": "slow", "tasks": [
    {"task_id": "sleepy", "duration": 0.5}]}], pace=0)
def test_a_task_takes_the_time_its_script_gives(apis: Apis) -> None:
    started = time.monotonic()
    result = apis.runs.trigger_dag_run_and_wait("slow", DAGRun(execution_date=DATE), timeout=10)

    assert result.succeeded
    assert time.monotonic() - started >= 0.5
    ti = apis.task_instances.get_task_instance("slow", "sleepy", DATE)
    assert ti.duration == 0.5


@pytest.mark.airflow_api(pace=0)
def test_a_paused_dags_runs_stay_queued_until_it_is_unpaused(apis: Apis) -> None:
    apis.runs.trigger_dag_run("legacy_export", DAGRun(dag_run_id="held", execution_date=DATE))
    time.sleep(0.2)
    assert apis.runs.get_dag_run("legacy_export", "held").state.value == "queued"

    apis.dags.update_dag("legacy_export", DAG(is_paused=False), update_mask=["is_paused"])
    done = apis.runs.wait_for_dag_run("legacy_export", "held", timeout=10)
    assert done.state.value == "success"


@pytest.mark.airflow_api(pace=0)
def test_a_cleared_run_runs_again_with_the_next_try_numbers(apis: Apis) -> None:
    first = apis.runs.trigger_dag_run_and_wait(
        "nightly_inventory", DAGRun(dag_run_id="night", execution_date=DATE), timeout=10)
    assert first.state == "failed"  # reconcile fails on try 1 and has no retries
    assert apis.states("nightly_inventory", DATE)["reconcile"] == ("failed", 1)

    cleared = apis.runs.clear_dag_run("nightly_inventory", "night", ClearDagRun(dry_run=False))
    assert len(cleared.task_instances) == 3
    again = apis.runs.wait_for_dag_run("nightly_inventory", "night", timeout=10)

    assert again.state.value == "success"  # try 2 of reconcile succeeds
    assert apis.states("nightly_inventory", DATE) == {
        "extract": ("success", 2), "reconcile": ("success", 2), "notify": ("success", 1)}


@pytest.mark.airflow_api(pace=0)
def test_the_seed_history_never_moves_but_cleared_sample_work_runs(
        airflow_api: AirflowApiServer, apis: Apis) -> None:
    # etl_daily at 2026-11-27: extract is running in the sample data, and stays so.
    running = datetime(2026, 11, 27, tzinfo=UTC)
    time.sleep(0.2)
    assert apis.states("etl_daily", running) == {"extract": ("running", 1)}

    # A clear hands the cleared work to the scheduler: transform's try 3 succeeds (its script
    # fails try 1 only), and load runs once after it.
    sample = datetime(2026, 11, 26, tzinfo=UTC)
    cleared = apis.dags.clear_task_instances("etl_daily", ClearTaskInstance(
        dry_run=False, task_ids=["transform", "load"], start_date=sample, end_date=sample,
        only_failed=False))
    done = apis.task_instances.wait_for_task_instances(cleared, timeout=10)
    assert [(ti.task_id, ti.state.value, ti.try_number) for ti in done] == [
        ("load", "success", 1), ("transform", "success", 3)]


def test_run_until_idle_takes_every_step_at_once(airflow_api: AirflowApiServer,
                                                 apis: Apis) -> None:
    airflow_api.scheduler.pace = 60  # steps a minute apart: only run_until_idle can take them
    apis.runs.trigger_dag_run("reporting", DAGRun(dag_run_id="now", execution_date=DATE))
    airflow_api.scheduler.run_until_idle()

    assert apis.runs.get_dag_run("reporting", "now").state.value == "failed"
    assert apis.states("reporting", DATE) == {
        "build_report": ("success", 1), "email_report": ("failed", 1), "archive": ("skipped", 1)}


@pytest.mark.airflow_api(pace=0.3)
def test_a_run_deleted_while_it_runs_is_gone_with_its_task_instances(
        airflow_api: AirflowApiServer, apis: Apis) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="doomed", execution_date=DATE))
    time.sleep(0.4)  # running by now
    apis.runs.delete_dag_run("etl_daily", "doomed")
    time.sleep(0.4)  # the scheduler's next step finds it gone

    assert apis.states("etl_daily", DATE) == {}
    assert airflow_api.store.transact(lambda tables: len(tables.work)) == 0


def test_the_sample_dags_declare_the_tasks_their_task_instances_name(
        airflow_api: AirflowApiServer) -> None:
    derived = TaskInstanceStore(build_records(sample_task_instances()))
    for dag_id in derived.dag_ids():
        declared, found = airflow_api.store.dag(dag_id), derived.dag(dag_id)
        assert declared is not None and found is not None
        assert [(t.task_id, t.downstream, t.operator, t.retries, t.pool, t.queue)
                for t in declared.tasks.values()] == [
            (t.task_id, t.downstream, t.operator, t.retries, t.pool, t.queue)
            for t in found.tasks.values()], dag_id


@pytest.mark.parametrize(("task", "message"), [
    ({"task_id": "t", "outcome": "exploded"}, "outcome must be one of"),
    ({"task_id": "t", "outcome": []}, "outcome must be one of"),
    ({"task_id": "t", "duration": -1}, "duration must be"),
    ({"task_id": "t", "duration": float("nan")}, "duration must be"),
    ({"task_id": "t", "log": 3}, "must be text"),
])
def test_a_script_that_cannot_run_is_refused_when_declared(airflow_api: AirflowApiServer,
                                                          task, message) -> None:
    with pytest.raises(SeedError, match=message):
        airflow_api.add_dags([{"dag_id": "bad", "tasks": [task]}])


def test_a_pace_that_is_not_seconds_is_refused(airflow_api: AirflowApiServer) -> None:
    for pace in (-1, float("nan"), float("inf"), "1", True):
        with pytest.raises(ValueError, match="pace must be"):
            airflow_api.scheduler.start(pace=pace)
    assert not airflow_api.scheduler.running


def test_reset_stops_the_scheduler_a_test_started(airflow_api: AirflowApiServer) -> None:
    airflow_api.scheduler.start(pace=0)
    airflow_api.reset()
    assert not airflow_api.scheduler.running
    assert airflow_api.scheduler.pace == 0.25
