"""Operations as the generated API classes describe them, and the requests they make:
`endpoint` (an operation, its parameters, the call options, the prepared request and its
encoding), `arguments` (a call's arguments checked and encoded) and `paging` (the page walk of
the `iter_...` methods)."""

from airflow_python_sdk._operation.arguments import build_request
from airflow_python_sdk._operation.endpoint import (
    CallOptions,
    Endpoint,
    Param,
    PreparedRequest,
    api_operation,
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
