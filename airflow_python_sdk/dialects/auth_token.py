"""Airflow 3's bearer tokens: fetched once, shared by every call of a client, renewed on a 401.

Airflow 3 refuses basic auth on its REST API; a client first trades a username and password for a
JWT at `POST {root}/auth/token` and then sends `Authorization: Bearer <token>`. Tokens expire
(after 24 h by default), so a 401 triggers one renewal and one retry of the call; a second 401 is
the caller's to see. A token given as `Configuration.access_token` is used first.

Tokens are secrets: they are only ever put in a request header, never in a message or a log.
"""

from __future__ import annotations

import threading
from typing import Optional

from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.wire import exchange
from airflow_python_sdk.endpoint import CallOptions
from airflow_python_sdk.exceptions import ApiException, ResponseValueError

__all__ = ["TOKEN_PATH", "BearerTokens"]

TOKEN_PATH = "/auth/token"


class BearerTokens:
    """The current token of one client; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: Optional[str] = None

    def __repr__(self) -> str:
        return f"BearerTokens(token={'(set)' if self._token else None})"

    def current(self, channel: Channel, root: str, options: CallOptions) -> Optional[str]:
        """The token to send, fetched first if there is none yet (None without credentials)."""
        with self._lock:
            if self._token is None:
                configured = channel.configuration.access_token
                if configured:
                    self._token = configured
                elif _has_credentials(channel):
                    self._token = _fetch(channel, root, options)
            return self._token

    def renew(self, channel: Channel, root: str, options: CallOptions,
              refused: Optional[str]) -> bool:
        """Replace the token `refused` by a 401; True when a retry with a new token makes sense.

        When several calls are refused at once only the first fetches: the others find the token
        already replaced and simply retry with it.
        """
        if not _has_credentials(channel):
            return False
        with self._lock:
            if self._token is not None and self._token != refused:
                return True
            self._token = None
            self._token = _fetch(channel, root, options)
            return True


def _has_credentials(channel: Channel) -> bool:
    config = channel.configuration
    return config.username is not None or config.password is not None


def _fetch(channel: Channel, root: str, options: CallOptions) -> str:
    config = channel.configuration
    credentials = {"username": config.username or "", "password": config.password or ""}
    try:
        answer = exchange(channel, "POST", root, TOKEN_PATH, options, body=credentials)
    except ApiException as exc:
        raise with_problem(
            exc, "Airflow 3 gave no access token for the configured username and password"
        ) from None
    document = answer.document
    token = document.get("access_token") if isinstance(document, dict) else None
    if not isinstance(token, str) or not token:
        # The body is left out on purpose: it could hold a token in an unexpected field.
        raise ResponseValueError("the answer has no `access_token`", status=answer.status,
                                 body=None, method="POST", url=answer.url)
    return token
