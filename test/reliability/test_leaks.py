"""Opening and closing clients leaks neither threads nor sockets: 200 cycles, each with
`async_req` calls, end with the thread count and the open file descriptors where they began."""

from __future__ import annotations

import os
import threading
import time

import pytest
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE, make_configuration
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

CYCLES = 200
SETTLE_S = 5.0  # server threads notice closed connections a moment after the client closes

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def async_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("airflow-sdk-async")]


def settled(baseline: tuple[int, int]) -> tuple[int, int]:
    """The (threads, descriptors) counts once they are back to `baseline`, or after SETTLE_S."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        now = (threading.active_count(), open_descriptors())
        if (now[0] <= baseline[0] and now[1] <= baseline[1]) or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def one_cycle(configuration: airflow_python_sdk.Configuration) -> airflow_python_sdk.ApiClient:
    """Open a client, make async and plain calls, close it; return it, closed."""
    with airflow_python_sdk.ApiClient(configuration, pool_threads=2) as client:
        api = TaskInstanceApi(client)
        pending = [api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, async_req=True)
                   for _ in range(2)]
        assert [p.get(timeout=5).task_id for p in pending] == ["extract", "extract"]
        assert api.get_task_instance("etl_daily", "extract", EXECUTION_DATE).task_id == "extract"
    return client


def test_200_open_close_cycles_with_async_calls_leak_no_thread_and_no_socket():
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json(TASK_INSTANCE)
        configuration = make_configuration(server.url)
        one_cycle(configuration)  # warm-up: lazily started threads, imports, caches
        baseline = settled((threading.active_count(), open_descriptors()))

        # The closed clients are kept: garbage collection would otherwise tidy up after a
        # close() that released nothing, and hide the leak.
        closed = [one_cycle(configuration) for _ in range(CYCLES)]

        threads, descriptors = settled(baseline)
        calls = len(server.requests)

    assert len(closed) == CYCLES and calls == 3 * (CYCLES + 1)
    assert async_threads() == []
    assert threads <= baseline[0], (threads, baseline)
    assert descriptors <= baseline[1], (descriptors, baseline)


def test_leaving_the_with_block_on_an_error_still_releases_the_async_pool():
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json({"title": "Not found"}, status=404)
        configuration = make_configuration(server.url)

        with pytest.raises(airflow_python_sdk.NotFoundException), \
                airflow_python_sdk.ApiClient(configuration, pool_threads=3) as client:
            api = TaskInstanceApi(client)
            api.get_task_instance("etl_daily", "extract", EXECUTION_DATE,
                                  async_req=True).get(timeout=5)

    assert async_threads() == []
