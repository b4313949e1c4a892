"""The model layer's names in one place, where the generated models and scripts import them.

The layer itself is in five modules, each with one job:
- `model_kinds`: how a field's values are checked, converted from JSON and written back;
- `model_enum`: string enums that keep values they do not list;
- `model_output`: how a model is written out (dicts, JSON data and text, printed text);
- `model_base`: the `Model` base and its `Field`s (construction, reading answers, access);
- `model_codec`: what the generated decoders and encoders call.
"""

from __future__ import annotations

from airflow_python_sdk.model_base import Field, Model
from airflow_python_sdk.model_codec import (
    BOOL_OR_NULL,
    FLOAT_OR_NULL,
    INT_OR_NULL,
    STR_OR_NULL,
    answer_datetime,
    answer_list,
    answer_list_of,
    answer_model,
    answer_models,
    answer_number,
    datetime_json,
    models_json,
)
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
    "BOOL_OR_NULL",
    "DATETIME",
    "FLOAT_OR_NULL",
    "INTEGER",
    "INT_OR_NULL",
    "NUMBER",
    "STRING",
    "STR_OR_NULL",
    "EnumKind",
    "Field",
    "Kind",
    "ListKind",
    "Model",
    "ModelEnum",
    "ModelKind",
    "Path",
    "answer_datetime",
    "answer_list",
    "answer_list_of",
    "answer_model",
    "answer_models",
    "answer_number",
    "datetime_json",
    "models_json",
    "to_json_value",
]
