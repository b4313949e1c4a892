"""What an operation is and how it is called: the spec's description of one operation
(`Endpoint`, its `Param`s), the original client's call options (`CallOptions`), and the
decorator that names a wrong argument of a generated method (`api_operation`).

Generated API classes describe each operation as an `Endpoint`; `request.build_request` turns
the arguments of one call into the exact request.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union, cast

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk._model_runtime import Kind

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = ["CallOptions", "Endpoint", "Param", "api_operation"]

F = TypeVar("F", bound=Callable[..., Any])


# Param and Endpoint are plain classes, not NamedTuples: each generated API module makes a few
# dozen of them at import, and a NamedTuple class costs as much to make as forty plain ones.


class Param:
    """One parameter of an operation.

    `location` is "path", "query" or "body". `legacy_types` are Python types the original
    client's signature promised and that callers' scripts still pass (an int task_id, a bool
    token): accepted and sent as their text. `explode`: a list query parameter sent as one
    `name=item` pair per item (`state=a&state=b`) instead of one comma-separated value.
    `minimum`, `maximum`: the spec's bounds of a number, checked with the types.
    `refused`: values the operation cannot take, each with the reason the error gives (`~`,
    every DAG, where an operation acts on one), refused whatever `_check_input_type` says.
    """

    __slots__ = ("explode", "kind", "legacy_types", "location", "maximum", "minimum", "name",
                 "refused", "required")

    def __init__(self, name: str, location: str, kind: Kind[Any], required: bool = False,
                 legacy_types: tuple[type, ...] = (), explode: bool = False,
                 minimum: Optional[float] = None, maximum: Optional[float] = None,
                 refused: tuple[tuple[str, str], ...] = ()) -> None:
        self.name = name
        self.location = location
        self.kind = kind
        self.required = required
        self.legacy_types = legacy_types
        self.explode = explode
        self.minimum = minimum
        self.maximum = maximum
        self.refused = refused

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.location!r})"


class Endpoint:
    """One operation of the spec.

    `response_types` maps a status to the model (or str) its answer's body becomes, None for no
    body; a model may be given by its path in the package ("model.error.Error"), imported with
    the first answer that needs it: an API module then loads only the models its operations
    take, not all those they may answer. `text_field`: a text/plain answer
    becomes the response model with its text in this field.
    """

    __slots__ = ("_success", "accept", "auth", "content_type", "method", "operation_id",
                 "params", "path", "response_types", "text_field")

    def __init__(self, operation_id: str, method: str, path: str, params: tuple[Param, ...],
                 response_types: Mapping[int, Union[type, str, None]], accept: str,
                 content_type: Optional[str] = None, auth: tuple[str, ...] = (),
                 text_field: Optional[str] = None) -> None:
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.params = params
        self.response_types = response_types
        self.accept = accept
        self.content_type = content_type
        self.auth = auth
        self.text_field = text_field
        self._success: Union[type, _Unknown, None] = _UNKNOWN

    def __repr__(self) -> str:
        return f"Endpoint({self.operation_id!r}: {self.method} {self.path})"

    def success_type(self) -> Optional[type]:
        """The type of the first 2xx answer the spec describes (worked out once)."""
        found = self._success
        if isinstance(found, _Unknown):
            found = None
            for status in sorted(self.response_types):
                if 200 <= status <= 299:
                    named = self.response_types[status]
                    found = _imported(named) if isinstance(named, str) else named
                    break
            self._success = found
        return found


class _Unknown:
    """The type of `_UNKNOWN`: an endpoint's success type not worked out yet."""


_UNKNOWN = _Unknown()


def _imported(path: str) -> type:
    """The class at a path in the package, such as "model.error.Error"."""
    module, _, name = path.rpartition(".")
    found = getattr(importlib.import_module(f"airflow_python_sdk.{module}"), name)
    assert isinstance(found, type), path
    return found


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


def api_operation(method: F) -> F:
    """Turn a call with missing or unknown arguments into an ApiTypeError that names them.

    The generated methods take the call options as `**options`, which Python does not check:
    a keyword that is none of `CallOptions`' is named here too, as Python would name it.
    """

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

            signature = inspect.signature(method)
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as binding:
                raise ApiTypeError(f"{method.__name__}(): {binding}") from None
            for name, parameter in signature.parameters.items():
                if parameter.kind is parameter.VAR_KEYWORD:
                    for keyword in bound.arguments.get(name, ()):
                        if keyword not in CallOptions.__slots__:
                            raise ApiTypeError(f"{method.__name__}(): got an unexpected keyword "
                                               f"argument {keyword!r}") from None
            raise

    return cast(F, call)
