"""Turning what went wrong into one line a person can act on, and an exit status."""

from __future__ import annotations

import re

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

__all__ = ["UnusableAnswer", "UsageError", "describe", "exit_code_for", "in_shell_words"]

# The longest error line printed for an API error.
_MESSAGE_CHARS = 2000
# The SDK's messages name the Configuration setting to change; a shell user changes an option or
# an environment variable instead.
_SHELL_WORDS = {
    "host": "--host (or AIRFLOW_API_HOST)",
    "dialect": "--dialect (or AIRFLOW_API_DIALECT)",
    "timeout": "--timeout (or AIRFLOW_API_TIMEOUT)",
    "username": "--user (or AIRFLOW_API_USERNAME)",
    "password": "AIRFLOW_API_PASSWORD",
    "verify_ssl": "AIRFLOW_API_VERIFY_SSL",
    "ssl_ca_cert": "AIRFLOW_API_CA_CERT",
}
_SETTING = re.compile(r"\bConfiguration\.([a-z_]+)")


class UsageError(Exception):
    """The command line cannot be run as given; nothing was sent."""


class UnusableAnswer(ApiException):
    """A server's answer the command cannot act on, though it was read: a dry run naming a task
    instance without an execution date, a negative count. The server's error (exit status 5);
    the message says what was wrong and what was, or was not, changed."""

    def __init__(self, message: str) -> None:
        super().__init__(0, "unusable answer")
        self.message = message
        self.args = (message,)  # what pickle and copy rebuild it from

    def __str__(self) -> str:
        return self.message


def describe(error: OpenApiException) -> str:
    """One line: the status, the problem's title and detail (or what the connection did)."""
    if not isinstance(error, ApiException) or isinstance(error, (ApiConnectionError,
                                                                 UnusableAnswer)):
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


def in_shell_words(text: str) -> str:
    """`text` with each Configuration setting it names replaced by the option or variable that
    sets it from a shell (settings the command has no way to set are left as they are)."""
    return _SETTING.sub(lambda found: _SHELL_WORDS.get(found.group(1), found.group(0)), text)


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
