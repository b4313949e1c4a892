"""A reference for the model benchmark only: the official apache-airflow-client 3.x, whose
models validate in pydantic's compiled core. Its schema is Airflow 3's, so it reads the same
task instance in Airflow 3's shape, and its ratio is against json.loads of those bytes.

Runs only inside .bench-venvs/official; it has no task instance API of the old shape, so the
transport, memory, import and bulk benchmarks do not apply to it.
"""

from __future__ import annotations

import json
from typing import Any

import fixtures
from airflow_client.client import ApiClient, __version__
from airflow_client.client.models.task_instance_response import TaskInstanceResponse

NAME = "official"
DOCUMENT = fixtures.TASK_INSTANCE_AIRFLOW3
DOCUMENT_BYTES = fixtures.TASK_INSTANCE_AIRFLOW3_BYTES


def describe() -> str:
    return f"apache-airflow-client {__version__} (official, reference)"


def deserializer() -> Any:
    client = ApiClient()

    def deserialize(data: bytes) -> Any:
        # What its response path does: decode the body, then parse and validate.
        return client.deserialize(data.decode("utf-8"), "TaskInstanceResponse", "application/json")

    return deserialize


def serializer() -> Any:
    client = ApiClient()

    def serialize(model: Any) -> str:
        return json.dumps(client.sanitize_for_serialization(model))

    return serialize


def task_instance_model() -> TaskInstanceResponse:
    model = deserializer()(DOCUMENT_BYTES)
    assert isinstance(model, TaskInstanceResponse)
    return model
