"""Kept for scripts that import it: the security warnings are now transport/security.py."""

from airflow_python_sdk.transport.security import (
    InsecureCredentialsWarning,
    InsecureTransportWarning,
    _forget_warned_hosts,
    is_loopback,
    redact_url,
    warn_if_credentials_in_clear,
    warn_unverified_tls,
)

__all__ = [
    "InsecureCredentialsWarning",
    "InsecureTransportWarning",
    "_forget_warned_hosts",
    "is_loopback",
    "redact_url",
    "warn_if_credentials_in_clear",
    "warn_unverified_tls",
]
