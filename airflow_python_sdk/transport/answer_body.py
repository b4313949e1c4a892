"""Reading an answer's body within bounds: at most `Configuration.max_answer_bytes`, and decoded
only as far as the SDK accepts.

The size is counted where the bytes come off the socket (`read_capped`, called by the
connection's response class in deadline.py), so an endless body stops at the limit instead of
filling memory until the read timeout. The limit applies to the thread that sends a request
while it reads the answer (`answer_limit`); an answer left unread as a stream
(`_preload_content=False`) is read later, by its caller, and is not limited.

The SDK sends no `Accept-Encoding`, so http.client asks for `identity`. An answer in any other
coding (`gzip`, `deflate`, `br`, stacked ones) was never asked for, and is refused without
being decoded: 130 KB of gzip decode to 128 MiB of zeros, which cost 253 MB when one layer was
still decoded up to `max_answer_bytes`. So what an answer costs is what came off the wire.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
from collections.abc import Iterator
from typing import Any, Callable, Optional

from urllib3.exceptions import HTTPError

from airflow_python_sdk._errors import ResponseValueError
from airflow_python_sdk._internal.redaction import redact_url

__all__ = [
    "AnswerTooLarge",
    "UnacceptedEncoding",
    "answer_limit",
    "decodable",
    "decode_body",
    "decoded_data",
    "read_capped",
    "unaccepted_encoding_error",
]

# Read in pieces of this size while a limit applies, so the limit is checked as bytes arrive.
_PIECE = 256 * 1024

_state = threading.local()


class AnswerTooLarge(HTTPError):
    """The answer's body went past the limit; reading stopped there."""

    def __init__(self, limit: int, status: int = 0) -> None:
        super().__init__(f"the answer is larger than max_answer_bytes ({limit} bytes)")
        self.limit = limit
        self.status = status


class UnacceptedEncoding(HTTPError):
    """The answer is in a coding the SDK never asked for."""

    def __init__(self, encoding: str) -> None:
        super().__init__(encoding)
        self.encoding = encoding


@contextlib.contextmanager
def answer_limit(limit: Optional[int]) -> Iterator[None]:
    """Limit the answers this thread reads inside the block to `limit` bytes (None: no limit)."""
    previous = getattr(_state, "limit", None)
    _state.limit = limit
    try:
        yield
    finally:
        _state.limit = previous


def _current_limit() -> Optional[int]:
    limit: Optional[int] = getattr(_state, "limit", None)
    return limit


def read_capped(response: Any, read: Callable[[Optional[int]], bytes],
                amt: Optional[int]) -> bytes:
    """`read(amt)` of an http.client response, counting what it has given so far in
    `response.bytes_read`; `AnswerTooLarge` once that passes the thread's limit."""
    limit = _current_limit()
    if limit is None:
        return read(amt)
    if amt is not None:
        piece = read(amt)
        _count(response, len(piece), limit)
        return piece
    pieces: list[bytes] = []
    while True:
        piece = read(_PIECE)
        if not piece:
            break
        _count(response, len(piece), limit)
        pieces.append(piece)
    body = b"".join(pieces)
    # Read piece by piece, http.client takes a connection closed before the Content-Length was
    # reached for the end of the body (its whole-body read raises instead): say it broke, as that
    # read would, so that the answer is retried or reported, never taken for a whole one.
    missing = getattr(response, "length", None)
    if missing:
        raise http.client.IncompleteRead(body, missing)
    return body


def _count(response: Any, size: int, limit: int) -> None:
    response.bytes_read += size
    if response.bytes_read > limit:
        raise AnswerTooLarge(limit, getattr(response, "status", 0))


def _codings(content_encoding: Optional[str]) -> list[str]:
    if not content_encoding:
        return []
    return [part.strip().lower() for part in content_encoding.split(",")
            if part.strip() and part.strip().lower() != "identity"]


def decodable(content_encoding: Optional[str]) -> bool:
    """Whether the SDK reads a body with this `Content-Encoding`: only one the SDK asked for,
    none (or `identity`)."""
    return not _codings(content_encoding)


def decode_body(body: bytes, content_encoding: Optional[str]) -> bytes:
    """`body` as it is, when its `Content-Encoding` is one the SDK asked for; else
    `UnacceptedEncoding`, without decoding a byte."""
    if not decodable(content_encoding):
        raise UnacceptedEncoding(str(content_encoding))
    return body


def decoded_data(data: bytes, content_encoding: Optional[str], *, status: int, method: str,
                 url: str) -> bytes:
    """The body of an answer as the SDK reads it (see `decode_body`). A 2xx body in a coding
    never asked for is a `ResponseValueError` (never quoting its bytes); an error status keeps
    its status and loses only its body."""
    try:
        return decode_body(data, content_encoding)
    except UnacceptedEncoding as exc:
        if not 200 <= status <= 299:
            return b""
        raise unaccepted_encoding_error(exc.encoding, status=status, method=method,
                                        url=url) from None


def unaccepted_encoding_error(encoding: str, *, status: int, method: str,
                              url: str) -> ResponseValueError:
    """The error of an answer in a coding the SDK never asked for; `url` is shown without the
    password of its user-info."""
    return ResponseValueError(
        f"its Content-Encoding {_shown(encoding)} was not asked for (the SDK asks for "
        "identity: Accept-Encoding: identity), so it is not decoded; have the server or "
        "proxy send the answer uncompressed", status=status, body=None, method=method,
        url=redact_url(url))


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
