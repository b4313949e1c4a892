"""Fixtures of the reliability suite: a recording server, and API objects with fast bounds."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from reliability.fast_clients import make_configuration
from support.recording_server import RecordingServer

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def api_for() -> Iterator[Callable[..., TaskInstanceApi]]:
    """Make a TaskInstanceApi for a base URL (keywords as make_configuration); all are closed
    after the test."""
    clients: list[airflow_python_sdk.ApiClient] = []

    def make(host: str, **options: Any) -> TaskInstanceApi:
        client = airflow_python_sdk.ApiClient(make_configuration(host, **options))
        clients.append(client)
        return TaskInstanceApi(client)

    yield make
    for client in clients:
        client.close()
