"""The lines of an input a command reads: a file named on the command line, or stdin for `-`.

`set-state --dates-file` and `clear --from` (and set-state's `-` date) read their input here, so
that a file that cannot be read, or that is not UTF-8 text, is the same usage error whichever
command was given it, with the path quoted as every other piece of input is.
"""

from __future__ import annotations

from typing import Callable, Iterable, TextIO, TypeVar

from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import cut, quoted

__all__ = ["STDIN", "read_input"]

# What a command's file argument says to read stdin instead.
STDIN = "-"

Read = TypeVar("Read")


def read_input(path: str, stdin: TextIO, read: Callable[[Iterable[str], str], Read]) -> Read:
    """What `read(lines, source)` makes of the lines of the file at `path`, or of `stdin` when
    `path` is "-"; `source` ("stdin" or the path) is what `read`'s errors name.

    The lines are handed over as they are read, so a long input is never in memory twice.
    """
    source = "stdin" if path == STDIN else path
    try:
        if path == STDIN:
            return read(stdin, source)
        with open(path, encoding="utf-8") as handle:
            return read(handle, source)
    except UnicodeDecodeError as error:
        raise UsageError(f"cannot read {quoted(source)}: it is not UTF-8 text "
                         f"({cut(error.reason)} at byte {error.start})") from None
    except OSError as error:
        raise UsageError(f"cannot read {quoted(source)}: {error.strerror or error}") from None
