"""The Dialect interface, and what every operation answers: its data plus the answer.

A dialect's `call` returns an `Outcome`: the operation's data mapped to the spec's model (None
when the main request's answer was left unread, as `_preload_content=False` asks), and the
answer of that main request. `ApiClient` makes the call's result from it, the same way for every
dialect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from airflow_python_sdk._operation import CallOptions, Endpoint
from airflow_python_sdk.transport import Response

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.channel import Channel

__all__ = ["Dialect", "Outcome"]


class Outcome(NamedTuple):
    """An operation's mapped data (None when its answer was left unread) and the answer."""

    data: Any
    answer: Response


class Dialect(Protocol):
    """How operations reach a server: the spec's own paths, or a real Airflow's."""

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome: ...
