"""The model runtime: what the generated models are built on, its names in one place.

The layer itself is in eight modules, each with one job:
- `kinds`: how a field's values are checked, converted from JSON and written back;
- `enums`: string enums that keep values they do not list;
- `output`: how a model is written out (dicts, JSON data and text, printed text);
- `fields`: a model's `Field`s and `LazyField`s (reading and assigning one value);
- `base`: the `Model` base (construction, reading answers, access);
- `origin`: which answer a model came from, for the values it decodes when first read;
- `codec`: what the generated decoders and encoders call;
- `unread`: an answer's list items read when first used (a page walk's), and their identities.
"""

from __future__ import annotations

from airflow_python_sdk._model_runtime.base import Model
from airflow_python_sdk._model_runtime.codec import (
    BOOL_OR_NULL,
    FLOAT_OR_NULL,
    INT_OR_NULL,
    STR_OR_NULL,
    answer_datetime,
    answer_list,
    answer_list_of,
    answer_models,
    answer_number,
    datetime_json,
    items_read_when_used,
    models_json,
)
from airflow_python_sdk._model_runtime.enums import ModelEnum
from airflow_python_sdk._model_runtime.fields import Field, LazyField
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
from airflow_python_sdk._model_runtime.origin import Origin
from airflow_python_sdk._model_runtime.unread import answer_hashes, answer_values

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
    "LazyField",
    "ListKind",
    "Model",
    "ModelEnum",
    "ModelKind",
    "Origin",
    "Path",
    "answer_datetime",
    "answer_hashes",
    "answer_list",
    "answer_list_of",
    "answer_models",
    "answer_number",
    "answer_values",
    "datetime_json",
    "items_read_when_used",
    "models_json",
    "to_json_value",
]
