"""The DAG and DAG run operations on real Airflow 2 and 3: list DAGs by pattern, pause and
unpause one and several, trigger a run with a conf and a note, mark it success, clear it (a dry
run, then for real) and delete it.

The DAGs are sdk_dag_ops and sdk_dag_ops_spare (integration/real_airflow/dags/sdk_dag_ops.py),
which the tests leave paused: the run they trigger stays queued, so what each step reads is what
the step before did, not the scheduler. The steps run in file order and build on one another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from airflow_python_sdk import ApiClient, Configuration, ConflictException, NotFoundException
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.model.clear_dag_run import ClearDagRun
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.dag_state import DagState
from integration.real_airflow.maintenance_run import AirflowServer

DAG_ID = "sdk_dag_ops"
SPARE = "sdk_dag_ops_spare"
PATTERN = "sdk_dag_ops"
RUN_ID = "dag_ops_run_20261128"
DATE = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
CONF = {"rows": 3, "mode": "full"}
NOTE = "triggered by the SDK's real-server test"


@dataclass
class Apis:
    dialect: str
    client: ApiClient

    @property
    def dags(self) -> DAGApi:
        return DAGApi(self.client)

    @property
    def runs(self) -> DAGRunApi:
        return DAGRunApi(self.client)

    def states(self) -> list[tuple[str, Any]]:
        page = PoolApi(self.client).get_task_instances(DAG_ID, execution_date_gte=DATE,
                                                       execution_date_lte=DATE)
        return sorted((ti.task_id, ti.state.value if ti.state else None)
                      for ti in page.task_instances)

    def say(self, what: str, value: Any) -> None:
        print(f"\n{self.dialect}: {what} -> {value}")


def _paused(dags: Any) -> list[tuple[str, Any]]:
    return [(dag.dag_id, dag.is_paused) for dag in dags]


class DagOperationSteps:
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

    def test_dags_by_pattern(self, apis: Apis) -> None:
        page = apis.dags.get_dags(dag_id_pattern=PATTERN)
        walked = [dag.dag_id for dag in apis.dags.iter_dags(dag_id_pattern="SDK_DAG_OPS")]
        dag = apis.dags.get_dag(DAG_ID)

        assert [dag.dag_id for dag in page.dags] == walked == [DAG_ID, SPARE]
        assert page.total_entries == 2
        assert (dag.is_paused, dag.is_active, dag.schedule_interval) == (True, True, None)
        assert sorted(tag.name for tag in dag.tags) == ["sdk-dag-ops", "sdk-integration"]
        every = [dag.dag_id for dag in apis.dags.iter_dags(dag_id_pattern="~")]
        assert {DAG_ID, SPARE, "sdk_family", "sdk_maintenance"} <= set(every)
        apis.say(f"get_dags(dag_id_pattern={PATTERN!r})",
                 f"{[d.dag_id for d in page.dags]}, total_entries={page.total_entries}")
        apis.say("get_dag(sdk_dag_ops)", f"is_paused={dag.is_paused}, is_active={dag.is_active}, "
                 f"tags={sorted(tag.name for tag in dag.tags)}")

    def test_pause_and_unpause(self, apis: Apis) -> None:
        unpaused = apis.dags.update_dag(SPARE, DAG(is_paused=False), update_mask=["is_paused"])
        assert (unpaused.dag_id, unpaused.is_paused) == (SPARE, False)
        assert apis.dags.get_dag(SPARE).is_paused is False
        apis.say(f"update_dag({SPARE}, is_paused=False)", f"is_paused={unpaused.is_paused}")

        # Only the unpaused one matches `paused=False`: it alone is changed and answered.
        paused = apis.dags.update_dags(DAG(is_paused=True), PATTERN, paused=False)
        assert _paused(paused.dags) == [(SPARE, True)]
        apis.say(f"update_dags(is_paused=True, {PATTERN!r}, paused=False)", _paused(paused.dags))

        both = apis.dags.update_dags(DAG(is_paused=False), PATTERN)
        assert _paused(both.dags) == [(DAG_ID, False), (SPARE, False)]
        assert _paused(apis.dags.get_dags(dag_id_pattern=PATTERN).dags) == [
            (DAG_ID, False), (SPARE, False)]
        again = apis.dags.update_dags(DAG(is_paused=True), PATTERN)
        assert _paused(again.dags) == [(DAG_ID, True), (SPARE, True)]
        listed = apis.dags.get_dags(dag_id_pattern=PATTERN, paused=True)
        assert [dag.dag_id for dag in listed.dags] == [DAG_ID, SPARE]
        apis.say(f"update_dags(is_paused=False, {PATTERN!r})", _paused(both.dags))
        apis.say(f"update_dags(is_paused=True, {PATTERN!r})", _paused(again.dags))

    def test_trigger_with_conf_and_note(self, apis: Apis) -> None:
        run = apis.runs.trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN_ID, execution_date=DATE,
                                                       conf=CONF, note=NOTE))

        assert (run.dag_run_id, run.state, run.execution_date) == (RUN_ID, DagState.QUEUED, DATE)
        assert (run.conf, run.note, run.external_trigger, run.run_type) == (
            CONF, NOTE, True, "manual")
        read = apis.runs.get_dag_run(DAG_ID, RUN_ID)
        assert (read.state, read.conf, read.note) == (DagState.QUEUED, CONF, NOTE)
        assert apis.states() == [("prepare", None), ("publish", None)]
        with pytest.raises(ConflictException):
            apis.runs.trigger_dag_run(DAG_ID, DAGRun(dag_run_id=RUN_ID, execution_date=DATE))
        apis.say("trigger_dag_run(conf, note)", f"{run.dag_run_id} {run.state.value} "
                 f"execution_date={run.execution_date.isoformat()} conf={run.conf} "
                 f"note={run.note!r}")

    def test_mark_the_run_success(self, apis: Apis) -> None:
        marked = apis.runs.update_dag_run(DAG_ID, RUN_ID, DAGRun(state=DagState.SUCCESS),
                                          update_mask=["state"])
        noted = apis.runs.update_dag_run(DAG_ID, RUN_ID, DAGRun(note="marked by the SDK"),
                                         update_mask=["note"])

        assert marked.state == DagState.SUCCESS and marked.end_date is not None
        assert (noted.state, noted.note) == (DagState.SUCCESS, "marked by the SDK")
        # Airflow 2 marks the tasks that had not run success, Airflow 3 skipped.
        expected = "success" if self.dialect == "airflow2" else "skipped"
        assert apis.states() == [("prepare", expected), ("publish", expected)]
        apis.say("update_dag_run(state=success)", f"state={marked.state.value}, tasks "
                 f"{apis.states()}")
        apis.say("update_dag_run(note)", repr(noted.note))

    def test_clear_the_run_dry_then_for_real(self, apis: Apis) -> None:
        dry = apis.runs.clear_dag_run(DAG_ID, RUN_ID, ClearDagRun())
        assert sorted(ref.task_id for ref in dry.task_instances) == ["prepare", "publish"]
        assert apis.runs.get_dag_run(DAG_ID, RUN_ID).state == DagState.SUCCESS

        cleared = apis.runs.clear_dag_run(DAG_ID, RUN_ID, ClearDagRun(dry_run=False))
        assert sorted(ref.task_id for ref in cleared.task_instances) == ["prepare", "publish"]
        run = apis.runs.get_dag_run(DAG_ID, RUN_ID)
        assert (run.state, run.end_date) == (DagState.QUEUED, None)  # paused: it stays queued
        assert apis.states() == [("prepare", None), ("publish", None)]
        apis.say("clear_dag_run(dry_run=True)",
                 sorted(ref.task_id for ref in dry.task_instances))
        apis.say("clear_dag_run(dry_run=False)",
                 f"{sorted(ref.task_id for ref in cleared.task_instances)}, run "
                 f"{run.state.value}, tasks {apis.states()}")

    def test_delete_the_run(self, apis: Apis) -> None:
        assert apis.runs.delete_dag_run(DAG_ID, RUN_ID) is None

        with pytest.raises(NotFoundException):
            apis.runs.get_dag_run(DAG_ID, RUN_ID)
        assert apis.runs.get_dag_runs(DAG_ID).total_entries == 0
        assert apis.states() == []
        apis.say("delete_dag_run", "get_dag_run -> 404, get_dag_runs -> 0 runs")


    def test_the_arguments_scripts_for_the_official_client_pass(self, apis: Apis,
                                                                  server: AirflowServer) -> None:
        # On the finished run of sdk_maintenance: echo_ok succeeded and pushed its last line.
        dag_id, run_id, when = server.dag_id, server.run_id, server.logical_date
        runs = apis.runs.get_dag_runs(dag_id, fields=["dag_run_id", "state"])
        assert {run.dag_run_id for run in runs.dag_runs} >= {run_id}
        assert all(set(run.to_dict()) <= {"dag_run_id", "state"} for run in runs.dag_runs)
        tries = TaskInstanceApi(apis.client).get_task_instance_tries(
            dag_id, "echo_ok", when, limit=1, order_by="-try_number")
        assert len(tries.task_instances) == 1 and tries.total_entries >= 1
        entries = XComApi(apis.client).get_x_com_values(dag_id, "echo_ok", when,
                                                        xcom_key="return_value")
        assert [entry.key for entry in entries.xcom] == ["return_value"]
        changed = PoolApi(apis.client).get_task_instances(
            dag_id, updated_at_gte=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        assert {ti.task_id for ti in changed.task_instances} >= {"echo_ok"}
        apis.say("get_dag_runs(fields=[dag_run_id, state])",
                 [run.to_dict() for run in runs.dag_runs if run.dag_run_id == run_id])
        apis.say("get_task_instance_tries(limit=1, order_by=-try_number)",
                 f"{[t.try_number for t in tries.task_instances]} of {tries.total_entries}")
        apis.say("get_x_com_values(xcom_key=return_value)", [e.key for e in entries.xcom])


class TestDagOperationsOnAirflow2(DagOperationSteps):
    dialect = "airflow2"

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server


class TestDagOperationsOnAirflow3(DagOperationSteps):
    dialect = "airflow3"

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server
