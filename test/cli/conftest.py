"""Fixtures of the command's suite: the embedded server's fixtures, and a runner pointed at it."""

from __future__ import annotations

import pytest
from cli.runner import CliRunner

from airflow_python_sdk.testing.pytest_plugin import (
    airflow_api,
    airflow_api_seed,
    airflow_api_server,
    airflow_api_users,
    airflow_client,
)
from airflow_python_sdk.testing.server import AirflowApiServer

# Taken from the plugin so these tests run whether or not its pytest11 entry point is installed.
__all__ = [
    "airflow_api",
    "airflow_api_seed",
    "airflow_api_server",
    "airflow_api_users",
    "airflow_client",
]


@pytest.fixture
def cli(airflow_api: AirflowApiServer) -> CliRunner:
    """Runs `python -m airflow_python_sdk` against the server, signed in as admin."""
    return CliRunner(airflow_api.url, user="admin", password="admin")
