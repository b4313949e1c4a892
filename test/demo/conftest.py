"""Fixtures of the demo's suite: the embedded server's fixtures."""

from __future__ import annotations

from airflow_python_sdk.testing.pytest_plugin import (
    airflow_api,
    airflow_api_seed,
    airflow_api_server,
    airflow_api_users,
    airflow_client,
)

# Taken from the plugin so these tests run whether or not its pytest11 entry point is installed.
__all__ = [
    "airflow_api",
    "airflow_api_seed",
    "airflow_api_server",
    "airflow_api_users",
    "airflow_client",
]
