"""A DAG run's life on real Airflow 2 and 3, with the SDK's waits: trigger with a conf and a note,
wait, read the failed task's log, clear the failures and wait for the rerun (try 2), the run
ending success; trigger and wait in one call; a paused DAG's run; the fixture's run_dag on a
mapped task one of whose instances fails.

The DAGs are sdk_dag_runs and sdk_mapped (integration/real_airflow/dags/sdk_dag_runs.py). The
steps run in file order and build on one another; each prints one line of what came back.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from airflow_python_sdk import ApiClient, Configuration, DagPausedError
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_logs
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.testing.real_airflow import DagNotFound
from integration.real_airflow.maintenance_run import AirflowServer

DAG_ID = "sdk_dag_runs"
RUN_ID = "sdk_waits_20261129"
DATE = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
ONE_CALL_RUN = "sdk_waits_one_call_20261130"
ONE_CALL_DATE = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
PAUSED_RUN = "sdk_waits_paused_20261201"
PAUSED_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
CONF = {"source": "orders", "rows": 120}
NOTE = "triggered and waited for by the SDK's real-server test"
WAIT_S = 240.0


@dataclass
class Apis:
    dialect: str
    client: ApiClient

    @property
    def runs(self) -> DAGRunApi:
        return DAGRunApi(self.client)

    @property
    def task_instances(self) -> TaskInstanceApi:
        return TaskInstanceApi(self.client)

    @property
    def dags(self) -> DAGApi:
        return DAGApi(self.client)

    def say(self, step: str, value: Any) -> None:
        print(f"\n{self.dialect}: {step} -> {value}")


def _states(task_instances: Any) -> list[tuple[str, Any, Any]]:
    return sorted((ti.task_id, ti.state.value if ti.state else None, ti.try_number)
                  for ti in task_instances)


class DagRunLife:
    dialect = ""

    @pytest.fixture
    def server(self) -> AirflowServer:
        raise NotImplementedError

    @pytest.fixture
    def apis(self, server: AirflowServer) -> Iterator[Apis]:
        configuration = Configuration(host=server.base_url, username=server.admin.username,
                                      password=server.admin.password, dialect=self.dialect)
        with ApiClient(configuration) as client:
            yield Apis(self.dialect, client)

    def test_trigger_with_conf_and_note_then_wait(self, apis: Apis) -> None:
        apis.dags.update_dag(DAG_ID, DAG(is_paused=False), update_mask=["is_paused"])
        run = apis.runs.trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN_ID, execution_date=DATE,
                                                       conf=CONF, note=NOTE))
        apis.say("trigger_dag_run(conf, note)", f"{run.dag_run_id} {run.state.value} "
                 f"conf={run.conf} note={run.note!r}")
        started = time.monotonic()

        finished = apis.runs.wait_for_dag_run(DAG_ID, RUN_ID, timeout=WAIT_S)

        took = time.monotonic() - started
        assert (finished.state.value, finished.conf, finished.note) == ("failed", CONF, NOTE)
        assert finished.end_date is not None
        apis.say("wait_for_dag_run", f"{finished.state.value} after {took:.1f} s")

    def test_read_the_failed_task_log(self, apis: Apis) -> None:
        page = apis.task_instances.get_task_instances(DAG_ID, execution_date_gte=DATE,
                                                      execution_date_lte=DATE)
        states = _states(page.task_instances)
        assert [(task, state) for task, state, _ in states] == [
            ("check_export", "failed"), ("prepare", "success"), ("publish", "upstream_failed")]
        assert states[0][2] == 1  # check_export's first try
        log = "".join(follow_logs(apis.task_instances, DAG_ID, "check_export", DATE, 1))

        # The last line that says it: the command's output (the first is the command echoed).
        line = [line for line in log.splitlines() if "first try fails" in line][-1]
        assert "the upstream export was not there yet" in line
        apis.say("get_task_instances", states)
        apis.say("logs of check_export, try 1", line.strip())

    def test_clear_the_failures_and_wait_for_the_rerun(self, apis: Apis) -> None:
        cleared = apis.dags.clear_task_instances(DAG_ID, ClearTaskInstance(
            dry_run=False, start_date=DATE, end_date=DATE, only_failed=True))
        names = sorted(ref.task_id for ref in cleared.task_instances)
        assert names == ["check_export", "publish"]
        apis.say("clear_task_instances(only_failed)", names)
        started = time.monotonic()

        reruns = apis.task_instances.wait_for_task_instances(cleared, timeout=WAIT_S)

        took = time.monotonic() - started
        by_task = {ti.task_id: (ti.state.value, ti.try_number) for ti in reruns}
        assert by_task["check_export"] == ("success", 2)
        assert by_task["publish"][0] == "success"
        apis.say("wait_for_task_instances", f"{_states(reruns)} after {took:.1f} s")
        run = apis.runs.wait_for_dag_run(DAG_ID, RUN_ID, timeout=WAIT_S)
        assert run.state.value == "success"
        log = "".join(follow_logs(apis.task_instances, DAG_ID, "check_export", DATE, 2))
        assert "try 2 found the export" in log
        apis.say("wait_for_dag_run after the rerun", run.state.value)

    def test_trigger_and_wait_in_one_call(self, apis: Apis) -> None:
        result = apis.runs.trigger_dag_run_and_wait(
            DAG_ID, DAGRun(dag_run_id=ONE_CALL_RUN, execution_date=ONE_CALL_DATE),
            timeout=WAIT_S)

        assert (result.state, result.succeeded) == ("failed", False)
        assert [(ti.task_id, ti.state.value) for ti in result.failed()] == [
            ("check_export", "failed"), ("publish", "upstream_failed")]
        apis.say("trigger_dag_run_and_wait", f"{result.state}; not succeeded: "
                 f"{[(ti.task_id, ti.state.value) for ti in result.not_succeeded]}")

    def test_a_paused_dag_ends_a_wait_at_once(self, apis: Apis) -> None:
        apis.dags.update_dag(DAG_ID, DAG(is_paused=True), update_mask=["is_paused"])
        apis.runs.trigger_dag_run(DAG_ID, DAGRun(dag_run_id=PAUSED_RUN,
                                                 execution_date=PAUSED_DATE))
        started = time.monotonic()
        try:
            with pytest.raises(DagPausedError) as caught:
                apis.runs.wait_for_dag_run(DAG_ID, PAUSED_RUN, timeout=WAIT_S)
        finally:
            apis.runs.delete_dag_run(DAG_ID, PAUSED_RUN)

        assert time.monotonic() - started < 30
        assert f"DAG '{DAG_ID}' is paused" in str(caught.value)
        apis.say("wait_for_dag_run on a paused DAG", str(caught.value).split(" (unpause")[0])

    def test_the_fixture_says_a_mapped_task_with_a_failed_index_failed(
            self, server: AirflowServer, apis: Apis) -> None:
        finished = server.server.run_dag("sdk_mapped", timeout_s=WAIT_S)
        server.server.pause_dag("sdk_mapped")

        assert finished.state == "failed"
        assert finished.task_states == {"load_partition": "failed"}
        assert finished.failed_tasks() == ["load_partition"]
        assert finished.task_instance_states == {("load_partition", 0): "success",
                                                 ("load_partition", 1): "failed",
                                                 ("load_partition", 2): "success"}
        apis.say("RealAirflow.run_dag(sdk_mapped)",
                 f"{finished.state}; task_states {finished.task_states}; "
                 f"failed_tasks() {finished.failed_tasks()}")


    def test_the_fixture_names_the_dags_a_server_has_for_an_unknown_one(
            self, server: AirflowServer) -> None:
        with pytest.raises(DagNotFound) as caught:
            server.server.trigger_dag_run("sdk_dag_runz")

        text = str(caught.value)
        assert text.startswith(f"Airflow {server.version} has no DAG 'sdk_dag_runz' (DAG folders: ")
        assert "Its DAGs: " in text and "sdk_dag_runs" in text
        assert "No DAG file that failed to import mentions 'sdk_dag_runz'." in text
        print(f"\n{self.dialect}: trigger_dag_run(sdk_dag_runz) -> DagNotFound: {text}")


class TestDagRunLifeOnAirflow2(DagRunLife):
    dialect = "airflow2"

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server


class TestDagRunLifeOnAirflow3(DagRunLife):
    dialect = "airflow3"

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server
