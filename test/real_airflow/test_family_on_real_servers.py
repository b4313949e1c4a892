"""The task-instance family on real Airflow 2 and 3: lists and pages, DAG runs, a mapped task
and its XCom, a clear dry run then a real clear whose rerun makes try 2, bulk state with
downstream.

Each server gets one run of `sdk_family` (integration/real_airflow/dags/sdk_family.py), made
once per server by `_prepare` through the public fixture's `run_dag` (the server's scheduler keeps
running, so the clear's rerun happens); the DAG is paused after this file's tests, so later tests
see its runs as they were left. Every wait is bounded. The steps run in file order
and build on one another (the clear comes before the bulk state that marks the cleared task
skipped).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from airflow_python_sdk import ApiClient, Configuration, ConflictException
from airflow_python_sdk.api.dag_api import DAGApi
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.pool_api import PoolApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.model.update_task_instances_state import UpdateTaskInstancesState
from integration.real_airflow.maintenance_run import AirflowServer

DAG_ID = "sdk_family"
RUN_ID = "family_run_20261127"
DATE = "2026-11-27T00:00:00+00:00"
TASK_INSTANCES = 105 + 3 + 2  # wide_000..wide_104, mapped_echo[0..2], flaky, after_flaky
RUN_TIMEOUT_S = 420.0
RERUN_TIMEOUT_S = 240.0

# The servers whose sdk_family run is made, by version.
_prepared: dict[str, AirflowServer] = {}


@pytest.fixture(scope="module", autouse=True)
def _pause_the_family_dag() -> Iterator[None]:
    """Later real-server tests expect no new run of sdk_family to start."""
    yield
    for server in _prepared.values():
        if not server.stopped:
            server.pause_dag(DAG_ID)


def _prepare(server: AirflowServer) -> None:
    """Trigger one run of sdk_family and wait for it to end."""
    if server.version in _prepared:
        return
    finished = server.run_dag(DAG_ID, RUN_ID, DATE, timeout_s=RUN_TIMEOUT_S)
    states = finished.task_states
    assert (states["flaky"], states["after_flaky"]) == ("failed", "success"), states
    _prepared[server.version] = server


@dataclass
class Apis:
    dialect: str
    client: ApiClient

    @property
    def task_instances(self) -> TaskInstanceApi:
        return TaskInstanceApi(self.client)

    @property
    def pools(self) -> PoolApi:
        return PoolApi(self.client)

    @property
    def dags(self) -> DAGApi:
        return DAGApi(self.client)

    @property
    def dag_runs(self) -> DAGRunApi:
        return DAGRunApi(self.client)

    @property
    def xcom(self) -> XComApi:
        return XComApi(self.client)

    def say(self, what: str, value: Any) -> None:
        print(f"\n{self.dialect}: {what} -> {value}")


def _wait_for(what: str, check: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"{what}: not after {timeout_s:.0f} s"
        time.sleep(2.0)


def _names(references: Any) -> list[tuple[str, Any]]:
    return sorted((ref.task_id, ref.get("map_index", -1)) for ref in references.task_instances)


class FamilySteps:
    dialect = ""

    @pytest.fixture
    def server(self) -> AirflowServer:
        raise NotImplementedError

    @pytest.fixture
    def apis(self, server: AirflowServer) -> Iterator[Apis]:
        _prepare(server)
        configuration = Configuration(host=server.base_url, username=server.admin.username,
                                      password=server.admin.password, dialect=self.dialect)
        with ApiClient(configuration) as client:
            yield Apis(self.dialect, client)

    def test_a_run_with_more_task_instances_than_one_page(self, apis: Apis) -> None:
        page = apis.pools.get_task_instances(DAG_ID, execution_date_gte=DATE,
                                             execution_date_lte=DATE)
        assert page.total_entries == TASK_INSTANCES
        assert len(page.task_instances) == 100  # the server's page cap

        walked = list(apis.pools.iter_task_instances(DAG_ID, execution_date_gte=DATE,
                                                     execution_date_lte=DATE))
        keys = {(ti.task_id, ti.map_index) for ti in walked}
        assert len(walked) == len(keys) == TASK_INSTANCES
        assert {key for key in keys if key[0] == "mapped_echo"} == {
            ("mapped_echo", 0), ("mapped_echo", 1), ("mapped_echo", 2)}
        assert {ti.execution_date.isoformat() for ti in walked} == {DATE}
        apis.say("get_task_instances(sdk_family, one date)",
                 f"total_entries={page.total_entries}, first page {len(page.task_instances)}")
        apis.say("iter_task_instances", f"{len(walked)} distinct task instances, mapped_echo "
                 f"map indexes {sorted(k[1] for k in keys if k[0] == 'mapped_echo')}")

    def test_filters_by_task_ids_and_state(self, apis: Apis) -> None:
        by_ids = apis.pools.get_task_instances(DAG_ID, task_id=["flaky", "after_flaky"],
                                               execution_date_gte=DATE)
        assert sorted(ti.task_id for ti in by_ids.task_instances) == ["after_flaky", "flaky"]
        failed = apis.pools.get_task_instances(DAG_ID, state=[TaskState("failed")],
                                               execution_date_gte=DATE, execution_date_lte=DATE)
        assert [ti.task_id for ti in failed.task_instances] == ["flaky"]
        every_dag = apis.pools.get_task_instances("~", task_id=["flaky"])
        assert {ti.dag_id for ti in every_dag.task_instances} == {DAG_ID}
        apis.say("get_task_instances(task_id=[flaky, after_flaky])",
                 sorted((ti.task_id, str(ti.state)) for ti in by_ids.task_instances))
        apis.say("get_task_instances(state=[failed])",
                 [ti.task_id for ti in failed.task_instances])

    def test_dag_runs(self, apis: Apis) -> None:
        runs = apis.dag_runs.get_dag_runs(DAG_ID, execution_date_gte=DATE,
                                          execution_date_lte=DATE)
        assert [run.dag_run_id for run in runs.dag_runs] == [RUN_ID]
        run = apis.dag_runs.get_dag_run(DAG_ID, RUN_ID)
        assert run.execution_date.isoformat() == DATE
        assert str(run.state) == "success"  # its leaves (after_flaky runs anyway) succeeded
        apis.say("get_dag_runs / get_dag_run",
                 f"{[r.dag_run_id for r in runs.dag_runs]}, state {run.state}")

    def test_a_mapped_task_instance_and_its_xcom(self, apis: Apis) -> None:
        ti = apis.task_instances.get_task_instance(DAG_ID, "mapped_echo", DATE, map_index=1)
        assert (ti.task_id, ti.map_index, str(ti.state)) == ("mapped_echo", 1, "success")
        value = apis.xcom.get_x_com_value(DAG_ID, "mapped_echo", DATE, "return_value",
                                          map_index=2)
        assert (value.key, value.map_index) == ("return_value", 2)
        assert str(value.value).strip('"') == "2"
        entries = apis.xcom.get_x_com_values(DAG_ID, "mapped_echo", DATE, map_index=0)
        assert [(e.key, e.map_index) for e in entries.xcom] == [("return_value", 0)]
        log = apis.task_instances.get_logs(DAG_ID, "mapped_echo", DATE, 1, map_index=1,
                                           full_content=True)
        assert "echo 1" in log.content or "Output:" in log.content
        apis.say("get_task_instance(mapped_echo, map_index=1)", f"state {ti.state}")
        apis.say("get_x_com_value(mapped_echo, return_value, map_index=2)", repr(value.value))

    def test_a_note_on_a_mapped_task_instance(self, apis: Apis) -> None:
        tis = apis.task_instances
        noted = tis.update_task_instance(DAG_ID, "mapped_echo", DATE,
                                         TaskInstance(note="checked by the SDK"),
                                         update_mask=["note"], map_index=1)
        assert (noted.map_index, noted.note, str(noted.state)) == (
            1, "checked by the SDK", "success")
        assert tis.get_task_instance(DAG_ID, "mapped_echo", DATE, map_index=1).note == (
            "checked by the SDK")
        assert tis.get_task_instance(DAG_ID, "mapped_echo", DATE, map_index=0).note is None
        apis.say("update_task_instance(mapped_echo, map_index=1, update_mask=[note])",
                 repr(noted.note))

    def test_clear_dry_run_then_clear_makes_try_2(self, apis: Apis) -> None:
        tis = apis.task_instances
        dry = apis.dags.clear_task_instances(DAG_ID, ClearTaskInstance(
            task_ids=["flaky"], start_date=DATE, end_date=DATE))
        assert _names(dry) == [("flaky", -1)]
        unchanged = tis.get_task_instance(DAG_ID, "flaky", DATE)
        assert (str(unchanged.state), unchanged.try_number) == ("failed", 1)

        cleared = apis.dags.clear_task_instances(DAG_ID, ClearTaskInstance(
            dry_run=False, task_ids=["flaky"], start_date=DATE, end_date=DATE))
        assert _names(cleared) == [("flaky", -1)]

        def failed_again() -> bool:
            ti = tis.get_task_instance(DAG_ID, "flaky", DATE)
            return str(ti.state) == "failed" and ti.try_number == 2

        _wait_for("the rerun of flaky", failed_again, RERUN_TIMEOUT_S)
        tries = tis.get_task_instance_tries(DAG_ID, "flaky", DATE)
        assert [t.try_number for t in tries.task_instances] == [1, 2]
        assert {str(t.state) for t in tries.task_instances} == {"failed"}
        apis.say("clear_task_instances(dry_run=True)", _names(dry))
        apis.say("clear_task_instances(dry_run=False)", _names(cleared))
        apis.say("get_task_instance_tries(flaky) after the rerun",
                 [(t.try_number, str(t.state)) for t in tries.task_instances])

    def test_bulk_state_with_downstream(self, apis: Apis) -> None:
        tis = apis.task_instances
        _wait_for("the run to end after the rerun", lambda: str(
            apis.dag_runs.get_dag_run(DAG_ID, RUN_ID).state) in ("success", "failed"),
            RERUN_TIMEOUT_S)
        change = {"task_id": "flaky", "execution_date": DATE, "new_state": "skipped",
                  "include_downstream": True}
        dry = apis.dags.update_task_instances_state(DAG_ID, UpdateTaskInstancesState(**change))
        assert _names(dry) == [("after_flaky", -1), ("flaky", -1)]
        assert str(tis.get_task_instance(DAG_ID, "after_flaky", DATE).state) == "success"

        done = apis.dags.update_task_instances_state(
            DAG_ID, UpdateTaskInstancesState(dry_run=False, **change))
        assert _names(done) == [("after_flaky", -1), ("flaky", -1)]
        for task_id in ("flaky", "after_flaky"):
            assert str(tis.get_task_instance(DAG_ID, task_id, DATE).state) == "skipped"
        apis.say("update_task_instances_state(skipped, include_downstream, dry_run=True)",
                 _names(dry))
        apis.say("update_task_instances_state(dry_run=False)", _names(done))

    def test_bulk_state_to_the_state_the_task_instance_has(self, apis: Apis) -> None:
        again = UpdateTaskInstancesState(dry_run=False, task_id="flaky", execution_date=DATE,
                                         new_state="skipped", include_downstream=True)
        if self.dialect == "airflow2":
            # Airflow 2 answers what it changed: nothing.
            assert apis.dags.update_task_instances_state(DAG_ID, again).task_instances == []
            apis.say("update_task_instances_state(skipped again)", "[]")
            return
        with pytest.raises(ConflictException) as caught:
            apis.dags.update_task_instances_state(DAG_ID, again)
        assert "already in skipped state" in str(caught.value)
        apis.say("update_task_instances_state(skipped again)", caught.value)


class TestFamilyOnAirflow2(FamilySteps):
    dialect = "airflow2"

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server


class TestFamilyOnAirflow3(FamilySteps):
    dialect = "airflow3"

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server
