"""Hypothesis strategies for JSON documents shaped like a model's answer, right or wrong.

A document sets any subset of the model's fields, each to either a value of the field's own kind
(right), a value of another kind or shape (wrong: nulls, huge numbers, nested arrays, invalid
date-times), and adds keys the model does not know. `check_model` says whether a model that came
out of such a document holds only values of its fields' types.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from airflow_python_sdk.model_utils import (
    BOOLEAN,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    EnumKind,
    Kind,
    ListKind,
    Model,
    ModelKind,
)

HUGE_INTEGERS = st.sampled_from([2**63, -(2**63) - 1, 10**400, -(10**400)])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_INTEGERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=6,
)
DATE_TEXT = st.one_of(
    st.datetimes(timezones=st.just(dt.timezone.utc)).map(lambda d: d.isoformat()),
    st.sampled_from([
        "2026-11-26T00:00:00Z", "2026-11-26", "2026-02-30T00:00:00+00:00", "24:00",
        "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "yesterday", "",
        "2026-11-26T00:00:00+99:00", "\u0662\u0660\u0662\u0666-11-26",
    ]),
    st.text(max_size=25),
)
# Deep, but within what json.loads itself accepts.
DEEP = st.integers(min_value=50, max_value=120).map(lambda depth: _nested(depth))


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def right_value(kind: Kind[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A JSON value of `kind`, as a server following the spec would send it."""
    if kind is STRING:
        return st.text(max_size=20)
    if kind is INTEGER:
        return st.integers() | HUGE_INTEGERS
    if kind is NUMBER:
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**53), 2**53)
    if kind is BOOLEAN:
        return st.booleans()
    if kind is DATETIME:
        return DATE_TEXT
    if isinstance(kind, EnumKind):
        return st.sampled_from([m.value for m in kind.enum_class]) | st.text(max_size=12)
    if isinstance(kind, ModelKind):
        return document(kind.model_class, depth + 1)
    if isinstance(kind, ListKind):
        return st.lists(right_value(kind.item, depth + 1), max_size=3)
    return ANY_JSON


def document(model: type[Model], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object for `model`: some of its fields right, some wrong, some unknown keys."""
    fields = {
        key: (st.one_of(right_value(field.kind, depth), ANY_JSON, DEEP) if depth < 3
              else ANY_JSON)
        for key, field in model._fields.items()
    }
    known = st.fixed_dictionaries({}, optional=fields)
    unknown = st.dictionaries(st.text(max_size=10).filter(lambda key: key not in model._fields),
                              ANY_JSON, max_size=3)
    return st.tuples(known, unknown).map(lambda parts: {**parts[1], **parts[0]})


def _holds(kind: Kind[Any], value: Any) -> bool:
    if value is None:
        return True
    if kind is STRING:
        return isinstance(value, str)
    if kind is INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is NUMBER:
        return isinstance(value, float)
    if kind is BOOLEAN:
        return isinstance(value, bool)
    if kind is DATETIME:
        return isinstance(value, dt.datetime)
    if isinstance(kind, EnumKind):
        return isinstance(value, kind.enum_class)
    if isinstance(kind, ModelKind):
        return isinstance(value, kind.model_class) and check_model(value)
    if isinstance(kind, ListKind):
        return isinstance(value, list) and all(_holds(kind.item, item) for item in value)
    return True


def check_model(model: Model) -> bool:
    """Whether every known field of `model` holds a value of its declared type (or None)."""
    fields = type(model)._fields
    return all(_holds(fields[key].kind, model.get(key)) for key in model if key in fields)
