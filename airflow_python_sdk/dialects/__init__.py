"""Dialects: how the spec's operations reach servers that address task instances differently.

Every dialect sends through a `Channel` (channel.py: the client's transport, headers and
settings) and maps answers with the `Codec` (codec.py); none imports `ApiClient`.

- "draft": the spec itself (spec.py);

- "airflow2": Apache Airflow 2.x, REST API under /api/v1, HTTP basic auth;
- "airflow3": Apache Airflow 3.x, REST API under /api/v2, JWT bearer tokens;
- "auto": asks the server's /version once and then speaks its dialect.

Each client gets its own dialect object, which remembers what it learns (run ids, tokens, the
server's version) for that client only. docs/AIRFLOW_SERVERS.md says what maps to what.
"""

from __future__ import annotations

from airflow_python_sdk._errors import (
    ApiValueError,
    RunNotFoundException,
    UnsupportedOperationException,
)
from airflow_python_sdk.dialects.outcome import Dialect, Outcome

__all__ = [
    "KNOWN_DIALECTS",
    "Dialect",
    "Outcome",
    "RunNotFoundException",
    "UnsupportedOperationException",
    "load_dialect",
]

KNOWN_DIALECTS = ("draft", "airflow2", "airflow3", "auto")


def load_dialect(name: str) -> Dialect:
    """A new dialect object for `name` (case and surrounding spaces do not matter)."""
    wanted = name.strip().lower() if isinstance(name, str) else name
    # Imported on demand: a client loads only the dialect it uses.
    if wanted == "airflow2":
        from airflow_python_sdk.dialects.airflow2 import Airflow2Dialect

        return Airflow2Dialect()
    if wanted == "airflow3":
        from airflow_python_sdk.dialects.airflow3 import Airflow3Dialect

        return Airflow3Dialect()
    if wanted == "auto":
        from airflow_python_sdk.dialects.auto import AutoDialect

        return AutoDialect()
    if wanted == "draft":
        from airflow_python_sdk.dialects.spec import SpecDialect

        return SpecDialect()
    raise ApiValueError(
        f"Unknown dialect {name!r}: Configuration.dialect must be one of "
        + ", ".join(KNOWN_DIALECTS)
    )
