"""The call variants of the generated API classes, each with its own result type.

`api.with_http_info.get_task_instance(...)` returns `(data, status, headers)`,
`api.without_preload_content.get_task_instance(...)` the answer unread (a `RawResponse`) and
`api.in_background.get_task_instance(...)` an `AsyncResult` whose `.get()` gives the data. Each
calls the API's own method with the keyword the original client has for it
(`_return_http_data_only=False`, `_preload_content=False`, `async_req=True`); those keywords keep
working as they always did. The accessors exist for type checkers: the method's parameters are
kept as they are (a ParamSpec), and each variant names its result, so no method needs an overload
per combination of keywords.

A generated API module lists its operations once per variant, in a `Variants` subclass:
`get_task_instance = http_info_call(TaskInstanceApi.get_task_instance)`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, TypeVar, overload

from airflow_python_sdk._errors import ApiTypeError

if TYPE_CHECKING:
    from typing_extensions import Concatenate, ParamSpec

    from airflow_python_sdk._client.api_client import AsyncResult
    from airflow_python_sdk.transport.types import RawResponse
else:
    # Only type checkers read a ParamSpec (and Python 3.9 has none): at run time a type
    # variable makes `Variant` generic all the same.
    ParamSpec = TypeVar

__all__ = ["Variant", "Variants", "background_call", "http_info_call", "raw_response_call"]

P = ParamSpec("P")
R = TypeVar("R")
W = TypeVar("W")


class Variants:
    """An API object's operations, each called with one call option set (see the module)."""

    __slots__ = ("_api",)

    def __init__(self, api: object) -> None:
        self._api = api

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._api!r}>"


class Variant(Generic[P, W]):
    """One operation of a `Variants` class: the API's method of that name, called with
    `option=value` added to the caller's arguments."""

    __slots__ = ("name", "option", "value")

    def __init__(self, name: str, option: str, value: bool) -> None:
        self.name = name
        self.option = option
        self.value = value

    @overload
    def __get__(self, variants: None, owner: Optional[type] = None) -> Variant[P, W]: ...

    @overload
    def __get__(self, variants: Variants, owner: Optional[type] = None) -> Callable[P, W]: ...

    def __get__(self, variants: Optional[Variants], owner: Optional[type] = None) -> Any:
        if variants is None:
            return self
        # Looked up on the API object, so that a subclass's override is the one called.
        method = getattr(variants._api, self.name)
        option, value = self.option, self.value
        accessor = type(variants).__name__

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            if option in kwargs:
                # The accessor is the option: given twice, one of the two would be ignored.
                raise ApiTypeError(
                    f"{accessor}.{method.__name__}() sets {option}={value} itself; "
                    f"drop {option}={kwargs[option]!r}, or call {method.__name__}() directly",
                    path_to_item=[option],
                )
            kwargs[option] = value
            return method(*args, **kwargs)

        return call


def http_info_call(
    method: Callable[Concatenate[Any, P], R],
) -> Variant[P, tuple[R, int, Mapping[str, str]]]:
    """`method` returning `(data, status, headers)`: `_return_http_data_only=False`."""
    return Variant(method.__name__, "_return_http_data_only", False)


def raw_response_call(method: Callable[Concatenate[Any, P], Any]) -> Variant[P, RawResponse]:
    """`method` returning the answer unread, a `RawResponse`: `_preload_content=False`."""
    return Variant(method.__name__, "_preload_content", False)


def background_call(method: Callable[Concatenate[Any, P], R]) -> Variant[P, AsyncResult[R]]:
    """`method` run on the client's threads, returning an `AsyncResult`: `async_req=True`."""
    return Variant(method.__name__, "async_req", True)
