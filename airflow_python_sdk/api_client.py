"""`ApiClient`, which the API classes call through (the original client's module path); it
lives in `airflow_python_sdk._client`."""

from airflow_python_sdk._client import ApiClient, AsyncResult

__all__ = ["ApiClient", "AsyncResult"]
