"""Property: a model survives the trip to JSON and back, and through to_dict() and back.

Valid models are generated from the models' own field declarations, so a field added to the
spec is covered without touching this test.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import airflow_python_sdk
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance
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

EXAMPLES = 100
MODELS = [TaskInstance, ExtraLinkCollection, InlineResponse200]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


def value_of(kind: Kind[Any], writable_only: bool = False) -> st.SearchStrategy[Any]:
    if kind is STRING:
        return TEXT
    if kind is INTEGER:
        return st.integers()
    if kind is NUMBER:
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind is BOOLEAN:
        return st.booleans()
    if kind is DATETIME:
        return st.datetimes(timezones=OFFSETS)
    if isinstance(kind, EnumKind):
        return st.sampled_from(list(kind.enum_class)) | TEXT.map(kind.enum_class)
    if isinstance(kind, ModelKind):
        return model_of(kind.model_class, writable_only=writable_only)
    if isinstance(kind, ListKind):
        return st.lists(value_of(kind.item, writable_only), max_size=3)
    raise AssertionError(f"no strategy for {kind.name}")


def model_of(model: type[Model], *, writable_only: bool = False) -> st.SearchStrategy[Model]:
    fields = {
        key: st.none() | value_of(field.kind, writable_only)
        for key, field in model._fields.items()
        if not (writable_only and field.read_only)
    }
    return st.fixed_dictionaries({}, optional=fields).map(lambda values: model(**values))


CLIENT = airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration())


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_to_dict_and_back_gives_an_equal_model(model, data):
    original = data.draw(model_of(model), label="model")

    again = model.from_dict(original.to_dict())

    assert again == original
    assert again.to_dict() == original.to_dict()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_json_and_back_gives_an_equal_model(model, data):
    # What is sent is what the server would echo back: read-only fields are not sent at all.
    original = data.draw(model_of(model, writable_only=True), label="model")

    wire = json.dumps(CLIENT.sanitize_for_serialization(original), allow_nan=False)
    again = model.from_dict(json.loads(wire))

    assert again == original
    for key in original:
        value = original[key]
        if isinstance(value, dt.datetime):
            # Same instant and the same offset, not merely an equal instant.
            assert again[key].utcoffset() == value.utcoffset()
