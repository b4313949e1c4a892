"""Warnings about settings that expose credentials or traffic, and URLs safe to show.

Both warnings are `warnings.warn` categories, so a job can silence exactly them with a filter.
`InsecureTransportWarning` subclasses urllib3's `InsecureRequestWarning`: whoever already
silenced urllib3's warning about unverified HTTPS is not told a second time.
"""

from __future__ import annotations

import ipaddress
import threading
import warnings
from collections.abc import Mapping
from typing import Optional
from urllib.parse import urlsplit

from urllib3.exceptions import InsecureRequestWarning

from airflow_python_sdk._internal.redaction import redact_url

__all__ = [
    "InsecureCredentialsWarning",
    "InsecureTransportWarning",
    "forget_warned_hosts",
    "is_loopback",
    "redact_url",
    "warn_if_credentials_in_clear",
    "warn_unverified_tls",
]


class InsecureCredentialsWarning(UserWarning):
    """Credentials are about to travel unencrypted beyond this machine."""


class InsecureTransportWarning(InsecureRequestWarning):
    """TLS certificates are not verified: anyone on the path can read and change the traffic."""


_warned_hosts: set[tuple[str, str, int]] = set()
_warned_lock = threading.Lock()
# scheme://host:port -> (scheme, host, port) when credentials sent there travel in clear text.
_exposed_origins: dict[str, Optional[tuple[str, str, int]]] = {}
_ORIGINS_REMEMBERED = 256


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine (localhost, 127.0.0.0/8, ::1)."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def warn_if_credentials_in_clear(url: str, headers: Mapping[str, str]) -> None:
    """Warn, once per host and port in this process, when an Authorization header is about to
    be sent over plain http to a host that is not this machine."""
    if "Authorization" not in headers and not any(
        name.lower() == "authorization" for name in headers
    ):
        return
    # Called for every request: the verdict for a scheme and host is worked out once.
    start = url.find("//") + 2
    end = url.find("/", start)
    origin = url if end < 0 else url[:end]
    if origin in _exposed_origins:
        exposed = _exposed_origins[origin]
    else:
        exposed = _exposed(origin)
        if len(_exposed_origins) >= _ORIGINS_REMEMBERED:
            _exposed_origins.clear()
        _exposed_origins[origin] = exposed
    if exposed is None:
        return
    with _warned_lock:
        if exposed in _warned_hosts:
            return
        _warned_hosts.add(exposed)
    warnings.warn(
        f"Credentials are sent unencrypted to {exposed[1]}:{exposed[2]} over plain http; anyone "
        "on the network path can read them. Use an https:// host.",
        InsecureCredentialsWarning,
        stacklevel=4,
    )


def _exposed(origin: str) -> Optional[tuple[str, str, int]]:
    """(scheme, host, port) when `origin` is plain http to another machine, else None."""
    try:
        parts = urlsplit(origin)
        hostname = parts.hostname
    except ValueError:
        return None  # not a URL urllib3 can send to either: its own error says so
    if parts.scheme.lower() != "http" or not hostname or is_loopback(hostname):
        return None
    try:
        port = parts.port or 80
    except ValueError:
        port = 80
    return ("http", hostname.lower(), port)


def warn_unverified_tls() -> None:
    """Warn that `verify_ssl=False` turns off certificate checks."""
    warnings.warn(
        "verify_ssl is False: server certificates are not checked, so a machine in the middle "
        "can read and change every request, credentials included. Prefer ssl_ca_cert with the "
        "server's CA bundle.",
        InsecureTransportWarning,
        stacklevel=4,
    )


def forget_warned_hosts() -> None:
    """Warn again about hosts already warned about: for a program that runs jobs one after
    another in one process and wants each to say it (the command's `main()`, once per run)."""
    with _warned_lock:
        _warned_hosts.clear()
