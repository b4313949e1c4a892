"""The original client's names for the transport (`RESTClientObject`, `RESTResponse`), kept for
scripts that use them; they live in `airflow_python_sdk._client.rest_client`."""

from airflow_python_sdk._client.rest_client import ApiException, RESTClientObject, RESTResponse

__all__ = ["ApiException", "RESTClientObject", "RESTResponse"]
