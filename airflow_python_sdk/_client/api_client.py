"""The client every API class calls through: requests out, typed models back.

`call_endpoint` is what the generated API classes use; `call_api`, `deserialize` and
`sanitize_for_serialization` keep the original client's names and arguments for scripts that call
them directly. One client may be shared between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, TypeVar, Union

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._model_runtime import to_json_value
from airflow_python_sdk._operation import (
    CallOptions,
    Endpoint,
    PreparedRequest,
    encode_path_segment,
)
from airflow_python_sdk._settings.configuration import Configuration, Timeout
from airflow_python_sdk._settings.inert import warn_about_inert_settings
from airflow_python_sdk._version import __version__
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.codec import Answered
from airflow_python_sdk.dialects.outcome import Dialect, Outcome
from airflow_python_sdk.dialects.spec import SpecDialect
from airflow_python_sdk.transport import Transport

if TYPE_CHECKING:
    # concurrent.futures is imported when the first async_req call needs threads.
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["ApiClient", "AsyncResult", "Dialect", "SpecDialect"]

T = TypeVar("T")


class AsyncResult(Generic[T]):
    """The pending result of a call made with `async_req=True`; `.get()` waits for it."""

    def __init__(self, future: Future[T]) -> None:
        self._future = future

    def get(self, timeout: Optional[float] = None) -> T:
        """The call's result, or the exception it raised."""
        return self._future.result(timeout)

    def wait(self, timeout: Optional[float] = None) -> None:
        """Wait until the call has finished."""
        self._future.exception(timeout)

    def ready(self) -> bool:
        """Whether the call has finished."""
        return self._future.done()

    def successful(self) -> bool:
        """Whether the call finished without an exception (ValueError while it runs)."""
        if not self._future.done():
            raise ValueError("the call has not finished")
        return self._future.exception() is None


