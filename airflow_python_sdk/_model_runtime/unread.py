"""Models of an answer's list items that are read when first used, and what a page walk reads
of them without reading them.

A page walk hands its items to the caller, who may read a few fields of each, or none (count
them, pass them on): reading every item of a page with its answer would cost more than parsing
it. So inside a walk's call (`codec.items_read_when_used`), `answer_models` makes each item an
unread model: it holds the item's JSON object as its source and nothing else; its values
(`Model._data`) are read at its first use, by the model's own decoder, and a value that is not
what the spec says raises then what the call would have raised (`ResponseTypeError` or
`ResponseValueError` with the answer's status, method and URL, naming the item's path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from airflow_python_sdk._model_runtime.kinds import Path
from airflow_python_sdk._model_runtime.origin import Origin

if TYPE_CHECKING:
    from airflow_python_sdk._model_runtime.base import Model

__all__ = ["answer_hashes", "answer_values", "unread_model"]

M = TypeVar("M", bound="Model")


def unread_model(cls: type[M], source: dict[str, Any], check: bool, path: Path,
                 origin: Origin) -> M:
    """A model of `source`, an item of an answer's list, read at its first use: `_data` is left
    unset, and the model's `__getattr__` reads it (`Model._read_now`) when it is first looked
    for."""
    self = object.__new__(cls)
    self._source = source
    self._check_type = check
    self._extra = None
    self._path = path
    self._origin = origin
    return self


def answer_values(models: list[Model], names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The named fields of each model as the answer sent them (a date-time as its text), without
    reading an unread model for it: for telling items apart cheaply (a page walk's
    identities); None for a field that is not set."""
    return [tuple(map((model._source or model._data).get, names)) for model in models]


def answer_hashes(models: list[Model], names: tuple[str, ...], salt: str) -> list[int]:
    """`hash((salt, *values))` of each model's `answer_values`, in one pass; TypeError when a
    value cannot be hashed (a list where a name belongs)."""
    return [hash((salt, *map((model._source or model._data).get, names))) for model in models]
