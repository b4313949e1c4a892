"""The transport over urllib3: one pool manager per client (one pool per base URL, reused),
TLS, proxies, redirects, timeouts, the whole-answer deadline and retries.

Works with urllib3 1.26 and 2.x: headers are read through `.headers` (2.6 removed
`getheaders()`). The timeout, retries and answer bound of a request come in its `SendOptions`
(the client resolves them from its configuration); a transport used on its own falls back to
its configuration's, read at each call.
"""

from __future__ import annotations

import io
import logging
import os
import ssl
from collections.abc import Iterator, Mapping
from typing import Any, Optional, Union

import urllib3
from urllib3.exceptions import MaxRetryError

from airflow_python_sdk._errors import AnswerTooLargeError, ApiValueError
from airflow_python_sdk._settings.configuration import DEFAULT_TIMEOUT, Configuration, Timeout
from airflow_python_sdk._settings.timeouts import check_timeout
from airflow_python_sdk.transport.answer_body import (
    AnswerTooLarge,
    answer_limit,
    decodable,
    decoded_data,
    unaccepted_encoding_error,
)
from airflow_python_sdk.transport.deadline import POOL_CLASSES_BY_SCHEME
from airflow_python_sdk.transport.messages import (
    FROM_CONFIGURATION,
    Request,
    Response,
    SendOptions,
)
from airflow_python_sdk.transport.pools import ReusingPoolManager
from airflow_python_sdk.transport.retry import RetriesExhausted, resolve_retry
from airflow_python_sdk.transport.security import (
    redact_url,
    warn_if_credentials_in_clear,
    warn_unverified_tls,
)
from airflow_python_sdk.transport.versions import URLLIB3_MAJOR

__all__ = ["Urllib3Transport", "stream_pieces", "to_urllib3_timeout", "unread_answer"]

logger = logging.getLogger("airflow_python_sdk")


def to_urllib3_timeout(timeout: Timeout, name: str = "timeout") -> urllib3.Timeout:
    """Seconds, a (connect, read) pair or a urllib3 Timeout, as a urllib3 Timeout;
    `ApiValueError` naming `name` for anything else (0, negative, nan, inf included)."""
    check_timeout(timeout, name)
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


