"""Fixtures of the embedded server's suite: the plugin's own fixtures, and raw HTTP callers."""

from __future__ import annotations

from typing import Iterator

import pytest
from embedded_server.http_calls import Caller

from airflow_python_sdk.testing.pytest_plugin import (
    airflow_api,
    airflow_api_seed,
    airflow_api_server,
    airflow_api_users,
    airflow_client,
)
from airflow_python_sdk.testing.server import AirflowApiServer

# Taken from the plugin so these tests use the fixtures users get, whether or not the package
# is installed with its pytest11 entry point.
__all__ = [
    "airflow_api",
    "airflow_api_seed",
    "airflow_api_server",
    "airflow_api_users",
    "airflow_client",
]


@pytest.fixture
def call(airflow_api: AirflowApiServer) -> Iterator[Caller]:
    caller = Caller(airflow_api.url)
    yield caller
    caller.close()


def pytest_configure(config: pytest.Config) -> None:
    # test_pytest_plugin.py runs users' test files with pytester; a conftest below the rootdir
    # may not list it in pytest_plugins, so it is loaded here.
    config.pluginmanager.import_plugin("pytester")
