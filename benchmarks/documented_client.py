"""The part of the documented interface both clients are driven through alike: an ApiClient made
as their docs show, its `deserialize` for the model benchmarks and `sanitize_for_serialization`
plus json.dumps (what the REST layer does with a model body before handing it to urllib3).

Each contestant runs in a virtual environment of its own, with its own `airflow_python_sdk`, and
passes its own classes in.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

__all__ = ["deserializer", "make_api_client", "serializer"]


def make_api_client(configuration_class: Any, api_client_class: Any, host: Optional[str] = None,
                    pool_size: int = 8) -> Any:
    configuration = configuration_class(
        host=host or "http://127.0.0.1/api/v1", username="admin", password="admin"
    )
    configuration.connection_pool_maxsize = pool_size
    return api_client_class(configuration)


def deserializer(client: Any, answer_class: Callable[[bytes], Any],
                 model_class: type) -> Callable[[bytes], Any]:
    """Reads an answer's bytes as `model_class`, as the client reads a response."""

    def deserialize(data: bytes) -> Any:
        return client.deserialize(answer_class(data), (model_class,), True)

    return deserialize


def serializer(client: Any) -> Callable[[Any], str]:
    """A model as the request body the client sends."""

    def serialize(model: Any) -> str:
        return json.dumps(client.sanitize_for_serialization(model))

    return serialize
