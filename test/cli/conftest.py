"""Fixtures of the command's suite: the embedded server's fixtures, and a runner pointed at it."""

from __future__ import annotations

import pytest
from support.command_runner import CliRunner

from airflow_python_sdk.testing.server import AirflowApiServer


@pytest.fixture
def cli(airflow_api: AirflowApiServer) -> CliRunner:
    """Runs `python -m airflow_python_sdk` against the server, signed in as admin."""
    return CliRunner(airflow_api.url, user="admin", password="admin")
