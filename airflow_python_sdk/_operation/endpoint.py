"""What an operation is and how it is called: the spec's description of one operation
(`Endpoint`, its `Param`s), the original client's call options (`CallOptions`), the request
they make (`PreparedRequest`) and how its path and query are percent-encoded.

Generated API classes describe each operation as an `Endpoint`; `arguments.build_request` turns
the arguments of one call into the exact request.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, TypeVar, Union, cast
from urllib.parse import quote

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk._model_runtime import Kind

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = [
    "CallOptions",
    "Endpoint",
    "Param",
    "PreparedRequest",
    "api_operation",
    "encode_path_segment",
    "encode_query",
]

F = TypeVar("F", bound=Callable[..., Any])
# Characters a path segment keeps as they are (RFC 3986's unreserved ones).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


class Param(NamedTuple):
    """One parameter of an operation.

    `legacy_types` are Python types the original client's signature promised and that callers'
    scripts still pass (an int task_id, a bool token): accepted and sent as their text.
    `explode`: a list query parameter sent as one `name=item` pair per item (`state=a&state=b`)
    instead of one comma-separated value.
    `minimum`, `maximum`: the spec's bounds of a number, checked with the types.
    `refused`: values the operation cannot take, each with the reason the error gives (`~`,
    every DAG, where an operation acts on one), refused whatever `_check_input_type` says.
    """

    name: str
    location: str  # "path", "query" or "body"
    kind: Kind[Any]
    required: bool = False
    legacy_types: tuple[type, ...] = ()
    explode: bool = False
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    refused: tuple[tuple[str, str], ...] = ()


class Endpoint(NamedTuple):
    """One operation of the spec."""

    operation_id: str
    method: str
    path: str
    params: tuple[Param, ...]
    # Status -> the model (or str) the answer's body becomes; None for no body.
    response_types: Mapping[int, Optional[type]]
    accept: str
    content_type: Optional[str] = None
    auth: tuple[str, ...] = ()
    # A text/plain answer becomes the response model with its text in this field.
    text_field: Optional[str] = None

    def success_type(self) -> Optional[type]:
        """The type of the first 2xx answer the spec describes."""
        for status in sorted(self.response_types):
            if 200 <= status <= 299:
                return self.response_types[status]
        return None


class CallOptions:
    """The keyword options every operation takes, as the original client named them.

    A plain class (not a NamedTuple, whose fields may not start with "_"; not a dataclass,
    whose import costs milliseconds at every start).
    """

    __slots__ = ("_check_input_type", "_check_return_type", "_host_index", "_preload_content",
                 "_request_timeout", "_retries", "_return_http_data_only", "async_req")

    def __init__(
        self,
        async_req: bool = False,
        _return_http_data_only: bool = True,
        _preload_content: bool = True,
        _request_timeout: Timeout = None,
        _check_input_type: bool = True,
        _check_return_type: bool = True,
        _host_index: Optional[int] = None,
        # None: the configuration's retries; an int: the SDK's policy with that many repeats
        # (0: none); or a urllib3 Retry.
        _retries: Union[int, Retry, None] = None,
    ) -> None:
        self.async_req = async_req
        self._return_http_data_only = _return_http_data_only
        self._preload_content = _preload_content
        self._request_timeout = _request_timeout
        self._check_input_type = _check_input_type
        self._check_return_type = _check_return_type
        self._host_index = _host_index
        self._retries = _retries


class PreparedRequest:
    """A request ready to send: the path and query are already percent-encoded."""

    __slots__ = ("body", "headers", "method", "path", "query")

    def __init__(self, method: str, path: str, query: list[tuple[str, str]],
                 headers: dict[str, str], body: Any = None) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def path_and_query(self) -> str:
        if not self.query:
            return self.path
        return self.path + "?" + encode_query(self.query)


def encode_query(pairs: Sequence[tuple[object, object]]) -> str:
    """A query string: names and values percent-encoded ("+" as %2B), commas left as they are
    so that a list reads `update_mask=a,b`."""
    return "&".join(
        f"{quote(str(name), safe='')}={quote(str(value), safe=',')}" for name, value in pairs
    )


def encode_path_segment(value: str) -> str:
    """Percent-encode `value` as one whole path segment that no HTTP stack can reinterpret.

    "/" "?" "#" "%" and "+" are escaped; the dot segments "." and ".." (which URL normalisation
    would collapse, changing the path) are escaped too.
    """
    if _UNRESERVED.fullmatch(value) and value not in (".", ".."):
        return value  # nothing to escape: the usual dag and task ids
    encoded = quote(value, safe="")
    if encoded in (".", ".."):
        return encoded.replace(".", "%2E")
    return encoded



def api_operation(method: F) -> F:
    """Turn a call with missing or unknown arguments into an ApiTypeError that names them."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        # Binding is only checked once a call has failed, so that good calls pay nothing.
        try:
            return method(*args, **kwargs)
        except TypeError as exc:
            if isinstance(exc, ApiTypeError):
                raise
            # inspect is imported here, on this failure path only: it costs milliseconds.
            import inspect

            try:
                inspect.signature(method).bind(*args, **kwargs)
            except TypeError as binding:
                raise ApiTypeError(f"{method.__name__}(): {binding}") from None
            raise

    return cast(F, call)
