"""`Configuration`: where the server is and how to reach it (the original client's module path;
the settings live in `airflow_python_sdk._settings`)."""

from airflow_python_sdk._settings import (
    DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_TIMEOUT,
    Configuration,
    Timeout,
)

__all__ = ["DEFAULT_MAX_ANSWER_BYTES", "DEFAULT_TIMEOUT", "Configuration", "Timeout"]
