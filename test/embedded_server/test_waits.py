"""Waiting for DAG runs and task instances, over loopback HTTP against the embedded server: what
a wait returns, and how it ends when what it waits for cannot finish (a paused DAG, a timeout, a
run deleted meanwhile) or the server has a bad moment (a 503, a dropped connection)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk import (
    ApiValueError,
    DagPausedError,
    NotFoundException,
    ServiceException,
    WaitTimeoutError,
)
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.testing.server import AirflowApiServer

UTC = timezone.utc
DATE = datetime(2026, 12, 1, tzinfo=UTC)
SAMPLE = datetime(2026, 11, 26, tzinfo=UTC)
SAMPLE_RUN = "scheduled__2026-11-26T00:00:00+00:00"
TWO_STEPS = {"dag_id": "two_steps", "tasks": [
    {"task_id": "first", "downstream": ["second"]}, {"task_id": "second", "outcome": "failed",
                                                     "log": "RuntimeError: second broke"}]}


@dataclass
class Apis:
    runs: DAGRunApi
    dags: DAGApi
    task_instances: TaskInstanceApi


@pytest.fixture
def apis(airflow_api: AirflowApiServer) -> Iterator[Apis]:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="admin")
    with airflow_python_sdk.ApiClient(configuration) as client:
        yield Apis(DAGRunApi(client), DAGApi(client), TaskInstanceApi(client))


def _polls(server: AirflowApiServer, suffix: str) -> list[object]:
    """The statuses of the GETs whose path ends with `suffix` (None: the connection dropped)."""
    return [entry.status for entry in server.request_log.entries()
            if entry.method == "GET" and entry.path.endswith(suffix)]


# -- what a wait returns ---------------------------------------------------------------------

@pytest.mark.airflow_api(dags=[TWO_STEPS], pace=0)
def test_trigger_and_wait_answers_the_run_and_what_did_not_succeed(
        airflow_api: AirflowApiServer, apis: Apis) -> None:
    result = apis.runs.trigger_dag_run_and_wait(
        "two_steps", DAGRun(dag_run_id="one_call", conf={"rows": 3}, note="from a test"),
        timeout=10)

    # At pace 0 the run is done by the first or second poll: the wait never reaches the
    # longer pauses (a unit test's pace).
    assert 1 <= len(_polls(airflow_api, "/dagRuns/one_call")) <= 2
    assert (result.state, result.succeeded) == ("failed", False)
    assert (result.dag_run.dag_run_id, result.dag_run.conf, result.dag_run.note) == (
        "one_call", {"rows": 3}, "from a test")
    assert [(ti.task_id, ti.state.value, ti.try_number) for ti in result.not_succeeded] == [
        ("second", "failed", 1)]
    assert [ti.task_id for ti in result.failed()] == ["second"]
    # The run had a date though none was given: its task instances are found by it.
    assert result.dag_run.execution_date is not None
    log = apis.task_instances.get_logs("two_steps", "second", result.dag_run.execution_date, 1)
    assert "RuntimeError: second broke" in log.content
    posts = [entry for entry in airflow_api.request_log.entries() if entry.method == "POST"]
    assert len(posts) == 1


def test_waiting_for_a_finished_run_takes_one_request(airflow_api: AirflowApiServer,
                                                     apis: Apis) -> None:
    run = apis.runs.wait_for_dag_run("etl_daily", SAMPLE_RUN, timeout=5)

    assert run.state.value == "failed"
    assert len(airflow_api.request_log) == 1


@pytest.mark.airflow_api(pace=0)
def test_waiting_for_cleared_task_instances_gives_their_new_tries_with_one_request_per_poll(
        airflow_api: AirflowApiServer, apis: Apis) -> None:
    # etl_daily's sample run: transform failed twice, load is upstream_failed.
    cleared = apis.dags.clear_task_instances("etl_daily", ClearTaskInstance(
        dry_run=False, start_date=SAMPLE, end_date=SAMPLE, only_failed=False,
        task_ids=["transform", "load"]))
    airflow_api.request_log.clear()

    done = apis.task_instances.wait_for_task_instances(cleared, timeout=10)

    assert [(ti.task_id, ti.state.value, ti.try_number) for ti in done] == [
        ("load", "success", 1), ("transform", "success", 3)]
    # One list request per poll for the whole run (not one per task instance); besides them at
    # most the question whether the DAG is paused, when a poll came before the rerun started.
    lists = _polls(airflow_api, "/taskInstances")
    others = [entry.path for entry in airflow_api.request_log.entries()
              if not entry.path.endswith("/taskInstances")]
    assert lists and others in ([], ["/api/v1/dags/etl_daily"])


def test_task_instances_already_finished_are_returned_at_once(airflow_api: AirflowApiServer,
                                                             apis: Apis) -> None:
    page = apis.task_instances.get_task_instances(
        "partitioned_load", execution_date_gte=SAMPLE, execution_date_lte=SAMPLE)
    airflow_api.request_log.clear()

    done = apis.task_instances.wait_for_task_instances(page.task_instances, timeout=5)

    assert [(ti.task_id, ti.get("map_index")) for ti in done] == [
        (ti.task_id, ti.get("map_index")) for ti in page.task_instances]
    assert len(airflow_api.request_log) == 1  # the mapped instances are told apart
    assert apis.task_instances.wait_for_task_instances([], timeout=5) == []


# -- a run that cannot start or finish -------------------------------------------------------

@pytest.mark.airflow_api(pace=0)
def test_waiting_for_a_run_of_a_paused_dag_says_so_at_once(airflow_api: AirflowApiServer,
                                                           apis: Apis) -> None:
    apis.runs.trigger_dag_run("legacy_export", DAGRun(dag_run_id="held", execution_date=DATE))
    started = time.monotonic()

    with pytest.raises(DagPausedError) as caught:
        apis.runs.wait_for_dag_run("legacy_export", "held", timeout=30)

    assert time.monotonic() - started < 5  # not the 30 s of the timeout
    assert "DAG 'legacy_export' is paused" in str(caught.value)
    assert "airflow-sdk unpause legacy_export" in str(caught.value)
    assert (caught.value.dag_id, caught.value.last_state) == ("legacy_export", "queued")
    assert isinstance(caught.value, airflow_python_sdk.ApiException)


@pytest.mark.airflow_api(pace=0)
def test_waiting_for_task_instances_of_a_paused_dag_says_so_at_once(apis: Apis) -> None:
    apis.runs.trigger_dag_run("legacy_export", DAGRun(dag_run_id="held", execution_date=DATE))
    page = apis.task_instances.get_task_instances(
        "legacy_export", execution_date_gte=DATE, execution_date_lte=DATE)

    with pytest.raises(DagPausedError, match=r"DAG 'legacy_export' is paused: 2 task instances "
                                             r"\(task instance legacy_export\.export at .*\) "
                                             r"cannot start"):
        apis.task_instances.wait_for_task_instances(page.task_instances, timeout=30)


@pytest.mark.airflow_api(dags=[{"dag_id": "long", "tasks": [{"task_id": "hours",
                                                               "duration": 3600}]}], pace=0)
def test_waiting_for_a_running_run_of_a_paused_dag_says_so_at_once(apis: Apis) -> None:
    apis.runs.trigger_dag_run("long", DAGRun(dag_run_id="halted", execution_date=DATE))
    # The run starts at once (pace 0); its one task takes an hour.
    deadline = time.monotonic() + 5
    while apis.runs.get_dag_run("long", "halted").state.value != "running":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    apis.dags.update_dag("long", {"is_paused": True}, update_mask=["is_paused"])

    with pytest.raises(DagPausedError) as caught:
        apis.runs.wait_for_dag_run("long", "halted", timeout=30)

    assert "its run 'halted' (running) cannot finish until it is unpaused" in str(caught.value)


def test_a_wait_that_runs_out_of_time_says_what_it_last_saw(airflow_api: AirflowApiServer,
                                                            apis: Apis) -> None:
    # No scheduler: the run stays queued.
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="stuck", execution_date=DATE))
    started = time.monotonic()

    with pytest.raises(WaitTimeoutError) as caught:
        apis.runs.wait_for_dag_run("etl_daily", "stuck", timeout=1, poll_interval=0.5)

    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 1.5
    error = caught.value
    assert (error.last_state, error.timeout, error.last_error) == ("queued", 1.0, None)
    assert str(error) == ("DAG run 'stuck' of DAG 'etl_daily' had not finished after 1 s "
                          "(last state: queued)")
    # Polls back off from 0.1 s to the 0.5 s cap: t = 0, 0.1, 0.3, 0.7, 1.0; not one per 0.1 s.
    assert 4 <= len(_polls(airflow_api, "/dagRuns/stuck")) <= 6


def test_task_instances_that_run_out_of_time_give_each_ones_last_state(apis: Apis) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="stuck", execution_date=DATE))
    page = apis.task_instances.get_task_instances(
        "etl_daily", execution_date_gte=DATE, execution_date_lte=DATE)

    with pytest.raises(WaitTimeoutError) as caught:
        apis.task_instances.wait_for_task_instances(page, timeout=0.5)

    assert caught.value.last_state == {("etl_daily", "stuck", task, -1): None
                                       for task in ("extract", "load", "transform")}
    assert str(caught.value).startswith("3 of 3 task instances had not finished after 0.5 s: "
                                        "task instance etl_daily.extract at 2026-12-01")


@pytest.mark.airflow_api(pace=5)
def test_a_run_deleted_while_waited_for_is_not_found(airflow_api: AirflowApiServer,
                                                     apis: Apis) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="doomed", execution_date=DATE))
    deleter = threading.Timer(0.3, apis.runs.delete_dag_run, ("etl_daily", "doomed"))
    deleter.start()
    started = time.monotonic()
    try:
        with pytest.raises(NotFoundException):
            apis.runs.wait_for_dag_run("etl_daily", "doomed", timeout=30)
    finally:
        deleter.join()
    assert time.monotonic() - started < 5


@pytest.mark.airflow_api(pace=5)
def test_task_instances_deleted_while_waited_for_are_not_found(apis: Apis) -> None:
    apis.runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="doomed", execution_date=DATE))
    page = apis.task_instances.get_task_instances(
        "etl_daily", execution_date_gte=DATE, execution_date_lte=DATE)
    deleter = threading.Timer(0.3, apis.runs.delete_dag_run, ("etl_daily", "doomed"))
    deleter.start()
    try:
        with pytest.raises(NotFoundException, match=r"not found \(deleted, or never existed\)"):
            apis.task_instances.wait_for_task_instances(page, timeout=30)
    finally:
        deleter.join()


# -- a server's bad moments ------------------------------------------------------------------

@pytest.mark.airflow_api(pace=0.2)
def test_a_503_mid_wait_is_polled_through(airflow_api: AirflowApiServer, apis: Apis) -> None:
    apis.runs.trigger_dag_run("ml_training", DAGRun(dag_run_id="bumpy", execution_date=DATE))
    apis.runs.get_dag_run("ml_training", "bumpy")  # the wait starts after this
    airflow_api.faults.fail_next(2, status=503, retry_after=None)

    run = apis.runs.wait_for_dag_run("ml_training", "bumpy", timeout=10)

    assert run.state.value == "success"
    statuses = _polls(airflow_api, "/dagRuns/bumpy")
    assert statuses[1:3] == [503, 503] and statuses[-1] == 200


@pytest.mark.airflow_api(pace=0.2)
def test_a_dropped_connection_mid_wait_is_polled_through(airflow_api: AirflowApiServer,
                                                        apis: Apis) -> None:
    apis.runs.trigger_dag_run("ml_training", DAGRun(dag_run_id="bumpy", execution_date=DATE))
    airflow_api.faults.drop_next(1)

    run = apis.runs.wait_for_dag_run("ml_training", "bumpy", timeout=10)

    assert run.state.value == "success"
    assert _polls(airflow_api, "/dagRuns/bumpy")[0] is None  # the dropped one


def test_a_wait_that_only_sees_503_ends_at_its_timeout_with_the_last_error(
        airflow_api: AirflowApiServer, apis: Apis) -> None:
    airflow_api.faults.fail_next(100, status=503, retry_after=None)
    started = time.monotonic()

    with pytest.raises(WaitTimeoutError) as caught:
        apis.runs.wait_for_dag_run("etl_daily", SAMPLE_RUN, timeout=0.8)

    assert time.monotonic() - started < 1.5
    assert caught.value.last_state is None
    assert isinstance(caught.value.last_error, ServiceException)
    assert "(last state: none read); the last poll failed: " in str(caught.value)
    assert "503" in str(caught.value)


@pytest.mark.parametrize("fault", ["503", "drop"])
def test_a_trigger_is_never_sent_twice(airflow_api: AirflowApiServer, apis: Apis,
                                       fault: str) -> None:
    if fault == "503":
        airflow_api.faults.fail_next(1, status=503, retry_after=None)
    else:
        airflow_api.faults.drop_next(1)  # the answer is cut in the middle of its body

    with pytest.raises(airflow_python_sdk.ApiException) as caught:
        apis.runs.trigger_dag_run_and_wait("etl_daily", DAGRun(dag_run_id="once"), timeout=10)

    posts = [entry for entry in airflow_api.request_log.entries() if entry.method == "POST"]
    assert len(posts) == 1
    # The trigger's error ends the call: no wait follows an unsure trigger.
    assert len(airflow_api.request_log) == 1
    expected = ServiceException if fault == "503" else airflow_python_sdk.ApiConnectionError
    assert isinstance(caught.value, expected)
    assert "the DAG run may exist" in str(caught.value)


# -- arguments -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [0, -1, math.nan, math.inf, -math.inf, "10", None, True,
                                   [5]])
@pytest.mark.parametrize("name", ["timeout", "poll_interval"])
def test_a_bad_timeout_or_poll_interval_is_refused_before_any_request(
        airflow_api: AirflowApiServer, apis: Apis, name: str, value: object) -> None:
    if name == "poll_interval" and value is None:
        return  # None is poll_interval's default
    calls = [
        lambda **kw: apis.runs.wait_for_dag_run("etl_daily", SAMPLE_RUN, **kw),
        lambda **kw: apis.runs.trigger_dag_run_and_wait("etl_daily", **kw),
        lambda **kw: apis.task_instances.wait_for_task_instances(
            [{"dag_id": "etl_daily", "task_id": "extract", "execution_date": SAMPLE}], **kw),
    ]
    for call in calls:
        with pytest.raises(ApiValueError, match=f"Invalid {name} "):
            call(**{name: value})
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize(("items", "message"), [
    ("etl_daily", "task_instances must be"),
    (None, "task_instances must be"),
    ([3], r"task_instances\[0\] is a int"),
    ([{"dag_id": "etl_daily", "task_id": "extract"}], r"task_instances\[0\] has no execution_"),
    ([{"task_id": "extract", "execution_date": SAMPLE}], r"task_instances\[0\] has no dag_id"),
])
def test_task_instances_a_wait_cannot_find_are_refused_before_any_request(
        airflow_api: AirflowApiServer, apis: Apis, items: object, message: str) -> None:
    with pytest.raises((ApiValueError, airflow_python_sdk.ApiTypeError), match=message):
        apis.task_instances.wait_for_task_instances(items, timeout=5)
    assert len(airflow_api.request_log) == 0


def test_a_wait_of_a_cleared_run_ends_with_the_clear(airflow_api: AirflowApiServer,
                                                    apis: Apis) -> None:
    # The scheduler starts after the wait: it finds the run queued, then finished.
    apis.runs.clear_dag_run("etl_daily", SAMPLE_RUN, ClearDagRun(dry_run=False))
    threading.Timer(0.3, airflow_api.scheduler.start, kwargs={"pace": 0}).start()

    run = apis.runs.wait_for_dag_run("etl_daily", SAMPLE_RUN, timeout=10)

    assert run.state.value == "success"
