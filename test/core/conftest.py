"""Fixtures of the core suite: a recording server on 127.0.0.1 and an SDK client pointed at it."""

from __future__ import annotations

from typing import Iterator

import pytest
from core.payloads import API_PREFIX, PASSWORD, USERNAME
from support.recording_server import RecordingServer

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def configuration(server: RecordingServer) -> airflow_python_sdk.Configuration:
    return airflow_python_sdk.Configuration(
        host=server.url + API_PREFIX, username=USERNAME, password=PASSWORD
    )


@pytest.fixture
def api_client(
    configuration: airflow_python_sdk.Configuration,
) -> Iterator[airflow_python_sdk.ApiClient]:
    with airflow_python_sdk.ApiClient(configuration) as client:
        yield client


@pytest.fixture
def api(api_client: airflow_python_sdk.ApiClient) -> TaskInstanceApi:
    return TaskInstanceApi(api_client)


@pytest.fixture
def restore_default_configuration() -> Iterator[None]:
    """Configuration.set_default() is process-wide: put back what was there."""
    saved = airflow_python_sdk.Configuration.get_default_copy()
    yield
    airflow_python_sdk.Configuration.set_default(saved)
