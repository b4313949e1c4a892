"""An error status as its typed exception, with the body read as an RFC 7807 problem.

This is above the transport on purpose: the transport answers every status as a `Response`,
and reading a problem needs the `Error` model, which the transport has no business knowing.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from airflow_python_sdk._errors import ApiStatusError, exception_for_status
from airflow_python_sdk.model.error import Error
from airflow_python_sdk.transport import Response

__all__ = ["error_for", "parse_problem", "raise_for_status"]

# How deep a problem document may nest and still be read as one (Airflow's are 3 deep at most).
_PROBLEM_DEPTH = 32


def raise_for_status(response: Response) -> None:
    """Raise the exception of `response`'s status unless it is 2xx."""
    if not 200 <= response.status <= 299:
        raise error_for(response)


def error_for(response: Response) -> ApiStatusError:
    """The exception of an error answer: its status's class, the body parsed as a problem."""
    body = response.data or b""
    return exception_for_status(response.status)(
        response.status,
        response.reason,
        body,
        response.headers,
        method=response.method,
        url=response.url,
        attempts=response.attempts if response.attempts > 1 else None,
        error=parse_problem(body),
    )


def parse_problem(body: Any) -> Optional[Error]:
    """The body as an RFC 7807 problem, or None when it is not JSON with a problem's fields."""
    if not body:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not document.keys() & {"title", "detail", "details"}:
        return None
    if _deeper_than(document, _PROBLEM_DEPTH):
        # Problems are shallow; one nested hundreds deep would break whatever walks it later
        # (printing, normalizing). Its body is still quoted, as an excerpt.
        return None
    # Problems come from servers we do not control: keep what they say even when a field has an
    # unexpected type (Airflow 3 sends `detail` as a list for validation errors).
    return Error.from_dict(document, _check_type=False)


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether `document` nests lists and objects more than `limit` deep (walked without
    recursion, so that any depth can be measured)."""
    pending = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return False
