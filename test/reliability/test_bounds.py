"""Bounds that keep a job from hanging in less obvious places: waiting for a pooled connection,
settings changed on a live client, and the watchdog that ends dripping answers."""

from __future__ import annotations

import os
import signal
import socket
import time
import warnings

import pytest
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE, make_configuration
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.transport.watchdog import WATCHDOG, SocketWatchdog

BOUND_S = 10.0


def test_waiting_for_a_pooled_connection_is_bounded_too(server):
    server.handler = lambda request: Reply.json(TASK_INSTANCE)
    configuration = make_configuration(server.url, timeout=(0.2, 0.2))
    configuration.connection_pool_maxsize = 1
    with airflow_python_sdk.ApiClient(configuration) as client:
        api = TaskInstanceApi(client)
        # An answer left unread holds the only connection, as a forgotten stream would.
        held = api.get_task_instance("etl_daily", "extract", EXECUTION_DATE,
                                     _preload_content=False)

        outcome = call_bounded(
            lambda: api.get_task_instance("etl_daily", "extract", EXECUTION_DATE), BOUND_S
        )
        held.release_conn()
        after = api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)

    assert isinstance(outcome.error, airflow_python_sdk.ApiConnectionError), repr(outcome.error)
    assert "no pooled connection became free" in str(outcome.error)
    assert outcome.elapsed_s < 1.5  # connect + read timeout, not forever
    assert after.task_id == "extract"


def test_timeout_and_retries_changed_on_a_live_client_apply_to_the_next_call():
    with RecordingServer(never_answer=True) as silent:
        configuration = make_configuration(silent.url, timeout=(5.0, 5.0))
        with airflow_python_sdk.ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            configuration.timeout = 0.2
            configuration.retries = 0

            outcome = call_bounded(
                lambda: api.get_task_instance("etl_daily", "extract", EXECUTION_DATE), BOUND_S
            )

    assert isinstance(outcome.error, airflow_python_sdk.ApiTimeoutError), repr(outcome.error)
    assert outcome.elapsed_s < 1.0


def test_the_watchdog_shuts_an_overdue_socket_and_ends_its_thread_when_idle():
    watchdog = SocketWatchdog(idle_exit_s=0.05)
    reader, writer = socket.socketpair()
    with reader, writer:
        reader.settimeout(5.0)
        on_time = watchdog.arm(reader, 0.3)
        overdue = watchdog.arm(reader, 0.1)
        started = time.monotonic()

        assert reader.recv(1) == b""  # the blocked read ends at the deadline, with EOF
        elapsed = time.monotonic() - started
        assert watchdog.disarm(on_time) is False
        assert watchdog.disarm(overdue) is True

    assert 0.05 <= elapsed < 1.0
    # The thread sleeps until the last deadline it watched, then idles briefly and ends.
    deadline = time.monotonic() + 2.0
    while watchdog._thread is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert watchdog._thread is None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_a_watchdog_of_its_own():
    reader, writer = socket.socketpair()
    with reader, writer:
        WATCHDOG.disarm(WATCHDOG.arm(reader, 60.0))  # the parent's thread is running now
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a threaded process is risky; that is the point.
            warnings.simplefilter("ignore", DeprecationWarning)
            child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child, which reports by exit status
            code = 1
            try:
                reader.settimeout(5.0)
                deadline = WATCHDOG.arm(reader, 0.1)
                code = 0 if reader.recv(1) == b"" and WATCHDOG.disarm(deadline) else 2
            finally:
                os._exit(code)
        ended = time.monotonic() + BOUND_S
        while (status := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < ended:
            time.sleep(0.02)
        if status[0] == 0:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    assert status[0] == child and os.waitstatus_to_exitcode(status[1]) == 0
