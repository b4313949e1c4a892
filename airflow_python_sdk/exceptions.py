"""The errors the SDK raises (the original client's module path). The tree, and what each
error means, is drawn in `airflow_python_sdk._errors`."""

from airflow_python_sdk._errors import *  # noqa: F403
from airflow_python_sdk._errors import __all__ as __all__
