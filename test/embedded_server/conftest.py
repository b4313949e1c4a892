"""Fixtures of the embedded server's suite: the plugin's own fixtures, and raw HTTP callers."""

from __future__ import annotations

from typing import Iterator

import pytest
from embedded_server.http_calls import Caller

from airflow_python_sdk.testing.server import AirflowApiServer


@pytest.fixture
def call(airflow_api: AirflowApiServer) -> Iterator[Caller]:
    caller = Caller(airflow_api.url)
    yield caller
    caller.close()
