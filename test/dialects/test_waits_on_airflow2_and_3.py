"""The waits on the Airflow 2 and 3 dialects, against recorded answers over loopback HTTP: which
requests a poll makes on each server (one for a run; one list per DAG run for task instances),
and a paused DAG said at once. The real servers run them too
(test/real_airflow/test_dag_run_life_on_real_servers.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from dialects.recorded_answers import PASSWORD, USERNAME, document, token_reply
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration, DagPausedError
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

DAG_ID = "sdk_dag_ops"
RUN = "dagops_run_1"
DATE = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
PREFIX = {"airflow2": "/api/v1", "airflow3": "/api/v2"}
RECORDED_PREFIX = {"airflow2": "v2", "airflow3": "v3"}


@pytest.fixture(params=["airflow2", "airflow3"])
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(server: RecordingServer, dialect: str) -> Iterator[ApiClient]:
    configuration = Configuration(host=server.url + PREFIX[dialect], username=USERNAME,
                                  password=PASSWORD, dialect=dialect, timeout=(5.0, 10.0))
    configuration.retries = 0
    with ApiClient(configuration) as api_client:
        yield api_client


def _json(document_: Any) -> Reply:
    return Reply(200, json.dumps(document_).encode(), [("Content-Type", "application/json")])


def _run(dialect: str, state: str) -> Reply:
    run = document(f"{RECORDED_PREFIX[dialect]}_dagops_dagrun_queued.json")
    run["state"] = state
    if state != "queued":
        run["start_date"] = run["end_date"] = "2026-11-28T00:00:05+00:00"
    return _json(run)


def _dag(dialect: str, paused: bool) -> Reply:
    dag = document(f"{RECORDED_PREFIX[dialect]}_dagops_dag.json")
    dag["is_paused"] = paused
    return _json(dag)


def _api_requests(server: RecordingServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in server.requests if r.path != "/auth/token"]


def _first(dialect: str) -> list[Reply]:
    return [token_reply()] if dialect == "airflow3" else []


def test_a_run_is_one_get_per_poll_and_a_queued_run_asks_whether_its_dag_is_paused(
        server: RecordingServer, client: ApiClient, dialect: str) -> None:
    server.answer(*_first(dialect), _run(dialect, "queued"), _dag(dialect, False),
                  _run(dialect, "running"), _run(dialect, "success"))

    run = DAGRunApi(client).wait_for_dag_run(DAG_ID, RUN, timeout=10)

    assert run.state.value == "success"
    prefix = PREFIX[dialect]
    run_path = f"{prefix}/dags/{DAG_ID}/dagRuns/{RUN}"
    assert _api_requests(server) == [("GET", run_path), ("GET", f"{prefix}/dags/{DAG_ID}"),
                                     ("GET", run_path), ("GET", run_path)]


def test_a_paused_dag_ends_the_wait_at_once(server: RecordingServer, client: ApiClient,
                                           dialect: str) -> None:
    server.answer(*_first(dialect), _run(dialect, "queued"), _dag(dialect, True))

    with pytest.raises(DagPausedError, match=f"DAG '{DAG_ID}' is paused: its run '{RUN}' "
                                             r"\(queued\) cannot start"):
        DAGRunApi(client).wait_for_dag_run(DAG_ID, RUN, timeout=30)

    assert len(_api_requests(server)) == 2


def test_task_instances_are_one_list_per_run_per_poll(server: RecordingServer,
                                                      client: ApiClient, dialect: str) -> None:
    refs = [{"dag_id": DAG_ID, "dag_run_id": RUN, "task_id": task, "execution_date": DATE}
            for task in ("prepare", "publish")]

    def page(states: dict[str, Any]) -> Reply:
        items = []
        for task, (state, tries) in states.items():
            item = {"dag_id": DAG_ID, "dag_run_id": RUN, "task_id": task, "map_index": -1,
                    "state": state, "try_number": tries}
            item["execution_date" if dialect == "airflow2" else "logical_date"] = (
                "2026-11-28T00:00:00+00:00")
            items.append(item)
        return _json({"task_instances": items, "total_entries": len(items)})

    server.answer(*_first(dialect),
                  page({"prepare": ("running", 2), "publish": ("upstream_failed", 1)}),
                  page({"prepare": ("success", 2), "publish": ("success", 1)}))

    done = TaskInstanceApi(client).wait_for_task_instances(refs, timeout=10)

    assert [(ti.task_id, ti.state.value, ti.try_number) for ti in done] == [
        ("prepare", "success", 2), ("publish", "success", 1)]
    # Two task ids of one run: Airflow 2's list filters no task id, Airflow 3's one, so both
    # take the batch list, one request per poll.
    assert _api_requests(server) == [("POST", f"{PREFIX[dialect]}/dags/~/dagRuns/~/"
                                              "taskInstances/list")] * 2
