"""Reading a task instance's log to its end by following continuation tokens.

The API serves a log in chunks: each answer carries some text and, while there is more to come,
a `continuation_token` to pass as `token` for the next chunk. An answer without a token (absent,
null or empty) means the log has ended. While a task still runs, the server may answer with an
empty chunk and a token: nothing new yet, ask again later. A server that answers text with the
very token it was given has not moved on: reading stops there without `until_ended`, and with
it the polls slow down (1 s, 2 s, 4 s, ... up to 30 s) while the token stays put.

    from airflow_python_sdk._logs import follow_logs, write_logs

    for text in follow_logs(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2):
        print(text, end="")

    with open("transform.log", "w", encoding="utf-8") as out:
        write_logs(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2, out=out)

A continuation token longer than a URL can carry (`_operation.tokens.LONGEST_TOKEN`) ends the
reading with `ResponseValueError` instead of being sent back; what an answer read as it arrives
keeps beside its content is bounded by the client's `max_answer_bytes`.

Only one chunk is held at a time, so memory stays flat whatever the number of chunks;
`iter_log_chunks` (which `write_logs` uses) also reads each answer as it arrives, 64 KiB at a
time, for servers that send a whole log in one answer: a text/plain answer is the log itself, and
in a JSON answer the `content` string is read piece by piece (`log_scanner`). Clients of a real
Airflow (`dialect="airflow2"`, `"airflow3"`, `"auto"`), whose answers need reshaping first, get it
answer by answer. Each read of a stream is bounded by the read timeout; the whole-answer deadline
does not apply to an answer read as it arrives. Both ways follow tokens with one `_Pace`.
"""

from __future__ import annotations

import codecs
import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator, Optional, TextIO, Union

from airflow_python_sdk._errors import AnswerTooLargeError, ApiValueError, ResponseValueError
from airflow_python_sdk._logs.scanner import LogContentScanner
from airflow_python_sdk._operation import CallOptions
from airflow_python_sdk._operation.tokens import checked_token
from airflow_python_sdk._settings.configuration import Timeout
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects.spec import SpecDialect
from airflow_python_sdk.transport import stream_pieces

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "PIECE_BYTES",
    "STUCK_WAIT_FIRST",
    "STUCK_WAIT_MAX",
    "LogChunk",
    "follow_log_chunks",
    "follow_logs",
    "iter_log_chunks",
    "write_logs",
]

# How long to wait before asking again when a running task has written nothing new. Airflow's
# own UI polls a running task's log every few seconds; one second feels live without hammering.
DEFAULT_POLL_INTERVAL = 1.0
# A server that hands back the token it was given, with text, is polled with growing waits:
# from this (or the poll interval, if longer), doubling up to the most.
STUCK_WAIT_FIRST = 1.0
STUCK_WAIT_MAX = 30.0
# How much of an answer `iter_log_chunks` reads at a time.
PIECE_BYTES = 64 * 1024


@dataclass(frozen=True)
class LogChunk:
    """One answer of the log endpoint: its text and the token of what follows (None: ended)."""

    content: str
    continuation_token: Optional[str]

    @property
    def ended(self) -> bool:
        return self.continuation_token is None


class _Pace:
    """When to ask for the log again, and how long to wait first: one rule for every way of
    following it."""

    def __init__(self, poll_interval: float, until_ended: bool,
                 sleep: Callable[[float], None]) -> None:
        if not (poll_interval >= 0 and math.isfinite(poll_interval)):
            raise ValueError(f"poll_interval must be a finite number of seconds >= 0, got "
                             f"{poll_interval!r}")
        self.poll_interval = poll_interval
        self.until_ended = until_ended
        self.sleep = sleep
        self.stuck_wait = max(poll_interval, STUCK_WAIT_FIRST)

    def ask_again(self, sent: Optional[str], token: Optional[str], had_text: bool) -> bool:
        """After an answer to a request that carried `sent`: whether to ask again with `token`
        (having waited as long as needed). A token no URL can carry is the answer's error."""
        if token is None:
            return False  # the log has ended
        try:
            checked_token(token, "continuation_token")
        except ApiValueError as error:
            raise ResponseValueError(str(error), status=200, body=None) from None
        if had_text and token == sent:
            # Text, and the very token the request carried: the position did not move, so the
            # server repeats itself. Caught up as far as it will ever tell; when following,
            # ask again ever more slowly instead of as fast as it answers.
            if not self.until_ended:
                return False
            self.sleep(self.stuck_wait)
            self.stuck_wait = min(self.stuck_wait * 2, STUCK_WAIT_MAX)
            return True
        self.stuck_wait = max(self.poll_interval, STUCK_WAIT_FIRST)
        if not had_text:
            if not self.until_ended:
                return False
            self.sleep(self.poll_interval)
        return True


