"""A task instance's log as pieces of text, read as they arrive: memory stays flat whatever the
size of the log, even when the server sends the whole log in one answer.

    from airflow_python_sdk.streaming import iter_log_chunks

    with open("transform.log", "w", encoding="utf-8") as out:
        for text in iter_log_chunks(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2):
            out.write(text)

Each answer of the log endpoint is read as a stream (`_preload_content=False`), 64 KiB at a time:
a text/plain answer is the log itself; in a JSON answer the `content` string is read piece by
piece (`log_scanner`) and the continuation token at its end says whether to ask again, as
`log_follow` does with whole answers. Clients that speak to a real Airflow (`dialect="airflow2"`,
`"airflow3"`, `"auto"`), whose answers need reshaping first, get the log answer by answer
(`log_follow.follow_logs`), which holds one answer at a time.

Each read of a stream is bounded by the read timeout; the whole-answer deadline, which bounds
answers read at once, does not apply to an answer read as it arrives.
"""

from __future__ import annotations

import codecs
import time
from datetime import datetime
from typing import Any, Callable, Iterator, Optional, Union

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.configuration import Timeout
from airflow_python_sdk.dialects.spec import SpecDialect
from airflow_python_sdk.exceptions import ApiValueError, ResponseValueError
from airflow_python_sdk.log_follow import DEFAULT_POLL_INTERVAL, follow_logs
from airflow_python_sdk.log_scanner import LogContentScanner

__all__ = ["PIECE_BYTES", "iter_log_chunks"]

# How much of an answer is read at a time.
PIECE_BYTES = 64 * 1024


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

    `poll_interval`, `until_ended` and `request_timeout` are those of `log_follow.follow_logs`.
    Errors of the calls (`NotFoundException`, `ApiConnectionError`, ...) propagate unchanged;
    an answer that is not a log answer raises `ResponseValueError`.
    """
    if poll_interval < 0:
        raise ValueError("poll_interval must not be negative")
    if not isinstance(api.api_client.dialect(), SpecDialect):
        yield from follow_logs(api, dag_id, task_id, execution_date, try_number,
                               poll_interval=poll_interval, until_ended=until_ended,
                               request_timeout=request_timeout)
        return
    token: Optional[str] = None
    while True:
        stream = api.get_logs(dag_id, task_id, execution_date, try_number, token=token,
                              _preload_content=False, _request_timeout=request_timeout)
        got = False
        reader = _AnswerReader(stream)
        for text in reader.pieces():
            got = True
            yield text
        token = reader.token
        if token is None:
            return
        if not got:
            if not until_ended:
                return
            sleep(poll_interval)


class _AnswerReader:
    """One log answer read as a stream; `token` is its continuation token once read."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.token: Optional[str] = None

    def pieces(self) -> Iterator[str]:
        stream = self.stream
        content_type = (stream.headers.get("Content-Type") or "").lower()
        plain = content_type.startswith("text/plain")
        # As the codec reads them: a text answer's bad bytes are replaced, a JSON answer's are
        # an error.
        decoder = codecs.getincrementaldecoder("utf-8")("replace" if plain else "strict")
        scanner = None if plain else LogContentScanner()
        finished = False
        try:
            for data in stream.stream(PIECE_BYTES):
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
        except (UnicodeDecodeError, ApiValueError) as error:
            raise ResponseValueError(str(error), status=stream.status, body=b"") from None
        finally:
            if not finished:
                stream.close()  # left half read: the connection cannot be used again
            stream.release_conn()
