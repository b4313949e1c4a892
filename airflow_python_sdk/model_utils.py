"""The model runtime's names (the original client's module path); the runtime itself lives in
`airflow_python_sdk._model_runtime`."""

from airflow_python_sdk._model_runtime import *  # noqa: F403
from airflow_python_sdk._model_runtime import __all__ as __all__