def follow_log_chunks(
    api: TaskInstanceApi,
    dag_id: str,
    task_id: str,
    execution_date: Union[datetime, str],
    try_number: int,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    until_ended: bool = True,
    token: Optional[str] = None,
    request_timeout: Timeout = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[LogChunk]:
    """Yield the log's chunks in order, with their continuation tokens.

    :param until_ended: True keeps polling (every `poll_interval` seconds while nothing new comes)
        until the server says the log has ended; False stops as soon as an answer brings nothing
        new, which reads what a running task has written so far without waiting for more.
    :param token: start from this continuation token instead of the log's beginning.
    :param request_timeout: the timeout of each request (the client's default when None).
    :param sleep: how to wait between polls (tests and callers with their own loop replace it).

    Errors of the calls (`NotFoundException`, `ApiConnectionError`, ...) propagate unchanged.
    """
    pace = _Pace(poll_interval, until_ended, sleep)
    while True:
        answer = api.get_logs(
            dag_id,
            task_id,
            execution_date,
            try_number,
            token=token,
            _request_timeout=request_timeout,
        )
        content = answer.content or ""
        sent, token = token, answer.continuation_token or None
        # Absent, null and "" all mean the same: there is nothing after this chunk.
        yield LogChunk(content, token)
        if not pace.ask_again(sent, token, bool(content)):
            return


def follow_logs(
    api: TaskInstanceApi,
    dag_id: str,
    task_id: str,
    execution_date: Union[datetime, str],
    try_number: int,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    until_ended: bool = True,
    request_timeout: Timeout = None,
) -> Iterator[str]:
    """Yield the text of the log of one try, chunk by chunk, following continuation tokens.

    With `until_ended` (the default) it keeps polling until the log has ended, so it follows a
    task that is still running; with `until_ended=False` it stops once it has caught up.
    Empty chunks are not yielded.
    """
    for chunk in follow_log_chunks(
        api,
        dag_id,
        task_id,
        execution_date,
        try_number,
        poll_interval=poll_interval,
        until_ended=until_ended,
        request_timeout=request_timeout,
    ):
        if chunk.content:
            yield chunk.content


def iter_log_chunks(
    api: TaskInstanceApi,
    dag_id: str,
    task_id: str,
    execution_date: Union[datetime, str],
    try_number: int,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    until_ended: bool = True,
    request_timeout: Timeout = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[str]:
    """Yield the log of one try as pieces of text, following continuation tokens.

    `poll_interval`, `until_ended` and `request_timeout` are those of `follow_logs`.
    Errors of the calls (`NotFoundException`, `ApiConnectionError`, ...) propagate unchanged;
    an answer that is not a log answer raises `ResponseValueError`.
    """
    pace = _Pace(poll_interval, until_ended, sleep)
    if not isinstance(_dialect_in_effect(api, request_timeout), SpecDialect):
        yield from follow_logs(api, dag_id, task_id, execution_date, try_number,
                               poll_interval=poll_interval, until_ended=until_ended,
                               request_timeout=request_timeout)
        return
    token: Optional[str] = None
    while True:
        stream = api.get_logs(dag_id, task_id, execution_date, try_number, token=token,
                              _preload_content=False, _request_timeout=request_timeout)
        got = False
        reader = _AnswerReader(stream, api.api_client.configuration.max_answer_bytes)
        for text in reader.pieces():
            got = True
            yield text
        sent, token = token, reader.token
        if not pace.ask_again(sent, token, got):
            return


def _dialect_in_effect(api: TaskInstanceApi, request_timeout: Timeout) -> Any:
    """The client's dialect; for "auto", the one the server's answer chose (asked now if no call
    asked yet): a draft server's logs are read as they arrive whichever way it was found."""
    dialect = api.api_client.dialect()
    chosen = getattr(dialect, "chosen", None)  # AutoDialect's, without importing it
    if chosen is None:
        return dialect
    client = api.api_client
    return chosen(client.channel, CallOptions(_request_timeout=request_timeout))


class _AnswerReader:
    """One log answer read as a stream; `token` is its continuation token once read."""

    def __init__(self, stream: Any, limit: Optional[int]) -> None:
        self.stream = stream
        self.limit = limit  # what is kept beside the content (max_answer_bytes)
        self.token: Optional[str] = None

    def pieces(self) -> Iterator[str]:
        stream = self.stream
        content_type = (stream.headers.get("Content-Type") or "").lower()
        plain = content_type.startswith("text/plain")
        # As the codec reads them: a text answer's bad bytes are replaced, a JSON answer's are
        # an error.
        decoder = codecs.getincrementaldecoder("utf-8")("replace" if plain else "strict")
        scanner = None if plain else LogContentScanner(self.limit)
        finished = False
        try:
            for data in stream_pieces(stream, PIECE_BYTES):
                text = decoder.decode(data)
                if scanner is None:
                    if text:
                        yield text
                else:
                    yield from (piece for piece in scanner.feed(text) if piece)
            tail = decoder.decode(b"", final=True)
            if scanner is None:
                if tail:
                    yield tail
            else:
                yield from (piece for piece in scanner.feed(tail) if piece)
                document = scanner.finish()
                content = document.get("content")
                if isinstance(content, str) and content:  # not streamed: read whole
                    yield content
                token = document.get("continuation_token")
                self.token = str(token) if token else None
            finished = True
        except AnswerTooLargeError as error:
            raise AnswerTooLargeError(error.limit, status=stream.status) from None
        except (UnicodeDecodeError, ApiValueError) as error:
            raise ResponseValueError(str(error), status=stream.status, body=b"") from None
        finally:
            if not finished:
                stream.close()  # left half read: the connection cannot be used again
            stream.release_conn()


def write_logs(
    api: TaskInstanceApi,
    dag_id: str,
    task_id: str,
    execution_date: Union[datetime, str],
    try_number: int,
    *,
    out: TextIO,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    until_ended: bool = True,
    request_timeout: Timeout = None,
) -> int:
    """Stream the log of one try to `out`, piece by piece; return the characters written.

    Each piece is written and flushed as it arrives, so a reader of the file (`tail -f`) sees
    it grow. Answers are read as they arrive (`iter_log_chunks`), so memory stays flat
    whatever the size of the log, even when the server sends it in one answer.
    """

    written = 0
    for text in iter_log_chunks(
        api,
        dag_id,
        task_id,
        execution_date,
        try_number,
        poll_interval=poll_interval,
        until_ended=until_ended,
        request_timeout=request_timeout,
    ):
        out.write(text)
        out.flush()
        written += len(text)
    return written
