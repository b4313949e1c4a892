"""The Dialect interface, and what every operation answers: its data plus the answer.

A dialect's `call` returns an `Outcome`; `Outcome.result` applies `_preload_content` and
`_return_http_data_only` in this one place for every dialect (`ApiClient.call_endpoint` applies
`async_req` around it):

- `_preload_content=False` gives the unread answer of the operation's main request (in the
  server's own shape, not mapped), when there is one;
- `_return_http_data_only=False` gives `(data, status, headers)` of the answer the data came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional, Protocol

from airflow_python_sdk._operation import CallOptions, Endpoint
from airflow_python_sdk.transport import Response

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.channel import Channel

__all__ = ["Dialect", "Outcome"]


class Outcome:
    """An operation's mapped data (None when its answer was left unread) and the answer."""

    __slots__ = ("answer", "data")

    def __init__(self, data: Any, answer: Response) -> None:
        self.data = data
        self.answer = answer

    def result(self, options: CallOptions) -> Any:
        """What the generated method returns for these options."""
        data: Optional[Any] = self.data
        if not options._preload_content and self.answer.stream is not None:
            data = self.answer.stream
        if options._return_http_data_only:
            return data
        return data, self.answer.status, self.answer.headers


class Dialect(Protocol):
    """How operations reach a server: the spec's own paths, or a real Airflow's."""

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome: ...
