"""The model layer's names in one place, where the generated models and scripts import them.

The layer itself is in four modules, each with one job:
- `model_kinds`: how a field's values are checked, converted from JSON and written back;
- `model_enum`: string enums that keep values they do not list;
- `model_output`: how a model is written out (dicts, JSON data and text, printed text);
- `model_base`: the `Model` base and its `Field`s (construction, reading answers, access).
"""

from __future__ import annotations

from airflow_python_sdk.model_base import PLAN_LIMIT, Field, Model
from airflow_python_sdk.model_enum import ModelEnum
from airflow_python_sdk.model_kinds import (
    ANY,
    BOOLEAN,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    EnumKind,
    Kind,
    ListKind,
    ModelKind,
    Path,
    to_json_value,
)

__all__ = [
    "ANY",
    "BOOLEAN",
    "DATETIME",
    "INTEGER",
    "NUMBER",
    "STRING",
    "EnumKind",
    "Field",
    "Kind",
    "ListKind",
    "Model",
    "ModelEnum",
    "ModelKind",
    "Path",
    "to_json_value",
]

# The bound on remembered answer layouts, under the name this module gave it before the split.
_PLAN_LIMIT = PLAN_LIMIT
