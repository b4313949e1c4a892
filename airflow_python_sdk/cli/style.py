"""How tables look: colour only on a terminal, and column widths from the terminal's width.

Colour follows the NO_COLOR convention (https://no-color.org): any value turns it off. Output
that is not a terminal (a pipe, a file) is always plain.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence, TextIO

from airflow_python_sdk.cli.safe_text import escaped

__all__ = ["Column", "StreamTable", "Style", "style_for"]

_RESET = "\033[0m"
# States by what they ask of a person: red needs a look, yellow is waiting, green is done.
_STATE_COLOURS = {
    "failed": "\033[31m", "upstream_failed": "\033[31m", "shutdown": "\033[31m",
    "up_for_retry": "\033[33m", "up_for_reschedule": "\033[33m", "queued": "\033[33m",
    "scheduled": "\033[33m", "deferred": "\033[33m", "restarting": "\033[33m",
    "running": "\033[36m", "sensing": "\033[36m",
    "success": "\033[32m", "skipped": "\033[35m", "removed": "\033[2m",
}
_ELLIPSIS = "…"
_NARROWEST = 40


@dataclass(frozen=True)
class Style:
    terminal: bool
    colour: bool
    width: int

    def state(self, text: str, width: int) -> str:
        """`text` padded to `width`, in its state's colour when colour is on."""
        padded = text.ljust(width)
        colour = _STATE_COLOURS.get(text)
        if not self.colour or colour is None:
            return padded
        return f"{colour}{text}{_RESET}{padded[len(text):]}"


def style_for(stream: TextIO, environ: Mapping[str, str]) -> Style:
    terminal = _is_terminal(stream)
    width = shutil.get_terminal_size(fallback=(100, 24)).columns if terminal else 0
    colour = terminal and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"
    return Style(terminal=terminal, colour=colour, width=max(width, _NARROWEST) if width else 0)


@dataclass(frozen=True)
class Column:
    title: str
    # The least width: the usual length of the column's cells, or a growing column's least share.
    width: int
    grows: bool = False
    is_state: bool = False


class StreamTable:
    """A table written row by row, holding at most a window of WINDOW rows.

    The growing columns (ids) are sized by the longest cell of the first window; on a terminal
    they also share what is left of its width, and a longer cell is cut with an ellipsis. Rows
    after the window are written as they come: a longer id there, off a terminal, is written
    whole and pushes its row. Call close() at the end to write a table shorter than a window.
    """

    WINDOW = 100

    def __init__(self, columns: Sequence[Column], out: TextIO, style: Style) -> None:
        self._columns = list(columns)
        self._out = out
        self._style = style
        self._window: Optional[list[list[str]]] = []
        self._widths: list[int] = []

    def row(self, cells: Sequence[Optional[str]]) -> None:
        # A server's ids and states: escaped before they are measured, cut or written.
        text = ["-" if cell is None else escaped(str(cell)) for cell in cells]
        if self._window is None:
            self._write(text, header=False)
            return
        self._window.append(text)
        if len(self._window) >= self.WINDOW:
            self._flush()

    def close(self) -> None:
        if self._window:
            self._flush()

    def _flush(self) -> None:
        window, self._window = self._window or [], None
        self._widths = self._fit(window)
        self._write([column.title for column in self._columns], header=True)
        for cells in window:
            self._write(cells, header=False)

    def _fit(self, window: list[list[str]]) -> list[int]:
        widths = []
        for index, column in enumerate(self._columns):
            longest = max((len(cells[index]) for cells in window), default=0)
            # Every column fits the window's longest cell: a fixed one too (a date with
            # microseconds, as a run triggered without a date has, is longer than the usual).
            widths.append(max(column.width, len(column.title), longest))
        growing = [index for index, column in enumerate(self._columns) if column.grows]
        if not self._style.width or not growing:
            return widths
        fixed = sum(width for index, width in enumerate(widths) if index not in growing)
        spare = self._style.width - fixed - 2 * (len(widths) - 1)
        # Each growing column gets its need, up to an even share of what the terminal has left.
        for turn, index in enumerate(growing):
            share = max(spare // (len(growing) - turn), self._columns[index].width)
            widths[index] = min(widths[index], share)
            spare -= widths[index]
        return widths

    def _write(self, cells: list[str], header: bool) -> None:
        parts = []
        for cell, width, column in zip(cells, self._widths, self._columns):
            if self._style.terminal and len(cell) > width:
                cell = cell[: max(width - 1, 0)] + _ELLIPSIS
            if column.is_state and not header:
                parts.append(self._style.state(cell, width))
            else:
                parts.append(cell.ljust(width))
        self._out.write("  ".join(parts).rstrip() + "\n")


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
