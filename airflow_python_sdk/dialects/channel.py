"""What a dialect reaches a server through: the transport, the client's settings and headers,
and the codec that reads answers as models.

`ApiClient` makes one channel and hands it to its dialect with every call, so dialects never
import the client. `send` is the one way a request leaves the SDK: the client's default headers,
cookie and the named security schemes' credentials go on it, the call's options pick the
timeout, retries and whether the body is read, and an error status raises its typed exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional

from airflow_python_sdk._operation import CallOptions, PreparedRequest
from airflow_python_sdk._settings.configuration import Configuration
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.transport import (
    Request,
    Response,
    SendOptions,
    Transport,
    encode_body,
    raise_for_status,
)

__all__ = ["Channel"]

_AUTH_SETTINGS = Configuration.auth_settings
_BASIC_TOKEN = Configuration.get_basic_auth_token


class Channel:
    """One client's way to its server; safe to share between threads."""

    def __init__(self, configuration: Configuration, transport: Transport,
                 default_headers: dict[str, str]) -> None:
        self.configuration = configuration
        self.transport = transport
        # The client's own dict: headers it sets later are sent too.
        self.default_headers = default_headers
        self.cookie: Optional[str] = None
        self._basic: tuple[Any, dict[str, str]] = ((), {})

    @property
    def codec(self) -> Codec:
        # Made per use: `discard_unknown_keys` may change on the configuration at any time.
        return Codec(self.configuration.discard_unknown_keys)

    def host_for(self, host_index: Optional[int]) -> str:
        """The base URL of a call: the configured host, or server `host_index` of the spec's."""
        config = self.configuration
        if host_index is None:
            return config.host.rstrip("/")
        return config.get_host_from_settings(host_index, config.server_variables).rstrip("/")

    def auth_headers(self, auth: Sequence[str]) -> dict[str, str]:
        """The credentials the named security schemes send."""
        headers: dict[str, str] = {}
        if not auth:
            return headers
        config = self.configuration
        kind = type(config)
        if (tuple(auth) == ("basicAuth",) and kind.auth_settings is _AUTH_SETTINGS
                and kind.get_basic_auth_token is _BASIC_TOKEN):
            # The usual call: its header is made once per user name and password (unless a
            # subclass of Configuration makes credentials its own way).
            credentials = (config.username, config.password)
            cached = self._basic
            if cached[0] != credentials:
                cached = self._basic = (credentials, self._auth_headers(auth))
            return dict(cached[1])
        return self._auth_headers(auth)

    def _auth_headers(self, auth: Sequence[str]) -> dict[str, str]:
        headers: dict[str, str] = {}
        settings = self.configuration.auth_settings()
        for name in auth:
            setting = settings.get(name)
            if setting and setting["in"] == "header" and setting["value"] is not None:
                headers[setting["key"]] = setting["value"]
        return headers

    def send(
        self,
        request: PreparedRequest,
        options: CallOptions,
        base_url: str,
        *,
        auth: Sequence[str] = (),
        headers: Optional[Mapping[str, str]] = None,
        preload: Optional[bool] = None,
        form: Optional[Sequence[tuple[Any, Any]]] = None,
        follow_redirects: bool = True,
    ) -> Response:
        """Send a prepared request to `base_url`; answer the 2xx `Response` (its body unread
        when not preloaded). Error statuses raise the typed exceptions; with
        `follow_redirects=False` a redirect is one of them (`ApiStatusError`)."""
        sent = dict(self.default_headers)
        if self.cookie:
            sent["Cookie"] = self.cookie
        sent.update(request.headers)
        sent.update(self.auth_headers(auth))
        if headers:
            sent.update(headers)
        body = encode_body(request.body, sent, form)
        wire = Request(request.method, base_url + request.path_and_query(), sent, body,
                       display_url=base_url + request.path)
        response = self.transport.handle(wire, SendOptions(
            options._preload_content if preload is None else preload,
            options._request_timeout,
            options._retries,
            follow_redirects=follow_redirects,
        ))
        raise_for_status(response)
        return response
