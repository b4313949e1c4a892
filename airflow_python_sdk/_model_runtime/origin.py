"""Where an answer's model came from, so that a value decoded after the call (a date-time or a
nested model, see `LazyField`) fails as the call itself would have: with the answer's status,
method and URL.

A model read from an answer keeps its `Origin` while any of its values is still pending. The
tuple is made once per answer and shared by every model read from it.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from airflow_python_sdk._errors import (
    ApiTypeError,
    ApiValueError,
    ResponseTypeError,
    ResponseValueError,
)

__all__ = ["Origin", "answer_error", "eager_origin"]

# The answer a model was read from: its status (None for a model read from a dict a caller gave,
# whose errors stay ApiTypeError/ApiValueError), the request's method and URL, and whether the
# configuration drops the fields the spec does not know (`discard_unknown_keys`), which a nested
# model read later must honour too. A plain tuple: one is made for every answer, and a named
# tuple costs as much to make as reading three fields of the answer.
Origin = tuple[Optional[int], Optional[str], Optional[str], bool]


# Models read from a caller's dict decode every value at once, with these.
_FROM_DICT: tuple[Origin, Origin] = ((None, None, None, False), (None, None, None, True))


def eager_origin(discard: bool) -> Origin:
    """The origin of a model read from a dict a caller gave (not an answer)."""
    return _FROM_DICT[discard]


def answer_error(error: Union[ApiTypeError, ApiValueError], origin: Optional[Origin],
                 holder: Any) -> Exception:
    """The error a value of an answer that fails to decode raises: `error` itself for a model
    read from a caller's dict; for an answer, the `ResponseTypeError`/`ResponseValueError` the
    call would have raised, whose body is the JSON object that holds the value (`holder`)."""
    status = None if origin is None else origin[0]
    if origin is None or status is None:
        return error
    _, method, url, _ = origin
    try:
        body: Optional[str] = json.dumps(holder, default=repr, ensure_ascii=False)
    except (RecursionError, ValueError):  # an unknown field nested deeper than json writes
        body = None
    if isinstance(error, ApiTypeError):
        return ResponseTypeError(error, status=status, body=body, method=method, url=url)
    return ResponseValueError(str(error), status=status, body=body,
                              path_to_item=error.path_to_item, method=method, url=url)
