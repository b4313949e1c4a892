"""The original client's names for the transport, kept for scripts that use them.

`RESTClientObject` is the urllib3 transport plus the original `request(...)` method, which
raises the typed exceptions on an error status; `RESTResponse` is an answer read in full.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from airflow_python_sdk._errors import ApiException
from airflow_python_sdk._operation import encode_query
from airflow_python_sdk.dialects.problems import raise_for_status
from airflow_python_sdk.transport import Request, SendOptions, Urllib3Transport, encode_body

if TYPE_CHECKING:
    from airflow_python_sdk._settings import Timeout
    from airflow_python_sdk.transport.types import Retry

__all__ = ["ApiException", "RESTClientObject", "RESTResponse"]


class RESTResponse(io.IOBase):
    """An answer read in full: `status`, `reason`, `data` (bytes) and `headers`."""

    def __init__(self, resp: Any) -> None:
        self.urllib3_response = resp
        self.status: int = resp.status
        self.reason: Optional[str] = resp.reason
        self.data: bytes = resp.data
        self.headers: Mapping[str, str] = resp.headers

    def getheaders(self) -> Mapping[str, str]:
        """All headers (the original client's name)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header, or `default`."""
        return self.headers.get(name, default)


class RESTClientObject(Urllib3Transport):
    """The urllib3 transport under the original client's name."""

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
        retries: Union[int, Retry, None] = None,
        display_url: Optional[str] = None,
    ) -> Any:
        """Send one request; answer a `RESTResponse` (or the unread urllib3 response when
        `_preload_content` is False); raise an `ApiException` subclass on an error status or
        when no answer came."""
        sent = dict(headers or {})
        if query_params:
            url += ("&" if "?" in url else "?") + encode_query(query_params)
        payload = encode_body(body, sent, post_params)
        response = self.handle(Request(method, url, sent, payload, display_url),
                               SendOptions(_preload_content, _request_timeout, retries))
        raise_for_status(response)
        if response.stream is not None:
            return response.stream
        return RESTResponse(response)
