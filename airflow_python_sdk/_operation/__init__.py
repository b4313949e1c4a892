"""Operations as the generated API classes describe them, and the requests they make:
`endpoint` (an operation, its parameters, the call options), `request` (a call's arguments
checked and encoded into its request) and `paging` (the page walk of the `iter_...` methods)."""

from airflow_python_sdk._operation.endpoint import CallOptions, Endpoint, Param, api_operation
from airflow_python_sdk._operation.request import (
    PreparedRequest,
    build_request,
    encode_path_segment,
    encode_query,
)

__all__ = [
    "CallOptions",
    "Endpoint",
    "Param",
    "PreparedRequest",
    "api_operation",
    "build_request",
    "encode_path_segment",
    "encode_query",
]
