"""The client's settings: `Configuration` (`configuration`), timeouts checked where they are
given (`timeouts`), settings kept only so that old scripts run (`inert`), and what the spec
says of itself (`spec_info`, generated)."""

from airflow_python_sdk._settings.configuration import (
    DEFAULT_MAX_ANSWER_BYTES,
    DEFAULT_TIMEOUT,
    Configuration,
    Timeout,
)

__all__ = ["DEFAULT_MAX_ANSWER_BYTES", "DEFAULT_TIMEOUT", "Configuration", "Timeout"]
