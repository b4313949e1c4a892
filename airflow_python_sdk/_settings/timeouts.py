"""Checking a timeout where it is given, so that a bad one is refused before anything is sent.

A timeout is seconds, a (connect, read) pair of seconds, or a urllib3 `Timeout` (checked by
urllib3 when it is made). Every number must be above 0 and at most `LONGEST_TIMEOUT` (a day): 0
would fail every call at once, a negative number or nan makes the socket layer raise, inf would
let a stalled server hang a job, which the SDK promises never happens, and 1e300 is accepted by
nothing below (it failed at connect as "timestamp out of range"); no answer is worth waiting a
day for.
"""

from __future__ import annotations

import math
from typing import Any

from airflow_python_sdk._errors import ApiValueError

__all__ = ["LONGEST_TIMEOUT", "check_timeout", "seconds_from_text"]

LONGEST_TIMEOUT = 24 * 60 * 60  # seconds
_RULE = f"give seconds above 0 and at most {LONGEST_TIMEOUT} seconds (a day)"


def _is_seconds(value: Any) -> bool:
    # Compared, never converted: nan and inf fail the comparison, and an int of 400 digits
    # does not overflow a float on its way.
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and 0 < value <= LONGEST_TIMEOUT)


def check_timeout(value: Any, name: str = "timeout") -> Any:
    """`value` itself when it is a usable timeout (None means the default); `ApiValueError`
    naming `name` and the value otherwise."""
    if value is None or _is_seconds(value):
        return value
    if isinstance(value, tuple) and len(value) == 2 and all(_is_seconds(part) for part in value):
        return value
    # Looked up by name: importing urllib3 here would make every import of the settings slower.
    if type(value).__name__ == "Timeout" and type(value).__module__.startswith("urllib3"):
        return value
    raise ApiValueError(
        f"Invalid {name} {_shown(value)}: {_RULE}, or a (connect, read) pair of them",
        path_to_item=[name],
    )


def seconds_from_text(text: str, name: str) -> float:
    """A timeout written as text (an environment variable, an option): finite seconds above 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not _is_seconds(value):
        raise ApiValueError(f"{name}: {_RULE}, got {_shown(text)}", path_to_item=[name])
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
