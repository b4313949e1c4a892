"""What a dialect reaches a server through: the transport, the client's settings and headers,
and the codec that reads answers as models.

`ApiClient` makes one channel, with one codec, and hands it to its dialect with every call, so
dialects never import the client. `send` is the one way a request leaves the SDK: the client's
default headers, cookie and the named security schemes' credentials go on it, the call's
options and the client's settings pick the timeout, retries, the answer's bound and whether the
body is read, and an error status raises its typed exception (problems.py).

The channel is the one layer that reads the configuration during a call, and it reads it only
when it changed (`Configuration._revision`): the settings a call needs are kept in a `Settings`
between changes, and handed to the transport in the `SendOptions` of each request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from airflow_python_sdk._operation import CallOptions, PreparedRequest
from airflow_python_sdk._settings import Configuration
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.transport import Request, Response, SendOptions, Transport, encode_body

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = ["Channel", "Settings"]

_AUTH_SETTINGS = Configuration.auth_settings
_BASIC_TOKEN = Configuration.get_basic_auth_token


class Settings:
    """What a call needs of the configuration, read once per change of it.

    `basic_auth` is the basic auth header of the usual call, made once per user name and
    password; None when a subclass of Configuration makes credentials its own way (asked at
    every call then). (A plain class: a NamedTuple costs a compilation at import.)
    """

    __slots__ = ("basic_auth", "host", "max_answer_bytes", "retries", "revision", "timeout")

    def __init__(self, revision: int, host: str, timeout: Timeout,
                 retries: Union[int, Retry, None], max_answer_bytes: Optional[int],
                 basic_auth: Optional[dict[str, str]]) -> None:
        self.revision = revision
        self.host = host
        self.timeout = timeout
        self.retries = retries
        self.max_answer_bytes = max_answer_bytes
        self.basic_auth = basic_auth


class Channel:
    """One client's way to its server; safe to share between threads."""

    def __init__(self, configuration: Configuration, transport: Transport,
                 default_headers: dict[str, str]) -> None:
        self.configuration = configuration
        self.transport = transport
        # The client's own dict: headers it sets later are sent too.
        self.default_headers = default_headers
        self.cookie: Optional[str] = None
        self.codec = Codec(configuration.discard_unknown_keys)
        self._settings: Optional[Settings] = None

    def settings(self) -> Settings:
        """The configuration's settings as of now (read again only when they changed)."""
        config = self.configuration
        current = self._settings
        if current is None or current.revision != config._revision:
            current = self._settings = self._read_settings(config)
        return current

    def _read_settings(self, config: Configuration) -> Settings:
        revision = config._revision  # read first: a change made while reading is seen next time
        self.codec.discard_unknown_keys = config.discard_unknown_keys
        kind = type(config)
        usual_auth = (kind.auth_settings is _AUTH_SETTINGS
                      and kind.get_basic_auth_token is _BASIC_TOKEN)
        return Settings(
            revision, config.host.rstrip("/"), config.timeout, config.retries,
            config.max_answer_bytes,
            self._auth_headers(("basicAuth",)) if usual_auth else None,
        )

    def host_for(self, host_index: Optional[int]) -> str:
        """The base URL of a call: the configured host, or server `host_index` of the spec's."""
        if host_index is None:
            return self.settings().host
        config = self.configuration
        return config.get_host_from_settings(host_index, config.server_variables).rstrip("/")

    def auth_headers(self, auth: Sequence[str]) -> dict[str, str]:
        """The credentials the named security schemes send."""
        if not auth:
            return {}
        basic = self.settings().basic_auth
        if basic is not None and tuple(auth) == ("basicAuth",):
            return dict(basic)
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
        """Send a prepared request to `base_url`; answer the 2xx `Response` (its body unread,
        as `stream`, when the call asked for `_preload_content=False`, unless `preload` says
        otherwise). Error statuses raise the typed exceptions; with `follow_redirects=False` a
        redirect is one of them (`ApiStatusError`)."""
        settings = self.settings()
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
            settings.timeout if options._request_timeout is None else options._request_timeout,
            settings.retries if options._retries is None else options._retries,
            follow_redirects=follow_redirects,
            max_answer_bytes=settings.max_answer_bytes,
        ))
        if not 200 <= response.status <= 299:
            # Imported for an error status only: reading its problem needs the Error model,
            # which a call that succeeds never loads.
            from airflow_python_sdk.dialects.problems import error_for

            raise error_for(response)
        return response
