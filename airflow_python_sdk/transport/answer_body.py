"""Reading an answer's body within bounds: at most `Configuration.max_answer_bytes`, and decoded
only as far as the SDK accepts.

The size is counted where the bytes come off the socket (`read_capped`, called by the
connection's response class in deadline.py), so an endless body stops at the limit instead of
filling memory until the read timeout. The limit applies to the thread that sends a request
while it reads the answer (`answer_limit`); an answer left unread as a stream
(`_preload_content=False`) is read later, by its caller, and is not limited.

The SDK sends no `Accept-Encoding`, so http.client asks for `identity`. A server (or a proxy)
that compresses anyway is tolerated for one layer of gzip or deflate, decoded here up to the same
limit; stacked codings (`gzip, gzip`, the shape of a compression bomb) and unknown ones are not
decoded at all.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import zlib
from collections.abc import Iterator
from typing import Any, Callable, Optional

from urllib3.exceptions import HTTPError

from airflow_python_sdk._errors import AnswerTooLargeError, ResponseValueError
from airflow_python_sdk._internal.redaction import redact_url

__all__ = [
    "AnswerTooLarge",
    "UnacceptedEncoding",
    "answer_limit",
    "decodable",
    "decode_body",
    "decoded_data",
    "read_capped",
]

# Read in pieces of this size while a limit applies, so the limit is checked as bytes arrive.
_PIECE = 256 * 1024
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}

_state = threading.local()


class AnswerTooLarge(HTTPError):
    """The answer's body went past the limit; reading stopped there."""

    def __init__(self, limit: int, status: int = 0) -> None:
        super().__init__(f"the answer is larger than max_answer_bytes ({limit} bytes)")
        self.limit = limit
        self.status = status


class UnacceptedEncoding(HTTPError):
    """The answer is encoded in a way the SDK does not decode."""

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
    """Whether the SDK decodes a body with this `Content-Encoding` (none, or one known layer)."""
    codings = _codings(content_encoding)
    return not codings or (len(codings) == 1 and codings[0] in _WBITS)


def decode_body(body: bytes, content_encoding: Optional[str], limit: Optional[int]) -> bytes:
    """`body` decoded from its `Content-Encoding`, at most `limit` bytes of it.

    Raises `UnacceptedEncoding` for stacked or unknown codings, `AnswerTooLarge` past the limit,
    and `zlib.error` for a body that is not what its coding says.
    """
    codings = _codings(content_encoding)
    if not codings:
        return body
    if not decodable(content_encoding):
        raise UnacceptedEncoding(str(content_encoding))
    decoder = zlib.decompressobj(_WBITS[codings[0]])
    cap = 0 if limit is None else limit + 1
    decoded = decoder.decompress(body, cap)
    if limit is not None and (len(decoded) > limit or decoder.unconsumed_tail):
        raise AnswerTooLarge(limit)
    return decoded + decoder.flush()


def decoded_data(data: bytes, content_encoding: Optional[str], limit: Optional[int], *,
                 status: int, method: str, url: str) -> bytes:
    """The body of an answer as the SDK reads it: decoded by `decode_body`, with its failures
    as the SDK's errors. A 2xx body that cannot be decoded is a `ResponseValueError` (never
    quoting the undecoded bytes); an error status keeps its status and loses only its body."""
    failure: Optional[str] = None
    try:
        return decode_body(data, content_encoding, limit)
    except AnswerTooLarge as exc:
        raise AnswerTooLargeError(exc.limit, status=status, method=method,
                                  url=redact_url(url)) from None
    except UnacceptedEncoding as exc:
        failure = (f"its Content-Encoding {_shown(exc.encoding)} is not decoded (the SDK asks "
                   "for none, and accepts one layer of gzip or deflate)")
    except zlib.error:
        failure = f"the body is not valid {_shown(str(content_encoding))} data"
    if not 200 <= status <= 299:
        return b""
    raise ResponseValueError(failure, status=status, body=None, method=method,
                             url=redact_url(url))


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
