"""What the generated codecs use: each model's `_decode` and `_encode` (written by the generator,
one step per field) call these.

A decoder reads an answer's fields with them and stops, by an exception or by answering False,
at the first value that is not what the spec says; `Model._from_json` then takes the checked
path (`kinds`), which converts the value or raises the error naming the field. So these only
recognise the usual case, exactly, and raise on anything else. Date-times and nested models are
not among them: a model keeps those as they came until first read (`LazyField`). The encoders'
helpers do the same for writing: what they do not expect goes to the checked writer (`output`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Optional, TypeVar, cast

from airflow_python_sdk._internal.datetimes import parse_datetime
from airflow_python_sdk._model_runtime.kinds import JsonWritable, Path
from airflow_python_sdk._model_runtime.unread import unread_model

if TYPE_CHECKING:
    from airflow_python_sdk._model_runtime.base import Model
    from airflow_python_sdk._model_runtime.origin import Origin

__all__ = [
    "BOOL_OR_NULL",
    "FLOAT_OR_NULL",
    "INT_OR_NULL",
    "STR_OR_NULL",
    "answer_datetime",
    "answer_list",
    "answer_list_of",
    "answer_models",
    "answer_number",
    "datetime_json",
    "items_read_when_used",
    "models_json",
]

M = TypeVar("M", bound="Model")

_NULL = type(None)
# The classes a checked field's JSON value may have: `value.__class__ not in STR_OR_NULL`.
STR_OR_NULL = (str, _NULL)
INT_OR_NULL = (int, _NULL)  # bool is a class of its own: True is no integer here
FLOAT_OR_NULL = (float, _NULL)
BOOL_OR_NULL = (bool, _NULL)
# A date-time as answers give it: RFC 3339 text, read alike on every Python version; anything
# else raises, for the checked path to decide.
answer_datetime = parse_datetime


def answer_number(value: Any) -> float:
    """A JSON number as a float (booleans are not numbers)."""
    if value.__class__ is float:
        return value
    if value.__class__ is int:
        return float(value)
    raise TypeError(value)


def _object(value: Any) -> dict[str, Any]:
    if value.__class__ is not dict:
        raise TypeError(value)
    # Not copied: a model converts a copy of what it is given and keeps the original unchanged
    # as its source (`Model._from_json`), which is the parent's text too.
    return cast("dict[str, Any]", value)


def answer_list(value: Any) -> list[Any]:
    """A JSON array, as it is."""
    if value.__class__ is not list:
        raise TypeError(value)
    return value


def answer_list_of(value: Any, item_type: type) -> list[Any]:
    """A copy of a JSON array whose items are all exactly of `item_type`."""
    for item in answer_list(value):
        if item.__class__ is not item_type:
            raise TypeError(item)
    return list(value)


def answer_models(model_class: type[M], value: Any, check: bool, discard: bool, path: Path,
                  key: str, origin: Optional[Origin]) -> list[M]:
    """A JSON array of objects as a list of nested models (each keeping its own date-times and
    nested models for their first reading)."""
    items = answer_list(value)
    if (not _ITEMS_WHEN_USED.get() or origin is None or origin[0] is None
            or any(item.__class__ is not dict for item in items)):
        read = model_class._from_json  # a caller's dict, or not a list of objects: read now
        return [read(_object(item), check, discard, (*path, key, index), origin)
                for index, item in enumerate(items)]
    # An answer's, inside a walk's call: each item read when first used.
    return [unread_model(model_class, item, check, (*path, key, index), origin)
            for index, item in enumerate(items)]


_ITEMS_WHEN_USED: ContextVar[bool] = ContextVar("airflow_sdk_items_when_used", default=False)


@contextlib.contextmanager
def items_read_when_used() -> Iterator[None]:
    """Inside the block, the items of an answer's lists of models are read when first used
    (`Model._unread`), not with the answer: a page walk's call, whose items are the caller's to
    read. Everywhere else an answer is read whole before the call returns, so that code acting
    on it (a dry run before a change) never meets a bad value half-way through."""
    token = _ITEMS_WHEN_USED.set(True)
    try:
        yield
    finally:
        _ITEMS_WHEN_USED.reset(token)


def datetime_json(value: Any) -> str:
    """A checked model's date-time as RFC 3339 text: the usual UTC value is its `isoformat()`."""
    if value.__class__ is datetime and value.tzinfo is timezone.utc:
        return value.isoformat()
    raise TypeError(value)


def models_json(value: Any, path: Path, key: str, keep_read_only: bool) -> list[Any]:
    """A list of nested models as JSON data."""
    return [cast(JsonWritable, item)._to_json((*path, key, index), keep_read_only)
            for index, item in enumerate(value)]
