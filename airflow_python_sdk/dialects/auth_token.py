"""Airflow 3's bearer tokens: fetched once, shared by every call of a client, renewed on a 401.

Airflow 3 refuses basic auth on its REST API; a client first trades a username and password for a
JWT at `POST {root}/auth/token` and then sends `Authorization: Bearer <token>`. Tokens expire
(after 24 h by default), so a 401 triggers one renewal and one retry of the call; a second 401 is
the caller's to see. A token given as `Configuration.access_token` is used first.

One fetch is in flight at a time, and the lock is not held while it runs: the other threads that
need a token wait for that fetch's result (it is bounded by the call's timeout and retries) and,
when it fails, all fail with its error at once, instead of each trying in turn.

Tokens are secrets: they are only ever put in a request header, never in a message or a log. The
token request's body holds the password, so it never follows a redirect (a 307 or 308 would send
it on to wherever the server says), and its answer is never quoted in an error.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from typing import Optional

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ApiStatusError,
    ApiValueError,
    ResponseValueError,
)
from airflow_python_sdk._internal.redaction import Secret, SecretBytes, redact_url
from airflow_python_sdk._operation import CallOptions
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.problems import parse_problem
from airflow_python_sdk.dialects.wire import exchange

__all__ = ["TOKEN_PATH", "BearerTokens", "header_safe_token"]

TOKEN_PATH = "/auth/token"

# RFC 6750's b64token is narrower; any visible ASCII is let through, since servers differ, but
# never a space, a control character (CR/LF would split the header) or a non-ASCII letter.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]{1,65536}")
_NO_TOKEN = "Airflow 3 gave no access token for the configured username and password"


def header_safe_token(token: str) -> bool:
    """Whether `token` can be sent as `Authorization: Bearer <token>`."""
    return _HEADER_SAFE.fullmatch(token) is not None


class _Flight:
    """One token request under way; the threads that need its token wait on `done`."""

    __slots__ = ("done", "error", "token")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.token: Optional[str] = None
        self.error: Optional[BaseException] = None


class BearerTokens:
    """The current token of one client; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: Optional[str] = None
        self._flight: Optional[_Flight] = None

    def __repr__(self) -> str:
        return f"BearerTokens(token={'(set)' if self._token else None})"

    def current(self, channel: Channel, root: str, options: CallOptions) -> Optional[str]:
        """The token to send, fetched first if there is none yet (None without credentials)."""
        with self._lock:
            if self._token is not None:
                return self._token
            configured = channel.configuration.access_token
            if configured:
                if not header_safe_token(configured):
                    raise ApiValueError(
                        "Configuration.access_token has characters no HTTP header can carry "
                        "(only visible ASCII, no spaces or line breaks)",
                        path_to_item=["access_token"],
                    )
                self._token = Secret(configured)
                return self._token
            if not _has_credentials(channel):
                return None
        return self._fetch_once(channel, root, options)

    def renew(self, channel: Channel, root: str, options: CallOptions,
              refused: Optional[str]) -> bool:
        """Replace the token `refused` by a 401; True when a retry with a new token makes sense.

        When several calls are refused at once only the first fetches: the others find the token
        already replaced, or the fetch under way, and retry with its token.
        """
        if not _has_credentials(channel):
            return False
        with self._lock:
            if self._token is not None and self._token != refused:
                return True
            self._token = None
        self._fetch_once(channel, root, options)
        return True

    def _fetch_once(self, channel: Channel, root: str, options: CallOptions) -> str:
        with self._lock:
            if self._token is not None:
                return self._token
            flight = self._flight
            leading = flight is None
            if flight is None:
                flight = self._flight = _Flight()
        if not leading:
            return _result_of(flight)
        try:
            token = _fetch(channel, root, options)
        except BaseException as error:
            flight.error = error
            raise
        else:
            flight.token = token
            with self._lock:
                self._token = token
        finally:
            with self._lock:
                self._flight = None
            flight.done.set()
        return token


def _result_of(flight: _Flight) -> str:
    # The fetch is bounded by its timeout and retries, so this wait is too.
    flight.done.wait()
    error = flight.error
    if isinstance(error, Exception):
        # A copy: one exception object raised on several threads would mix their tracebacks.
        raise copy.copy(error) from None
    if error is not None or flight.token is None:
        raise ApiConnectionError("the access token request was interrupted",
                                 method="POST", url=None)
    return flight.token


def _has_credentials(channel: Channel) -> bool:
    config = channel.configuration
    return config.username is not None or config.password is not None


def _fetch(channel: Channel, root: str, options: CallOptions) -> str:
    config = channel.configuration
    body = SecretBytes(json.dumps(
        {"username": config.username or "", "password": config.password or ""}
    ).encode())
    url = redact_url(root + TOKEN_PATH)
    try:
        answer = exchange(channel, "POST", root, TOKEN_PATH, options, body=body,
                          follow_redirects=False)
    except ResponseValueError as exc:
        # Not JSON: the text may well be the token in another shape (`access_token=eyJ...`).
        raise ResponseValueError("the answer is not JSON", status=exc.status, body=None,
                                 method="POST", url=url) from None
    except ApiStatusError as exc:
        if 300 <= exc.status <= 399:
            raise _redirected(exc, url) from None
        raise with_problem(exc, _NO_TOKEN) from None
    except ApiException as exc:
        raise with_problem(exc, _NO_TOKEN) from None
    document = answer.document
    token = document.get("access_token") if isinstance(document, dict) else None
    if not isinstance(token, str) or not token:
        # The body is left out on purpose: it could hold a token in an unexpected field.
        raise ResponseValueError("the answer has no `access_token`", status=answer.status,
                                 body=None, method="POST", url=url)
    if not header_safe_token(token):
        raise ResponseValueError(
            "the answer's `access_token` has characters no HTTP header can carry (only visible "
            "ASCII, no spaces or line breaks)", status=answer.status, body=None, method="POST",
            url=url)
    return Secret(token)


def _redirected(exc: ApiStatusError, url: str) -> ApiStatusError:
    location = exc.headers.get("Location") or "(no Location)"
    if len(location) > 200:
        location = location[:200] + "..."
    detail = (f"the token endpoint redirected ({exc.status}) to {redact_url(location)}; the "
              "username and password are not sent on after a redirect: set Configuration.host "
              "to the server's final address")
    problem = {"type": "about:blank", "title": "Redirected", "status": exc.status,
               "detail": detail}
    text = json.dumps(problem)
    return type(exc)(exc.status, exc.reason, text, {"Content-Type": "application/problem+json"},
                     method="POST", url=url, error=parse_problem(text))
