"""Reading a task instance's log to its end by following continuation tokens.

The API serves a log in chunks: each answer carries some text and, while there is more to come,
a `continuation_token` to pass as `token` for the next chunk. An answer without a token (absent,
null or empty) means the log has ended. While a task still runs, the server may answer with an
empty chunk and a token: nothing new yet, ask again later. A server that answers text with the
very token it was given has not moved on: reading stops there without `until_ended`, and with
it the polls slow down (1 s, 2 s, 4 s, ... up to 30 s) while the token stays put.

    from airflow_python_sdk.log_follow import follow_logs, write_logs

    for text in follow_logs(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2):
        print(text, end="")

    with open("transform.log", "w", encoding="utf-8") as out:
        write_logs(api, "etl_daily", "transform", "2026-11-26T00:00:00+00:00", 2, out=out)

Only one chunk is held at a time, so memory stays flat whatever the number of chunks;
`write_logs` (and `streaming.iter_log_chunks`) also read each answer as it arrives, for servers
that send a whole log in one answer.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator, Optional, TextIO, Union

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.configuration import Timeout

__all__ = [
    "DEFAULT_POLL_INTERVAL",
    "STUCK_WAIT_FIRST",
    "STUCK_WAIT_MAX",
    "LogChunk",
    "follow_log_chunks",
    "follow_logs",
    "write_logs",
]

# How long to wait before asking again when a running task has written nothing new. Airflow's
# own UI polls a running task's log every few seconds; one second feels live without hammering.
DEFAULT_POLL_INTERVAL = 1.0
# A server that hands back the token it was given, with text, is polled with growing waits:
# from this (or the poll interval, if longer), doubling up to the most.
STUCK_WAIT_FIRST = 1.0
STUCK_WAIT_MAX = 30.0


@dataclass(frozen=True)
class LogChunk:
    """One answer of the log endpoint: its text and the token of what follows (None: ended)."""

    content: str
    continuation_token: Optional[str]

    @property
    def ended(self) -> bool:
        return self.continuation_token is None


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
    if not (poll_interval >= 0 and math.isfinite(poll_interval)):
        raise ValueError(f"poll_interval must be a finite number of seconds >= 0, got "
                         f"{poll_interval!r}")
    stuck_wait = max(poll_interval, STUCK_WAIT_FIRST)
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
        if token is None:
            return
        if content and token == sent:
            # Text, and the very token the request carried: the position did not move, so the
            # server repeats itself. Caught up as far as it will ever tell; when following,
            # ask again ever more slowly instead of as fast as it answers.
            if not until_ended:
                return
            sleep(stuck_wait)
            stuck_wait = min(stuck_wait * 2, STUCK_WAIT_MAX)
            continue
        stuck_wait = max(poll_interval, STUCK_WAIT_FIRST)
        if not content:
            if not until_ended:
                return
            sleep(poll_interval)


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
    it grow. Answers are read as they arrive (`streaming.iter_log_chunks`), so memory stays
    flat whatever the size of the log, even when the server sends it in one answer.
    """
    from airflow_python_sdk.streaming import iter_log_chunks  # it builds on this module

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
