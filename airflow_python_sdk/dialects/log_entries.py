"""Airflow 3's structured log entries as plain text lines.

Airflow 3 answers a log chunk as a list of entries such as
`{"timestamp": "...Z", "event": "line 1", "level": "info", "filename": "subprocess.py",
"lineno": 106, ...}`. Each becomes one line in the style of Airflow 2's task logs,
`[timestamp] {file:line} LEVEL - event`, with the parts an entry lacks left out; an entry with an
`error_detail` (a failed task's exception) is followed by its exceptions and frames, the way a
Python traceback reads. The entries themselves stay available, unchanged, next to the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["render_entries", "render_entry"]


def render_entries(entries: Sequence[Any]) -> str:
    """All entries as text, one line each (plus traceback lines), ending with a newline."""
    lines: list[str] = []
    for entry in entries:
        lines.extend(render_entry(entry))
    return "".join(line + "\n" for line in lines)


def render_entry(entry: Any) -> list[str]:
    if not isinstance(entry, Mapping):
        return [str(entry)]
    parts = []
    timestamp = entry.get("timestamp")
    if timestamp:
        parts.append(f"[{timestamp}]")
    filename, lineno = entry.get("filename"), entry.get("lineno")
    if filename:
        parts.append(f"{{{filename}:{lineno}}}" if lineno is not None else f"{{{filename}}}")
    level = entry.get("level")
    event = entry.get("event")
    event_text = "" if event is None else str(event)
    if level:
        parts.append(f"{str(level).upper()} - {event_text}")
    else:
        parts.append(event_text)
    lines = [" ".join(parts)]
    lines.extend(_error_lines(entry.get("error_detail")))
    return lines


def _error_lines(detail: Any) -> list[str]:
    if not isinstance(detail, Sequence) or isinstance(detail, str):
        return []
    lines: list[str] = []
    for error in detail:
        if not isinstance(error, Mapping):
            continue
        lines.append("Traceback (most recent call last):")
        for frame in error.get("frames") or ():
            if isinstance(frame, Mapping):
                lines.append(
                    f'  File "{frame.get("filename")}", line {frame.get("lineno")}, '
                    f'in {frame.get("name")}'
                )
        lines.append(f"{error.get('exc_type')}: {error.get('exc_value')}")
    return lines
