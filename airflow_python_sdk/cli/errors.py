"""Turning what went wrong into one line a person can act on, and an exit status."""

from __future__ import annotations

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    UnauthorizedException,
)
from airflow_python_sdk._internal.reason_phrases import reason_phrase
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.safe_text import cut, escaped

__all__ = ["UsageError", "describe", "exit_code_for"]

# The longest error line printed for an API error.
_MESSAGE_CHARS = 2000


class UsageError(Exception):
    """The command line cannot be run as given; nothing was sent."""


def describe(error: OpenApiException) -> str:
    """One line: the status, the problem's title and detail (or what the connection did)."""
    if not isinstance(error, ApiException) or isinstance(error, ApiConnectionError):
        return _one_line(str(error))
    problem = error.error
    title = ""
    detail = ""
    if problem is not None:
        title = str(problem.get("title") or "")
        raw_detail = problem.get("detail")
        if raw_detail is None:
            raw_detail = problem.get("details")
        detail = "" if raw_detail in (None, "") else str(raw_detail)
    if not title:
        title = error.reason or _phrase(error.status)
    if problem is None and not detail:
        # Not a problem document: str() already quotes a short excerpt of whatever came back.
        return _one_line(str(error))
    text = f"{error.status} {title}".strip()
    if detail:
        text += f": {detail}"
    return _one_line(text)


def exit_code_for(error: ApiException) -> int:
    if isinstance(error, (UnauthorizedException, ForbiddenException)):
        return exit_codes.AUTH_FAILED
    if isinstance(error, NotFoundException):
        return exit_codes.NOT_FOUND
    if isinstance(error, ApiConnectionError):
        return exit_codes.UNREACHABLE
    return exit_codes.API_ERROR


def _phrase(status: int) -> str:
    return reason_phrase(status, "") or ""


def _one_line(text: str) -> str:
    # A server's words: on one line, control characters escaped, and not a megabyte of them.
    return cut(escaped(" ".join(text.split())), _MESSAGE_CHARS)
