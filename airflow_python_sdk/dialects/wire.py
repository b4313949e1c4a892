"""One request to a real Airflow server, and its JSON answer.

Dialects build paths and bodies of their own (a real server's, not the spec's) and send them
through the client's `Channel`, as the spec's dialect does: the same headers, transport, retries,
timeouts and error mapping. Only the reading differs: JSON as it came, mapped by each dialect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from airflow_python_sdk._errors import ApiValueError, ResponseValueError
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._operation import CallOptions, PreparedRequest
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.transport import Response

__all__ = ["Answer", "api_base", "exchange", "server_root"]

_API_SUFFIX = re.compile(r"/api/v\d+$")


@dataclass(frozen=True)
class Answer:
    """A 2xx answer: its status, headers and JSON document (None for an empty body or one left
    unread), and the transport's response itself."""

    status: int
    headers: Mapping[str, str]
    document: Any
    response: Response
    url: str


def api_base(host: str, api_prefix: str, server: str) -> str:
    """The API root for `host`: the host itself when it already ends with `api_prefix`
    ("/api/v2"), the host with the prefix appended when it names the server's root."""
    host = host.rstrip("/")
    if host.endswith(api_prefix):
        return host
    other = _API_SUFFIX.search(host)
    if other:
        raise ApiValueError(
            f"The host {redact_url(host)!r} ends with {other.group(0)}, but {server} serves its "
            f"REST API under {api_prefix}: set Configuration.host to ...{api_prefix} (or to the "
            "server's root URL), or choose the dialect that matches the server"
        )
    return host + api_prefix


def server_root(host: str) -> str:
    """The server's root URL: `host` without a trailing /api/vN."""
    return _API_SUFFIX.sub("", host.rstrip("/"))


def exchange(
    channel: Channel,
    method: str,
    base: str,
    path: str,
    options: CallOptions,
    *,
    headers: Optional[Mapping[str, str]] = None,
    query: Sequence[tuple[str, str]] = (),
    body: Any = None,
    preload: bool = True,
    follow_redirects: bool = True,
) -> Answer:
    """Send one request to `base + path` and read its JSON answer.

    `path` must already be percent-encoded (see `encode_path_segment`). Error statuses raise the
    client's typed exceptions (`NotFoundException`, ...), exactly as for the spec's operations.
    """
    request_headers = {"Accept": "application/json"}
    if body is not None:
        request_headers["Content-Type"] = "application/json"
    request = PreparedRequest(method, path, list(query), request_headers, body)
    shown = redact_url(base + path)
    response = channel.send(request, options, base, headers=headers, preload=preload,
                            follow_redirects=follow_redirects)
    if response.stream is not None:
        return Answer(response.status, response.headers, None, response, shown)
    return Answer(response.status, response.headers, _json(response, method, shown), response,
                  shown)


def _json(response: Response, method: str, url: str) -> Any:
    if not response.data:
        return None
    try:
        return json.loads(response.data)
    except (ValueError, RecursionError):
        raise ResponseValueError("the body is not JSON", status=response.status,
                                 body=response.data, method=method, url=url) from None
