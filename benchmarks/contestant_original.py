"""The original generated client, airflow-python-sdk 0.3.7, driven through its documented API.

Runs only inside the peer virtual environment (.bench-venvs/original). Its schema types the
task id as an integer and every date-time as a plain string, so calls pass what its signatures
accept: the server answers the same bytes whatever the path holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import documented_client
import fixtures
from sinks import ByteSink

import airflow_python_sdk
from airflow_python_sdk.api import task_instance_api
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

NAME = "original"
EXECUTION_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
TASK_ID: Any = 1  # the original spec's (wrong) integer type for task ids


class _Answer:
    """The one attribute ApiClient.deserialize reads from a response."""

    def __init__(self, data: bytes) -> None:
        self.data = data


def describe() -> str:
    return f"airflow-python-sdk {getattr(airflow_python_sdk, '__version__', '?')} (original)"


def make_api_client(host: Optional[str] = None, pool_size: int = 8) -> Any:
    return documented_client.make_api_client(
        airflow_python_sdk.Configuration, airflow_python_sdk.ApiClient, host, pool_size
    )


def deserializer() -> Any:
    return documented_client.deserializer(make_api_client(), _Answer, TaskInstance)


def serializer() -> Any:
    return documented_client.serializer(make_api_client())


def task_instance_model() -> Any:
    return deserializer()(fixtures.TASK_INSTANCE_BYTES)


def make_api(host: str, pool_size: int = 8) -> Any:
    return task_instance_api.TaskInstanceApi(make_api_client(host, pool_size))


def get_task_instance(api: Any) -> Any:
    return api.get_task_instance(fixtures.DAG_ID, TASK_ID, EXECUTION_DATE)


def set_state(api: Any) -> Any:
    body = TaskInstance(state=TaskState("success"))
    return api.update_task_instance(
        fixtures.DAG_ID, TASK_ID, EXECUTION_DATE, body, update_mask=["state"]
    )


def get_logs(api: Any, mib: int) -> Any:
    return api.get_logs(fixtures.DAG_ID, TASK_ID, EXECUTION_DATE, fixtures.log_try_number(mib),
                        full_content=True)


def stream_logs(api: Any, mib: int, sink: ByteSink) -> int:
    raise NotImplementedError("the original client has no streaming path for logs")
