"""Logs read to their end: `follow` (continuation tokens followed, answer by answer or as an
answer arrives) and `scanner` (the `content` string of a JSON answer read piece by piece).
Public as `airflow_python_sdk.log_follow`."""

from airflow_python_sdk._logs.follow import (
    DEFAULT_POLL_INTERVAL,
    PIECE_BYTES,
    STUCK_WAIT_FIRST,
    STUCK_WAIT_MAX,
    LogChunk,
    follow_log_chunks,
    follow_logs,
    iter_log_chunks,
    write_logs,
)

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
