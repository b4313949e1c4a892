"""The HTTP transport: one urllib3 pool manager per client, errors mapped to the SDK's.

Works with urllib3 1.26 and 2.x: headers are read through `.headers` (2.6 removed `getheaders()`).

Every way a call can fail below HTTP ends as an `ApiException` subclass raised `from` the urllib3
error: `ApiTimeoutError` when an answer did not come (or did not complete) in time,
`ApiConnectionError` for everything else (refused, reset, TLS, no free pooled connection).
Settings are read from the configuration at each call, so changing `timeout` or `retries` on a
client's configuration takes effect at once.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import ssl
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union
from urllib.parse import urlencode

import certifi
import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    EmptyPoolError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from airflow_python_sdk._compat import URLLIB3_MAJOR
from airflow_python_sdk.answer_deadline import POOL_CLASSES_BY_SCHEME, AnswerDeadlineError
from airflow_python_sdk.configuration import DEFAULT_TIMEOUT, Configuration, Timeout
from airflow_python_sdk.endpoint import encode_query
from airflow_python_sdk.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ApiValueError,
    exception_for_status,
)
from airflow_python_sdk.retries import SAFE_METHODS, attempts_made, attempts_of, resolve_retry
from airflow_python_sdk.security import (
    redact_url,
    warn_if_credentials_in_clear,
    warn_unverified_tls,
)

__all__ = ["RESTClientObject", "RESTResponse"]

logger = logging.getLogger("airflow_python_sdk")

# "<urllib3.connection.HTTPConnection object at 0x...>: " (1.26) or "HTTPConnection(host='h',
# port=1): " (2.x) at the start of urllib3's connection errors.
_CONNECTION_PREFIX = re.compile(r"^(<[^>]*>|\w+\(host=[^)]*\)): ")


class RESTResponse(io.IOBase):
    """An answer read in full: `status`, `reason`, `data` (bytes) and `headers`."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self.urllib3_response = resp
        self.status: int = resp.status
        self.reason: Optional[str] = resp.reason
        self.data: bytes = resp.data
        self.headers = resp.headers

    def getheaders(self) -> Mapping[str, str]:
        """All headers (the original client's name)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header, or `default`."""
        return self.headers.get(name, default)


def to_urllib3_timeout(timeout: Timeout) -> urllib3.Timeout:
    """Seconds, a (connect, read) pair or a urllib3 Timeout, as a urllib3 Timeout."""
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(timeout, urllib3.Timeout):
        return timeout
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        return urllib3.Timeout(connect=timeout, read=timeout)
    if isinstance(timeout, tuple) and len(timeout) == 2:
        return urllib3.Timeout(connect=timeout[0], read=timeout[1])
    raise ApiValueError(
        f"Invalid timeout {timeout!r}: give seconds or a (connect, read) pair of seconds"
    )


