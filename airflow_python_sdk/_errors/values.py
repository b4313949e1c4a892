"""Errors about values: an argument, a field or a key that cannot be used. They import nothing
of the package, so that every layer can raise them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Union

__all__ = [
    "ApiAttributeError",
    "ApiKeyError",
    "ApiTypeError",
    "ApiValueError",
    "OpenApiException",
    "PathToItem",
    "render_path",
]

PathToItem = Sequence[Union[str, int]]


def render_path(path_to_item: Optional[PathToItem]) -> str:
    """Render a path such as ("TaskInstance", "sla_miss", "email_sent") as a dotted name."""
    text = ""
    for part in path_to_item or ():
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _rebuilt(cls: type[OpenApiException], args: tuple[Any, ...],
             state: dict[str, Any]) -> OpenApiException:
    """An exception made again from its arguments and fields, without calling `__init__`
    (whose parameters differ from class to class)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class OpenApiException(Exception):
    """The base of every error this SDK raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


class ApiTypeError(OpenApiException, TypeError):
    """A value has the wrong type."""

    def __init__(
        self,
        msg: str,
        path_to_item: Optional[PathToItem] = None,
        valid_classes: Optional[tuple[type, ...]] = None,
        key_type: Optional[bool] = None,
    ) -> None:
        self.path_to_item = list(path_to_item) if path_to_item else None
        self.valid_classes = valid_classes
        self.key_type = key_type
        TypeError.__init__(self, msg)


class ApiValueError(OpenApiException, ValueError):
    """A value has the right type but cannot be used."""

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None) -> None:
        self.path_to_item = list(path_to_item) if path_to_item else None
        ValueError.__init__(self, msg)


class ApiAttributeError(OpenApiException, AttributeError):
    """A model has no such attribute."""

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None) -> None:
        self.path_to_item = list(path_to_item) if path_to_item else None
        AttributeError.__init__(self, msg)


class ApiKeyError(OpenApiException, KeyError):
    """A model has no such key."""

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None) -> None:
        self.path_to_item = list(path_to_item) if path_to_item else None
        KeyError.__init__(self, msg)

    def __str__(self) -> str:
        # KeyError quotes its argument; a message reads better without the quotes.
        return str(self.args[0]) if self.args else ""
