"""The call options as keyword arguments, for the two overloads of every generated operation.

`PlainCallOptions` are those of a call that returns the answer's model: the three keywords that
change the result's type (`async_req`, `_return_http_data_only`, `_preload_content`) are absent or
given their default values. `AnyCallOptions` allows every value of every keyword, for a result
type checkers leave open (`Any`). The typed ways to the other results are the accessors of
`airflow_python_sdk._client.variants`. The generated methods take the options as
`**options: Unpack[...]` (PEP 692) and import these for type checking only; at run time the
options become the call's `CallOptions` (an unknown one is named by `api_operation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Optional, TypedDict, Union

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = ["AnyCallOptions", "PlainCallOptions"]


class _SharedCallOptions(TypedDict, total=False):
    """The options that never change the result's type."""

    _request_timeout: Timeout
    _check_input_type: bool
    _check_return_type: bool
    _host_index: Optional[int]
    _retries: Union[int, Retry, None]


class PlainCallOptions(_SharedCallOptions, total=False):
    """The keywords of a call that returns the answer's model."""

    async_req: Literal[False]
    _return_http_data_only: Literal[True]
    _preload_content: Literal[True]


class AnyCallOptions(_SharedCallOptions, total=False):
    """Every keyword of the original client, any value."""

    async_req: bool
    _return_http_data_only: bool
    _preload_content: bool

