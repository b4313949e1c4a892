"""A progress bar for long runs, from tqdm when it is installed (the `cli` extra).

No bar when tqdm is missing or stderr is not a terminal: a bar's carriage returns would only
clutter a log file or a pipe.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional, Protocol, TextIO

__all__ = ["Progress", "open_progress"]


class Progress(Protocol):
    def update(self, n: int = 1) -> Any: ...

    def close(self) -> None: ...


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def open_progress(total: int, description: str, stream: TextIO, enabled: bool = True) -> Progress:
    """A bar over `total` steps written to `stream`, or one that shows nothing."""
    if not enabled or not _is_terminal(stream):
        return _NoProgress()
    tqdm = _load_tqdm()
    if tqdm is None:
        return _NoProgress()
    # Every bar of the command counts requests (one per date, or one per DAG run of an action),
    # not task instances: a mapped task's instances at one date change in one request.
    bar: Progress = tqdm(total=total, desc=description, file=stream, unit=" requests",
                         leave=True)
    return bar


def _load_tqdm() -> Optional[Any]:
    # Imported by name so that mypy does not need tqdm's stubs, and the CLI runs without tqdm.
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:
        return None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
