"""Kept for scripts that import it: the retry policy is now transport/retry.py."""

from airflow_python_sdk.transport.retry import (
    RETRY_AFTER_MAX,
    RETRY_STATUSES,
    SAFE_METHODS,
    TOTAL_WAIT_MAX,
    RetriesExhausted,
    SdkRetry,
    attempts_made,
    default_retry,
    resolve_retry,
)

__all__ = [
    "RETRY_AFTER_MAX",
    "RETRY_STATUSES",
    "SAFE_METHODS",
    "TOTAL_WAIT_MAX",
    "RetriesExhausted",
    "SdkRetry",
    "attempts_made",
    "default_retry",
    "resolve_retry",
]