class ApiClient:
    """Sends requests for the API classes and turns answers into models.

    :param configuration: where and how to connect; the default configuration when None.
    :param header_name: a header to send with every request, with `header_value`.
    :param cookie: a Cookie header to send with every request.
    :param pool_threads: threads that run `async_req=True` calls.
    :param transport: what sends the requests (see `airflow_python_sdk.transport.Transport`);
        a urllib3 transport built from the configuration when None.
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        pool_threads: int = 1,
        transport: Optional[Transport] = None,
    ) -> None:
        self.configuration = (
            Configuration.get_default_copy() if configuration is None else configuration
        )
        self.pool_threads = pool_threads
        warn_about_inert_settings(self.configuration)
        if transport is None:
            # The original client's name for the urllib3 transport, with its `request` method.
            from airflow_python_sdk.rest import RESTClientObject

            transport = RESTClientObject(self.configuration)
        self.transport: Transport = transport
        self.default_headers: dict[str, str] = {}
        self.channel = Channel(self.configuration, transport, self.default_headers)
        if header_name is not None and header_value is not None:
            self.default_headers[header_name] = header_value
        self.cookie = cookie
        self.user_agent = f"airflow-python-sdk/{__version__}/python"
        self._pool: Optional[ThreadPoolExecutor] = None
        self._lock = threading.Lock()
        self._dialect: Optional[Dialect] = None

    # -- lifetime -------------------------------------------------------------------------------

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Wait for pending async calls, stop their threads and close pooled connections."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        self.transport.close()

    @property
    def rest_client(self) -> Transport:
        """The transport (the original client's name for it)."""
        return self.transport

    @property
    def cookie(self) -> Optional[str]:
        """A Cookie header sent with every request."""
        return self.channel.cookie

    @cookie.setter
    def cookie(self, value: Optional[str]) -> None:
        self.channel.cookie = value

    @property
    def pool(self) -> ThreadPoolExecutor:
        """The threads of `async_req=True` calls, created on first use."""
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(
                    max_workers=self.pool_threads, thread_name_prefix="airflow-sdk-async"
                )
            return self._pool

    # -- headers ------------------------------------------------------------------------------

    @property
    def user_agent(self) -> str:
        """The User-Agent header sent with every request."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send a header with every request."""
        self.default_headers[header_name] = header_value

    # -- calls ----------------------------------------------------------------------------------

    def call_endpoint(self, endpoint: Endpoint, arguments: Mapping[str, Any],
                      options: CallOptions) -> Any:
        """Make one operation's call through the dialect; what it returns for `async_req`,
        `_preload_content` and `_return_http_data_only` is decided here, the same way for every
        dialect."""
        def run() -> Any:
            return _result(self.dialect().call(self.channel, endpoint, arguments, options),
                           options)

        return self._submit(run) if options.async_req else run()

    def dialect(self) -> Dialect:
        """The dialect the configuration names, loaded once."""
        if self._dialect is None:
            name = self.configuration.dialect
            if name in ("draft", "", None):
                dialect: Dialect = SpecDialect()
            else:
                # Imported lazily: jobs against the spec's server never pay for the others.
                from airflow_python_sdk.dialects import load_dialect

                dialect = load_dialect(name)
            with self._lock:
                if self._dialect is None:
                    self._dialect = dialect
        return self._dialect

    def host_for(self, host_index: Optional[int]) -> str:
        """The base URL of a call: the configured host, or server `host_index` of the spec's."""
        return self.channel.host_for(host_index)

    def auth_headers(self, auth: Sequence[str]) -> dict[str, str]:
        """The credentials the named security schemes send."""
        return self.channel.auth_headers(auth)

    def _submit(self, work: Callable[[], Any]) -> AsyncResult[Any]:
        return AsyncResult(self.pool.submit(work))

    # -- the original client's names ------------------------------------------------------------

    def call_api(
        self,
        resource_path: str,
        method: str,
        path_params: Optional[Mapping[str, Any]] = None,
        query_params: Optional[Sequence[tuple[str, Any]]] = None,
        header_params: Optional[Mapping[str, str]] = None,
        body: Any = None,
        post_params: Optional[Sequence[tuple[str, Any]]] = None,
        files: Optional[Mapping[str, Any]] = None,
        response_type: Optional[tuple[type, ...]] = None,
        auth_settings: Optional[Sequence[str]] = None,
        async_req: Optional[bool] = None,
        _return_http_data_only: Optional[bool] = None,
        collection_formats: Optional[Mapping[str, str]] = None,
        _preload_content: bool = True,
        _request_timeout: Timeout = None,
        _host: Optional[str] = None,
        _check_type: Optional[bool] = None,
    ) -> Any:
        """Make a request by path, as the original client's `call_api` did."""
        if files:
            raise ApiValueError("file uploads are not part of this API")
        path = resource_path
        for name, value in (path_params or {}).items():
            path = path.replace("{" + name + "}", encode_path_segment(str(value)))
        query = _query_pairs(query_params or [], collection_formats or {})
        request = PreparedRequest(
            method.upper(), path, query, dict(header_params or {}),
            None if body is None else self.sanitize_for_serialization(body),
        )
        options = CallOptions(
            async_req=bool(async_req),
            _return_http_data_only=bool(_return_http_data_only),
            _preload_content=_preload_content,
            _request_timeout=_request_timeout,
            _check_return_type=True if _check_type is None else _check_type,
        )
        target = response_type[0] if response_type else None

        form = list(post_params) if post_params and body is None else None

        def run() -> Any:
            base = _host.rstrip("/") if _host else self.host_for(None)
            response = self.channel.send(request, options, base,
                                         auth=tuple(auth_settings or ()), form=form)
            data = None if response.stream is not None else self.channel.codec.read(
                response, target, options._check_return_type, method=request.method)
            return _result(Outcome(data, response), options)

        return self._submit(run) if options.async_req else run()

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """`obj` as JSON-ready data: models and dicts become dicts, enums their value, and
        date-times RFC 3339 strings."""
        return to_json_value(obj)

    def deserialize(self, response: Answered, response_type: Union[tuple[type, ...], type],
                    _check_type: bool) -> Any:
        """An answer's body as the first type of `response_type`."""
        target = response_type[0] if isinstance(response_type, tuple) else response_type
        return self.channel.codec.read(response, target, _check_type)


def _result(outcome: Outcome, options: CallOptions) -> Any:
    """What a call returns: the data, or the answer left unread (`_preload_content=False`, when
    the dialect left it unread), alone or as `(data, status, headers)` when
    `_return_http_data_only` is False."""
    data, answer = outcome.data, outcome.answer
    if answer.stream is not None:
        data = answer.stream
    if options._return_http_data_only:
        return data
    return data, answer.status, answer.headers


# How the original client's collection_formats join a list in one query parameter.
_SEPARATORS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}


def _query_pairs(params: Sequence[tuple[str, Any]],
                 formats: Mapping[str, str]) -> list[tuple[str, str]]:
    """Query parameters as text; a list is joined as `formats` names ("csv" by default), or
    repeated once per item for "multi"."""
    pairs: list[tuple[str, str]] = []
    for name, value in params:
        if not isinstance(value, (list, tuple)):
            pairs.append((name, str(value)))
            continue
        style = formats.get(name, "csv")
        if style == "multi":
            pairs.extend((name, str(item)) for item in value)
        elif style in _SEPARATORS:
            pairs.append((name, _SEPARATORS[style].join(map(str, value))))
        else:
            raise ApiValueError(
                f"Invalid value for collection_formats[{name!r}]: {style!r}; use one of multi, "
                + ", ".join(_SEPARATORS),
                path_to_item=["collection_formats", name],
            )
    return pairs
