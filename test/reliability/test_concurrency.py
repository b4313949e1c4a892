"""One ApiClient shared by 16 threads: 2,000 mixed calls against the embedded Airflow API server,
no errors, every answer the one its request asked for, and never more connections than
`connection_pool_maxsize`."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing.server import AirflowApiServer

THREADS = 16
CALLS = 2000
POOL_SIZE = 4  # fewer connections than threads: the pool's bound is what is under test
DATE = "2026-11-26T00:00:00+00:00"
BOUND_S = 60.0  # the whole run takes a few seconds; this only turns a deadlock into a failure


def seed() -> list[dict]:
    """One task instance per thread, each with values that only it has."""
    return [
        {
            "dag_id": "shared_client",
            "task_id": f"task_{index:02d}",
            "execution_date": DATE,
            "state": "queued",
            "try_number": 1,
            "pid": 1000 + index,
            "hostname": f"worker-{index}",
            "logs": {1: f"log line of task {index}\n"},
            "extra_links": [{"name": f"link-{index}", "href": f"https://links.example/{index}",
                             "class_ref": {"module_path": "m", "class_name": "C"}}],
        }
        for index in range(THREADS)
    ]


def one_call(api: TaskInstanceApi, index: int, call: int) -> None:
    """Make call number `call` of thread `index` and check the answer is the one asked for."""
    task_id = f"task_{index:02d}"
    kind = call % 5
    if kind == 0:
        ti = api.get_task_instance("shared_client", task_id, DATE)
        assert (ti.task_id, ti.pid, ti.hostname) == (task_id, 1000 + index, f"worker-{index}")
    elif kind == 1:
        links = api.get_extra_links("shared_client", task_id, DATE)
        assert [link.name for link in links.extra_links] == [f"link-{index}"]
    elif kind == 2:
        log = api.get_logs("shared_client", task_id, DATE, 1, full_content=True)
        assert f"log line of task {index}" in log.content
    elif kind == 3:
        state = TaskState.SUCCESS if call % 2 else TaskState.FAILED
        ti = api.update_task_instance("shared_client", task_id, DATE, TaskInstance(state=state),
                                      update_mask=["state"])
        assert (ti.task_id, ti.state) == (task_id, state)
    else:
        pending = api.get_task_instance("shared_client", task_id, DATE, async_req=True)
        assert pending.get(timeout=BOUND_S).pid == 1000 + index


def test_one_client_shared_by_16_threads_makes_2000_calls_without_a_mix_up():
    with AirflowApiServer(seed=seed()) as server:
        configuration = airflow_python_sdk.Configuration(
            host=server.url, username="admin", password="admin"
        )
        configuration.connection_pool_maxsize = POOL_SIZE
        configuration.timeout = (5.0, 10.0)
        with airflow_python_sdk.ApiClient(configuration, pool_threads=4) as client:
            api = TaskInstanceApi(client)
            made = [0] * THREADS
            start = threading.Barrier(THREADS)

            def worker(index: int) -> None:
                start.wait(BOUND_S)  # all threads call at once, not one after the other
                for call in range(index, CALLS, THREADS):
                    one_call(api, index, call)
                    made[index] += 1

            with ThreadPoolExecutor(THREADS) as threads:
                futures = [threads.submit(worker, index) for index in range(THREADS)]
                errors = [f.exception(BOUND_S) for f in futures]

            pools = client.rest_client.pool_manager.pools
            keys = pools.keys()  # urllib3's pool container cannot be iterated directly
            connections = sum(pools[key].num_connections for key in keys)

        answered = server.request_log.entries()

    assert errors == [None] * THREADS
    assert sum(made) == CALLS
    assert len(answered) == CALLS and {entry.status for entry in answered} == {200}
    assert 1 <= connections <= POOL_SIZE
