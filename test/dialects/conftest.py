"""Fixtures of the dialect tests: a recording server on 127.0.0.1 and clients of each dialect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Callable

import pytest
from dialects.recorded_answers import PASSWORD, USERNAME
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

ApiFactory = Callable[..., TaskInstanceApi]
ClientFactory = Callable[..., ApiClient]


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def make_client(server: RecordingServer) -> Iterator[ClientFactory]:
    """A new client of the server; `dialect` and `prefix` say which server it talks to, and
    `settings` are set on its Configuration. Closed after the test."""
    clients: list[ApiClient] = []

    def make(dialect: str, prefix: str = "", **settings: object) -> ApiClient:
        configuration = Configuration(host=server.url + prefix, username=USERNAME,
                                      password=PASSWORD, dialect=dialect, timeout=(5.0, 10.0))
        for name, value in settings.items():
            setattr(configuration, name, value)
        client = ApiClient(configuration)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def make_api(make_client: ClientFactory) -> ApiFactory:
    """TaskInstanceApi of a new client; `dialect` and `prefix` say which server it talks to."""
    return lambda dialect, prefix="", **settings: TaskInstanceApi(
        make_client(dialect, prefix, **settings))


@pytest.fixture
def airflow2(make_api: ApiFactory) -> TaskInstanceApi:
    return make_api("airflow2", "/api/v1")


@pytest.fixture
def airflow3(make_api: ApiFactory) -> TaskInstanceApi:
    return make_api("airflow3", "/api/v2")
