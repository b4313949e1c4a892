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
`get_task_instance = http_info_call(TaskInstanceApi.get_task_instance)`. The method has two
overloads; mypy binds the descriptor's ParamSpec to the first, the usual call's, so an accessor
takes the method's own arguments and not the keywords that would change its result again
(test/type_checks/call_results.py proves it).
"""

from __future__ import annotations

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
        return _OptionCall(method, self.option, self.value, type(variants).__name__)


class _OptionCall:
    """The API's method with the accessor's option added: what an accessor's attribute is. It
    reads as the method (name, docstring, signature), for help() and editors."""

    def __init__(self, method: Callable[..., Any], option: str, value: bool,
                 accessor: str) -> None:
        self.__wrapped__ = method
        self.__name__ = method.__name__
        self.__qualname__ = f"{accessor}.{method.__name__}"
        self.__doc__ = method.__doc__
        self._option = option
        self._value = value

    @property
    def __signature__(self) -> Any:
        # The bound method's, computed when asked for: inspect costs milliseconds to import.
        import inspect

        return inspect.signature(self.__wrapped__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        option = self._option
        if option in kwargs:
            # The accessor is the option: given twice, one of the two would be ignored.
            raise ApiTypeError(
                f"{self.__qualname__}() sets {option}={self._value} itself; drop "
                f"{option}={kwargs[option]!r}, or call {self.__name__}() with the keywords",
                path_to_item=[option],
            )
        kwargs[option] = self._value
        return self.__wrapped__(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.__qualname__} of {self.__wrapped__!r}>"

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
