"""The client: `ApiClient`, which the API classes call through (`api_client`), and the
original client's name for the transport (`rest_client`)."""

from airflow_python_sdk._client.api_client import ApiClient, AsyncResult

__all__ = ["ApiClient", "AsyncResult"]