class RESTClientObject:
    """Sends requests for one `ApiClient` through a urllib3 PoolManager or ProxyManager."""

    def __init__(self, configuration: Configuration, pools_size: int = 4,
                 maxsize: Optional[int] = None) -> None:
        self.configuration = configuration
        maxsize = maxsize or configuration.connection_pool_maxsize
        for setting in ("ssl_ca_cert", "cert_file", "key_file"):
            path = getattr(configuration, setting)
            if path and not os.path.isfile(path):
                # Said now, plainly, rather than as a TLS failure on the first call.
                raise ApiValueError(f"Configuration.{setting} is not a file: {path!r}")
        plain_http = configuration.host.lower().startswith("http://") and not configuration.proxy
        if not configuration.verify_ssl and not plain_http:
            # Against a plain http host the setting changes nothing: no warning to get used to.
            warn_unverified_tls()
        self._timeout_setting: Timeout = configuration.timeout
        self._timeout = to_urllib3_timeout(configuration.timeout)
        self._retries_setting: Union[int, urllib3.Retry, None] = configuration.retries
        self._retries = resolve_retry(configuration.retries)
        pool_args: dict[str, Any] = {
            "num_pools": pools_size,
            "maxsize": maxsize,
            # Block instead of opening connections beyond maxsize: the pool's size is a promise.
            "block": True,
            "timeout": self._timeout,
            "retries": self._retries,
            "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            "ca_certs": configuration.ssl_ca_cert or certifi.where(),
            "cert_file": configuration.cert_file,
            "key_file": configuration.key_file,
        }
        if configuration.assert_hostname is not None:
            pool_args["assert_hostname"] = configuration.assert_hostname
        if configuration.tls_server_name and URLLIB3_MAJOR >= 2:
            pool_args["server_hostname"] = configuration.tls_server_name
        if configuration.socket_options is not None:
            pool_args["socket_options"] = configuration.socket_options
        self.pool_manager: urllib3.PoolManager
        if configuration.proxy:
            self.pool_manager = urllib3.ProxyManager(
                proxy_url=configuration.proxy,
                proxy_headers=configuration.proxy_headers,
                **pool_args,
            )
        else:
            self.pool_manager = urllib3.PoolManager(**pool_args)
        # Pools whose answers must be complete within the read timeout (see answer_deadline.py).
        self.pool_manager.pool_classes_by_scheme = dict(POOL_CLASSES_BY_SCHEME)

    def _current_timeout(self) -> urllib3.Timeout:
        setting = self.configuration.timeout
        if setting is not self._timeout_setting:
            self._timeout = to_urllib3_timeout(setting)
            self._timeout_setting = setting
        return self._timeout

    def _current_retries(self) -> urllib3.Retry:
        setting = self.configuration.retries
        if setting is not self._retries_setting:
            self._retries = resolve_retry(setting)
            self._retries_setting = setting
        return self._retries

    def request(
        self,
        method: str,
        url: str,
        query_params: Optional[Sequence[tuple[str, Any]]] = None,
        headers: Optional[Mapping[str, str]] = None,
        body: Any = None,
        post_params: Optional[Sequence[tuple[str, Any]]] = None,
        _preload_content: bool = True,
        _request_timeout: Timeout = None,
        *,
        retries: Union[int, urllib3.Retry, None] = None,
        display_url: Optional[str] = None,
    ) -> Union[RESTResponse, urllib3.BaseHTTPResponse]:
        """Send one request; answer a `RESTResponse` (or the unread urllib3 response when
        `_preload_content` is False); raise an `ApiException` subclass on an error status or
        when no answer came.

        `retries` overrides the configuration's policy for this call (a number of repeats, or
        a urllib3 Retry); `display_url` is what messages and logs show instead of `url`.
        """
        method = method.upper()
        headers = dict(headers or {})
        if query_params:
            url += ("&" if "?" in url else "?") + encode_query(query_params)
        payload: Optional[bytes] = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                payload = bytes(body)
            elif isinstance(body, str):
                payload = body.encode()
            else:
                payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
                headers.setdefault("Content-Type", "application/json")
        elif post_params:
            fields = [(str(name), str(value)) for name, value in post_params]
            payload = urlencode(fields).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        shown = redact_url(display_url or url)
        warn_if_credentials_in_clear(url, headers)
        timeout = (
            self._current_timeout() if _request_timeout is None
            else to_urllib3_timeout(_request_timeout)
        )
        policy = self._current_retries() if retries is None else resolve_retry(retries)
        try:
            response = self.pool_manager.urlopen(
                method,
                url,
                body=payload,
                headers=headers,
                preload_content=_preload_content,
                redirect=True,
                timeout=timeout,
                retries=policy,
                # A call waiting for a free pooled connection is bounded like the call itself.
                pool_timeout=_pool_wait(timeout),
            )
        except MaxRetryError as exc:
            raise _connection_error(exc.reason, method, shown, _attempts(exc), timeout) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise _connection_error(exc, method, shown, 1, timeout) from exc
        logger.debug("%s %s -> %s", method, shown, response.status)
        if not 200 <= response.status <= 299:
            error_class = exception_for_status(response.status)
            raise error_class(
                response.status,
                response.reason,
                _read_error_body(response),
                response.headers,
                method=method,
                url=shown,
                attempts=attempts_made(response),
            )
        if not _preload_content:
            return response
        return RESTResponse(response)

    def clear(self) -> None:
        """Close every pooled connection."""
        self.pool_manager.clear()


