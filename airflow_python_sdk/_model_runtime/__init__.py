"""The model runtime: what the generated models are built on, its names in one place.

The layer itself is in five modules, each with one job:
- `kinds`: how a field's values are checked, converted from JSON and written back;
- `enums`: string enums that keep values they do not list;
- `output`: how a model is written out (dicts, JSON data and text, printed text);
- `base`: the `Model` base and its `Field`s (construction, reading answers, access);
- `codec`: what the generated decoders and encoders call.
"""

from __future__ import annotations

from airflow_python_sdk._model_runtime.base import Field, Model
from airflow_python_sdk._model_runtime.codec import (
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
from airflow_python_sdk._model_runtime.enums import ModelEnum
from airflow_python_sdk._model_runtime.kinds import (
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
