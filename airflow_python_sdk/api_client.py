"""The client every API class calls through: requests out, typed models back.

`call_endpoint` is what the generated API classes use; `call_api`, `deserialize` and
`sanitize_for_serialization` keep the original client's names and arguments for scripts that call
them directly. One client may be shared between threads.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, Union

from airflow_python_sdk._version import __version__
from airflow_python_sdk.configuration import Configuration, Timeout
from airflow_python_sdk.endpoint import (
    CallOptions,
    Endpoint,
    PreparedRequest,
    build_request,
    encode_path_segment,
)
from airflow_python_sdk.exceptions import (
    ApiTypeError,
    ApiValueError,
    ResponseTypeError,
    ResponseValueError,
)
from airflow_python_sdk.model_utils import Model, to_json_value
from airflow_python_sdk.rest import RESTClientObject, RESTResponse

if TYPE_CHECKING:
    # concurrent.futures is imported when the first async_req call needs threads.
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["ApiClient", "AsyncResult", "Dialect"]


class Dialect(Protocol):
    """How operations reach a server: the spec's own paths, or a real Airflow's."""

    def call(self, client: ApiClient, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Any: ...


class SpecDialect:
    """Sends each operation exactly as openapi.yaml describes it."""

    def call(self, client: ApiClient, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Any:
        request = build_request(endpoint, arguments, options._check_input_type)
        return client.send(request, endpoint.success_type(), options, auth=endpoint.auth,
                           text_field=endpoint.text_field)


class AsyncResult:
    """The pending result of a call made with `async_req=True`; `.get()` waits for it."""

    def __init__(self, future: Future[Any]) -> None:
        self._future = future

    def get(self, timeout: Optional[float] = None) -> Any:
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
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        pool_threads: int = 1,
    ) -> None:
        self.configuration = (
            Configuration.get_default_copy() if configuration is None else configuration
        )
        self.pool_threads = pool_threads
        self.rest_client = RESTClientObject(self.configuration)
        self.default_headers: dict[str, str] = {}
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
        self.rest_client.clear()

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
        """Make one operation's call (in the background when `options.async_req`)."""
        if options.async_req:
            return self._submit(lambda: self.dialect().call(self, endpoint, arguments, options))
        return self.dialect().call(self, endpoint, arguments, options)

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
        config = self.configuration
        if host_index is None:
            return config.host.rstrip("/")
        return config.get_host_from_settings(host_index, config.server_variables).rstrip("/")

    def auth_headers(self, auth: Sequence[str]) -> dict[str, str]:
        """The credentials the named security schemes send."""
        headers: dict[str, str] = {}
        if not auth:
            return headers
        settings = self.configuration.auth_settings()
        for name in auth:
            setting = settings.get(name)
            if setting and setting["in"] == "header" and setting["value"] is not None:
                headers[setting["key"]] = setting["value"]
        return headers

    def send(
        self,
        request: PreparedRequest,
        response_type: Optional[type],
        options: CallOptions,
        *,
        auth: Sequence[str] = (),
        text_field: Optional[str] = None,
        base_url: Optional[str] = None,
    ) -> Any:
        """Send a prepared request and read its answer as `response_type`."""
        base = base_url if base_url is not None else self.host_for(options._host_index)
        response = self.transmit(request, options, base, auth=auth)
        if not options._preload_content:
            data: Any = response
        else:
            assert isinstance(response, RESTResponse)
            data = self.read_answer(response, response_type, options._check_return_type,
                                    text_field=text_field, method=request.method,
                                    url=base + request.path)
        if options._return_http_data_only:
            return data
        return data, response.status, response.headers

    def transmit(
        self,
        request: PreparedRequest,
        options: CallOptions,
        base_url: str,
        *,
        auth: Sequence[str] = (),
        headers: Optional[Mapping[str, str]] = None,
        preload: Optional[bool] = None,
    ) -> Union[RESTResponse, Any]:
        """Send a prepared request to `base_url` with the client's headers, the named schemes'
        credentials and the call's options; answer the transport's response unread by any
        model. Error statuses raise the typed exceptions."""
        sent = dict(self.default_headers)
        if self.cookie:
            sent["Cookie"] = self.cookie
        sent.update(request.headers)
        sent.update(self.auth_headers(auth))
        if headers:
            sent.update(headers)
        return self.rest_client.request(
            request.method,
            base_url + request.path_and_query(),
            headers=sent,
            body=request.body,
            _preload_content=options._preload_content if preload is None else preload,
            _request_timeout=options._request_timeout,
            retries=options._retries,
            display_url=base_url + request.path,
        )

    def read_answer(
        self,
        response: RESTResponse,
        response_type: Optional[type],
        check: bool,
        *,
        text_field: Optional[str] = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
    ) -> Any:
        """The body of a 2xx answer as `response_type`; a clear error when it cannot be."""
        if response_type is None:
            return None
        body = response.data
        if text_field is not None and (response.headers.get("Content-Type") or "").lower(
        ).startswith("text/plain"):
            assert issubclass(response_type, Model)
            return response_type._from_json(
                {text_field: body.decode("utf-8", errors="replace")}, check, False,
                (response_type.__name__,),
            )
        if response_type is str:
            return body.decode("utf-8", errors="replace")
        if not body:
            raise ResponseValueError("the body is empty", status=response.status, body=body,
                                     method=method, url=url)
        try:
            # JSON between systems is UTF-8 (RFC 8259): decoding it directly skips json's
            # detection of other encodings, a tenth of the cost of reading a task instance.
            document = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
        except (ValueError, RecursionError) as exc:
            raise ResponseValueError(f"the body is not JSON ({_first_line(exc)})",
                                     status=response.status, body=body, method=method,
                                     url=url) from None
        try:
            return self.to_type(document, response_type, check)
        except ApiTypeError as exc:
            raise ResponseTypeError(exc, status=response.status, body=body, method=method,
                                    url=url) from exc
        except ApiValueError as exc:
            raise ResponseValueError(str(exc), status=response.status, body=body,
                                     path_to_item=exc.path_to_item, method=method,
                                     url=url) from exc

    def to_type(self, document: Any, response_type: type, check: bool) -> Any:
        """A parsed JSON document as `response_type` (a model class, or a plain type)."""
        if issubclass(response_type, Model):
            if not isinstance(document, dict):
                raise ApiTypeError(
                    f"Invalid type for `{response_type.__name__}`: expected a JSON object, got "
                    f"{type(document).__name__}",
                    path_to_item=[response_type.__name__],
                )
            return response_type._from_json(
                document, check, self.configuration.discard_unknown_keys,
                (response_type.__name__,),
            )
        if check and not isinstance(document, response_type):
            raise ApiTypeError(
                f"Invalid type for the answer: expected {response_type.__name__}, got "
                f"{type(document).__name__}"
            )
        return document

    def _submit(self, work: Callable[[], Any]) -> AsyncResult:
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
        query = [
            (name, ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value))
            for name, value in (query_params or [])
        ]
        if post_params and body is None:
            body = "&".join(f"{name}={value}" for name, value in post_params)
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

        def run() -> Any:
            return self.send(request, target, options, auth=tuple(auth_settings or ()),
                             base_url=_host.rstrip("/") if _host else None)

        return self._submit(run) if options.async_req else run()

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """`obj` as JSON-ready data: models and dicts become dicts, enums their value, and
        date-times RFC 3339 strings."""
        return to_json_value(obj)

    def deserialize(self, response: RESTResponse, response_type: Union[tuple[type, ...], type],
                    _check_type: bool) -> Any:
        """An answer's body as the first type of `response_type`."""
        target = response_type[0] if isinstance(response_type, tuple) else response_type
        return self.read_answer(response, target, _check_type)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