def _pool_wait(timeout: urllib3.Timeout) -> Optional[float]:
    parts = [timeout.connect_timeout, timeout.read_timeout]
    if not all(isinstance(part, (int, float)) for part in parts):
        return None
    return float(sum(parts))  # type: ignore[arg-type]


def _read_error_body(response: urllib3.BaseHTTPResponse) -> bytes:
    try:
        return response.data or b""
    except urllib3.exceptions.HTTPError:
        # An error whose body broke off still has a status worth reporting.
        return b""


def _attempts(exc: MaxRetryError) -> Optional[int]:
    attempts = attempts_of(exc)
    if attempts is not None:
        return attempts
    retries = getattr(exc, "retries", None)
    history = getattr(retries, "history", None)
    return len(history) if history else None


def _seconds(value: Any) -> str:
    return f" ({value:g} s)" if isinstance(value, (int, float)) else ""


def _connection_error(reason: Optional[BaseException], method: str, url: str,
                      attempts: Optional[int], timeout: urllib3.Timeout) -> ApiException:
    error_class, message = _describe_failure(reason, timeout)
    if method not in SAFE_METHODS and isinstance(reason, (ProtocolError, ReadTimeoutError)):
        # Say why a job sees this at once, and what it must find out before sending it again.
        message += "; not repeated: the server may have applied it"
    return error_class(message, method=method, url=url, attempts=attempts)


def _describe_failure(reason: Optional[BaseException],
                      timeout: urllib3.Timeout) -> tuple[type[ApiConnectionError], str]:
    # NewConnectionError subclasses ConnectTimeoutError in urllib3: look at it first, or a
    # refused connection would read as a timeout.
    if isinstance(reason, NewConnectionError):
        return ApiConnectionError, f"cannot connect: {_short(reason)}"
    if isinstance(reason, ReadTimeoutError):
        # Silence and a drip that would not end read the same: whichever bound fired first.
        seconds = (
            reason.seconds if isinstance(reason, AnswerDeadlineError) else timeout.read_timeout
        )
        return ApiTimeoutError, f"no complete answer within the read timeout{_seconds(seconds)}"
    if isinstance(reason, ConnectTimeoutError):
        return ApiTimeoutError, (
            f"could not connect within the connect timeout{_seconds(timeout.connect_timeout)}"
        )
    if isinstance(reason, SSLError):
        return ApiConnectionError, (
            f"TLS failed: {_short(reason)} (verify_ssl and ssl_ca_cert configure verification)"
        )
    if isinstance(reason, EmptyPoolError):
        return ApiConnectionError, (
            "no pooled connection became free in time (connection_pool_maxsize bounds them)"
        )
    if isinstance(reason, ProtocolError):
        return ApiConnectionError, f"the connection broke: {_protocol_text(reason)}"
    return ApiConnectionError, f"connection failed: {_short(reason)}"


def _protocol_text(error: ProtocolError) -> str:
    # urllib3 gives ("Connection aborted.", RemoteDisconnected("Remote end closed ...")).
    if len(error.args) == 2 and isinstance(error.args[0], str):
        head, inner = error.args[0].rstrip("."), error.args[1]
        if isinstance(inner, BaseException) and repr(inner) not in head:
            return f"{head}: {str(inner) or type(inner).__name__}"
        return head
    return _short(error)


def _short(exc: Optional[BaseException]) -> str:
    text = str(exc) if exc is not None else "unknown error"
    # urllib3 prefixes its messages with the connection object's repr: noise in a job's log.
    return _CONNECTION_PREFIX.sub("", text, count=1)
