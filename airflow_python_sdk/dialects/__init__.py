"""Dialects: how the spec's operations reach servers that address task instances differently.

"draft" (the spec itself) is built into `ApiClient`; this package holds the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_python_sdk.exceptions import ApiValueError

if TYPE_CHECKING:
    from airflow_python_sdk.api_client import Dialect

__all__ = ["KNOWN_DIALECTS", "load_dialect"]

KNOWN_DIALECTS = ("draft",)


def load_dialect(name: str) -> Dialect:
    """The dialect called `name`."""
    raise ApiValueError(
        f"Unknown dialect {name!r}: Configuration.dialect must be one of "
        + ", ".join(KNOWN_DIALECTS)
    )
