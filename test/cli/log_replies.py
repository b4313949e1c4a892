"""Scripted answers of the log endpoint, for a recording server that plays a running task."""

from __future__ import annotations

from typing import Optional

from support.recording_server import Reply

API_PREFIX = "/api/v1"


def chunk(content: str, token: Optional[str], delay_s: float = 0.0) -> Reply:
    payload: dict[str, object] = {"content": content}
    if token is not None:
        payload["continuation_token"] = token
    return Reply.json(payload, delay_s=delay_s)


def running_task_replies() -> list[Reply]:
    """Text, two polls that bring nothing new, then the last text and the end of the log."""
    return [
        chunk("first line\n", "t1"),
        chunk("", "t2"),
        chunk("", "t3"),
        chunk("last line\n", None),
    ]
