"""Changing the state of many task instances of one DAG run, one by one against the bulk
change, on the SDK's embedded server answering every request 20 ms late (Airflow behind a
network hop; the server's own work is far smaller than the wait).

Each way starts from the same data (every task instance `failed`) and sets every one to
`success`; the server counts the requests and the work is checked done:
- one by one: `update_task_instance(..., update_mask=["state"])` per task instance, one at a
  time, and `workers` at a time on threads sharing one client (as the command's set-state
  sends dates);
- bulk: one `bulk_task_instances` call (requests of 100);
- the command: `airflow-sdk set-state --dag ... --state success --yes` over the run (its states
  read, then the bulk change), as a process of its own.
Ratios are requests and wall time against the bulk call; the server runs in this process, on
its own threads.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

DAG_ID = "bench_wide"
DATE = "2026-11-26T00:00:00+00:00"
RUN_ID = "scheduled__2026-11-26T00:00:00+00:00"
DELAY_S = 0.02
BULK_ROUNDS = 5


def run(count: int, workers: int, time_limit_s: float) -> dict[str, Any]:
    # Imported here: only our contestant has the embedded server and the bulk change.
    from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
    from airflow_python_sdk.api_client import ApiClient
    from airflow_python_sdk.configuration import Configuration
    from airflow_python_sdk.model.bulk_action import BulkAction
    from airflow_python_sdk.model.bulk_body_bulk_task_instance_body import (
        BulkBodyBulkTaskInstanceBody,
    )
    from airflow_python_sdk.model.bulk_task_instance_body import BulkTaskInstanceBody
    from airflow_python_sdk.model.bulk_update_action import BulkUpdateAction
    from airflow_python_sdk.model.task_instance import TaskInstance
    from airflow_python_sdk.model.task_state import TaskState
    from airflow_python_sdk.testing import AirflowApiServer

    tasks = [f"task_{number:04d}" for number in range(count)]
    seed = [{"dag_id": DAG_ID, "task_id": task, "execution_date": DATE, "state": "failed"}
            for task in tasks]
    body = BulkBodyBulkTaskInstanceBody(actions=[BulkUpdateAction(
        action=BulkAction("update"), entities=[
            BulkTaskInstanceBody(task_id=task, map_index=-1, new_state=TaskState("success"))
            for task in tasks])])
    success = TaskInstance(state=TaskState("success"))
    deadline = time.monotonic() + time_limit_s

    with AirflowApiServer(seed=seed) as server:
        configuration = Configuration(host=server.url, username="admin", password="admin")
        configuration.connection_pool_maxsize = max(workers, 1)
        with ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            api.get_task_instance(DAG_ID, tasks[0], DATE)  # connect, load lazy imports

            def one(task: str) -> None:
                if time.monotonic() < deadline:  # a stuck run gives up instead of hanging
                    api.update_task_instance(DAG_ID, task, DATE, success, update_mask=["state"])

            def one_by_one(in_flight: int) -> Callable[[], None]:
                def work() -> None:
                    with ThreadPoolExecutor(max_workers=in_flight) as pool:
                        for _ in pool.map(one, tasks):
                            pass
                return work

            def bulk() -> None:
                api.bulk_task_instances(DAG_ID, RUN_ID, body)

            def command() -> None:
                subprocess.run(_command(server.url), env=_environment(), check=True,
                               stdout=subprocess.DEVNULL, timeout=time_limit_s)

            measured = {
                "one_by_one": _timed(server, one_by_one(1), 1, tasks),
                f"one_by_one_{workers}_workers": _timed(server, one_by_one(workers), 3, tasks),
                "bulk": _timed(server, bulk, BULK_ROUNDS, tasks),
                "command": _timed(server, command, 3, tasks),
            }
    if time.monotonic() >= deadline:
        raise TimeoutError(f"the bulk endpoint benchmark passed {time_limit_s} s")
    bulk_figures = measured["bulk"]
    for figures in measured.values():
        figures["requests_ratio"] = figures["requests"] / bulk_figures["requests"]
        figures["time_ratio"] = figures["s"] / bulk_figures["s"]
    return {"task_instances": count, "workers": workers, "delay_ms": DELAY_S * 1000, **measured}


def _timed(server: Any, work: Callable[[], None], rounds: int, tasks: list[str]
           ) -> dict[str, Any]:
    """The median wall time of `work` over `rounds`, each from the seed's data, with the
    requests the server saw in one round; the work is checked done."""
    spent, requests = [], 0
    for _ in range(rounds):
        server.reset()  # the seed's data again (every task instance failed), no faults
        server.faults.delay(DELAY_S)
        started = time.perf_counter()
        work()
        spent.append(time.perf_counter() - started)
        requests = len(server.request_log)
        stored = server.store.keys()  # a sorted list of keys, not a dict's view
        states = {server.store.get(key).fields["state"] for key in stored}
        if states != {"success"} or len(stored) != len(tasks):
            raise RuntimeError(f"the work was not done: states {sorted(map(str, states))}")
    return {"s": statistics.median(spent), "requests": requests, "rounds": rounds}


def _command(url: str) -> list[str]:
    return [sys.executable, "-m", "airflow_python_sdk", "set-state", "--dag", DAG_ID, "--state",
            "success", "--yes", "--no-progress", "--host", url, "--user", "admin"]


def _environment() -> dict[str, str]:
    return {**os.environ, "AIRFLOW_API_PASSWORD": "admin"}
