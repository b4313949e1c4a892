"""Tokens a server gives to be sent back in a URL: a list's next cursor, a log's continuation
token. Each is checked before it is sent: text, and no longer than `LONGEST_TOKEN`."""

from __future__ import annotations

from typing import Any

from airflow_python_sdk._errors import ApiValueError

__all__ = ["LONGEST_TOKEN", "checked_token"]

# The longest token a server's answer may ask the SDK to send back in a URL: real ones are under
# 300 characters, and servers refuse request lines of a few kilobytes (gunicorn, which serves
# Airflow 2, at 4,094 bytes). A longer one is the server's error, never an 8 MB URL.
LONGEST_TOKEN = 4096


def checked_token(token: Any, name: str) -> str:
    """`token` when it can be sent back; `ApiValueError` naming `name` when it is no text or
    longer than `LONGEST_TOKEN` (it is not quoted: it could be megabytes)."""
    if not isinstance(token, str):
        raise ApiValueError(f"the answer's `{name}` is not text ({type(token).__name__})",
                            path_to_item=[name])
    if len(token) > LONGEST_TOKEN:
        raise ApiValueError(
            f"the answer's `{name}` is {len(token)} characters long, more than the "
            f"{LONGEST_TOKEN} a URL can carry to a server: not sent back",
            path_to_item=[name])
    return token