class Urllib3Transport:
    """Sends requests through a urllib3 PoolManager (or ProxyManager) built from a
    configuration."""

    def __init__(self, configuration: Configuration, pools_size: int = 4,
                 maxsize: Optional[int] = None) -> None:
        import certifi  # with the first client, not with the package (see configuration.py)

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
        self._pool_waits: tuple[Optional[urllib3.Timeout], Optional[float]] = (None, None)
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
            # Finds a base URL's pool without parsing each URL again (see pools.py).
            self.pool_manager = ReusingPoolManager(**pool_args)
        # Pools whose answers must be complete within the read timeout (see deadline.py).
        self.pool_manager.pool_classes_by_scheme = dict(POOL_CLASSES_BY_SCHEME)

    def _timeout_of(self, setting: Timeout, name: str) -> urllib3.Timeout:
        # Converted once per setting: the configured one is the same object call after call.
        if setting is None:
            setting = self.configuration.timeout
            name = "timeout"
        if setting is not self._timeout_setting:
            self._timeout = to_urllib3_timeout(setting, name)
            self._timeout_setting = setting
        return self._timeout

    def _retries_of(self, setting: Union[int, urllib3.Retry, None]) -> urllib3.Retry:
        if setting is None:
            setting = self.configuration.retries
        if setting is not self._retries_setting:
            self._retries = resolve_retry(setting)
            self._retries_setting = setting
        return self._retries

    def _pool_wait(self, timeout: urllib3.Timeout) -> Optional[float]:
        # Worked out once per timeout: the configured one is the same object call after call.
        cached = self._pool_waits
        if cached[0] is not timeout:
            cached = self._pool_waits = (timeout, _pool_wait(timeout))
        return cached[1]

    def handle(self, request: Request, options: SendOptions) -> Response:
        """Send `request`; answer its final response, whatever the status (error bodies are
        always read); raise `ApiConnectionError`/`ApiTimeoutError` when no answer came."""
        method = request.method
        # Over the network, credentials in clear are worth a warning (once per host).
        warn_if_credentials_in_clear(request.url, request.headers)
        timeout = self._timeout_of(options.timeout, "_request_timeout")
        policy = self._retries_of(options.retries)
        limit = options.max_answer_bytes
        if limit is FROM_CONFIGURATION:
            limit = self.configuration.max_answer_bytes
        try:
            with answer_limit(limit):
                raw = self.pool_manager.urlopen(
                    method,
                    request.url,
                    body=request.body,
                    headers=request.headers,
                    preload_content=options.preload,
                    # Never decoded: the SDK asks for identity and refuses any other coding
                    # (answer_body.py); urllib3 would undo any number of stacked codings.
                    decode_content=False,
                    redirect=options.follow_redirects,
                    timeout=timeout,
                    retries=policy,
                    # A call waiting for a free pooled connection is bounded like the call
                    # itself.
                    pool_timeout=self._pool_wait(timeout),
                    # An answer cut short is a broken connection, read whole or as a stream
                    # (urllib3 2.x does so by default; 1.26 would end a stream quietly).
                    enforce_content_length=True,
                )
                failed = not 200 <= raw.status <= 299
                read = options.preload or failed
                data = _read_body(raw) if read else None
        except AnswerTooLarge as exc:
            raise AnswerTooLargeError(exc.limit, status=exc.status, method=method,
                                      url=redact_url(request.display_url)) from None
        # failures.py is imported where a call fails: a call that gets an answer never needs it.
        except RetriesExhausted as exc:
            from airflow_python_sdk.transport.failures import connection_error

            raise connection_error(exc.reason, method, redact_url(request.display_url),
                                   exc.attempts, timeout) from exc
        except MaxRetryError as exc:
            from airflow_python_sdk.transport.failures import connection_error

            raise connection_error(exc.reason, method, redact_url(request.display_url),
                                   _history_length(exc), timeout) from exc
        except urllib3.exceptions.HTTPError as exc:
            from airflow_python_sdk.transport.failures import connection_error

            raise connection_error(exc, method, redact_url(request.display_url), 1,
                                   timeout) from exc
        except (ValueError, OverflowError) as exc:
            # A header urllib3 cannot use (a `Location` that is no URL, say) raises plain
            # errors from the standard library.
            from airflow_python_sdk.transport.failures import unusable_answer_error

            raise unusable_answer_error(exc, method, redact_url(request.display_url)) from None
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s -> %s", method, redact_url(request.display_url), raw.status)
        encoding = raw.headers.get("Content-Encoding")
        if data is not None:
            data = decoded_data(data, encoding, status=raw.status, method=method,
                                url=request.display_url)
        elif not decodable(encoding):
            # A stream in a coding never asked for is refused as a read answer is: its bytes
            # would be the coding's, not the answer's.
            raw.release_conn()
            raise unaccepted_encoding_error(str(encoding), status=raw.status, method=method,
                                            url=request.display_url)
        else:
            raw.decode_content = False  # nothing to decode: the SDK asked for identity
        return Response(
            raw.status,
            raw.headers,
            data,
            reason=raw.reason,
            stream=None if read else raw,
            # urllib3 keeps the attempts that failed before this answer in its retries' history.
            attempts=len(raw.retries.history) + 1 if raw.retries is not None else 1,
            method=method,
            url=request.display_url,
        )

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool_manager.clear()

    def clear(self) -> None:
        """Close every pooled connection (the original client's name)."""
        self.close()


def _pool_wait(timeout: urllib3.Timeout) -> Optional[float]:
    parts = [timeout.connect_timeout, timeout.read_timeout]
    if not all(isinstance(part, (int, float)) for part in parts):
        return None
    return float(sum(parts))  # type: ignore[arg-type]


def _read_body(raw: Any) -> bytes:
    try:
        return raw.data or b""
    except urllib3.exceptions.HTTPError:
        # An error whose body broke off still has a status worth reporting.
        if 200 <= raw.status <= 299:
            raise
        return b""


def _history_length(exc: MaxRetryError) -> Optional[int]:
    history = getattr(getattr(exc, "retries", None), "history", None)
    return len(history) if history else None


def unread_answer(data: bytes, headers: Mapping[str, str], status: int) -> Any:
    """`data` as an answer left unread, the shape this transport gives one (`read()`,
    `stream()`, `release_conn()`): for transports that answer from memory."""
    return urllib3.HTTPResponse(body=io.BytesIO(data), headers=dict(headers), status=status,
                                preload_content=False)


def stream_pieces(stream: Any, size: int, *, method: str = "GET") -> Iterator[bytes]:
    """The body of an answer left unread (`_preload_content=False`), `size` bytes at a time,
    with a failure while it arrives as the SDK's error: `ApiConnectionError` when the
    connection breaks, `ApiTimeoutError` when it stalls past the read timeout, as for an
    answer read whole."""
    try:
        yield from stream.stream(size)
    except urllib3.exceptions.HTTPError as exc:
        from airflow_python_sdk.transport.failures import connection_error  # see handle()

        url = redact_url(str(getattr(stream, "url", None) or stream.geturl() or ""))
        raise connection_error(exc, method, url, None, urllib3.Timeout()) from exc
