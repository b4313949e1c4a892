"""The log endpoint's answers, generated in pieces so the server never holds a large log.

A log is `total` identical lines. As Airflow 2 does, a JSON answer carries the content and a
continuation token even when it reaches the end; asking again with that last token brings an
empty chunk and a null token, the end. The server may cut the log into chunks of a given
number of lines (to show memory of a reader that follows tokens); a text/plain answer is always
the whole log with no token.
"""

from __future__ import annotations

from typing import Iterator, Optional

from fixtures import LOG_BLOCK_LINES, LOG_LINE

# The token Airflow 2 sent at the end of a real log ({"end_of_log": true, ...}, signed).
END_TOKEN = "eyJlbmRfb2ZfbG9nIjp0cnVlLCJsb2dfcG9zIjo0NDE4fQ.4-pU7rQg"
_POSITION = "pos-"
_JSON_LINE = LOG_LINE[:-1] + b"\\n"  # the newline as JSON escapes it


def _lines(line: bytes, count: int) -> Iterator[bytes]:
    block = line * LOG_BLOCK_LINES
    full, rest = divmod(count, LOG_BLOCK_LINES)
    for _ in range(full):
        yield block
    if rest:
        yield line * rest


def _start_of(token: Optional[str], total: int) -> int:
    if not token:
        return 0
    if token.startswith(_POSITION) and token[len(_POSITION) :].isdigit():
        return min(total, int(token[len(_POSITION) :]))
    return total  # END_TOKEN, or one we never issued: nothing is left


def text_answer(total: int) -> tuple[int, Iterator[bytes]]:
    """The whole log as text/plain: (Content-Length, pieces)."""
    return total * len(LOG_LINE), _lines(LOG_LINE, total)


def json_answer(total: int, token: Optional[str], chunk: int) -> tuple[int, Iterator[bytes]]:
    """The JSON answer to a request with this token: (Content-Length, pieces).

    chunk is the most lines one answer carries; 0 means the whole rest of the log.
    """
    start = _start_of(token, total)
    if token and start >= total:
        return _pieces(0, "null")
    end = total if chunk <= 0 else min(total, start + chunk)
    next_token = f"{_POSITION}{end}" if end < total else END_TOKEN
    return _pieces(end - start, f'"{next_token}"')


def _pieces(count: int, token_json: str) -> tuple[int, Iterator[bytes]]:
    head = b'{"content": "'
    tail = b'", "continuation_token": %s}' % token_json.encode()

    def pieces() -> Iterator[bytes]:
        yield head
        yield from _lines(_JSON_LINE, count)
        yield tail

    return len(head) + count * len(_JSON_LINE) + len(tail), pieces()
