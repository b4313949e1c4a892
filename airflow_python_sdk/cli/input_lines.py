"""The lines of an input file or of stdin (`--from`, `--dates-file`, `-`), numbered, as UTF-8.

Every command that reads a file or stdin reads it here, so that a file that cannot be read, or
that is not UTF-8 text, is the same usage error whichever command was given it, with the path
quoted as every other piece of input is.

Bytes are read and decoded here, line by line, whatever the locale says: under the C locale
Python reads stdin with `surrogateescape`, and bytes that are not UTF-8 would pass as odd
characters instead of stopping the command. A line that is not UTF-8 is a usage error naming it;
the callers read every line before anything is sent. A byte-order mark at the start of the first
line (Windows tools write one) is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO, Union

from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["STDIN", "NumberedLines", "read_lines", "source_name"]

# What a command's file argument says to read stdin instead.
STDIN = "-"

NumberedLines = Iterator[tuple[int, str]]
_BOM = "\ufeff"


def source_name(path: str) -> str:
    """How errors name the input: "stdin" for "-", else the path, quoted."""
    return "stdin" if path == STDIN else quoted(path)


def read_lines(path: str, stdin: TextIO) -> NumberedLines:
    """(number, text) for each line of `path`, or of `stdin` when it is "-"; UsageError for a file
    that cannot be read or a line that is not UTF-8."""
    if path == STDIN:
        yield from numbered(stdin, "stdin")
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise UsageError(f"cannot read {quoted(path)}: {error.strerror or error}") from None
    with handle:
        try:
            yield from numbered(handle, source_name(path))
        except OSError as error:  # a directory, a device that fails half way
            raise UsageError(f"cannot read {quoted(path)}: {error.strerror or error}") from None


def numbered(stream: Union[TextIO, BinaryIO], source: str) -> NumberedLines:
    """The lines of a stream, numbered from 1. A text stream with a byte buffer (sys.stdin) is
    read through the buffer; one without (an embedding program's StringIO) is checked for the
    characters that undecodable bytes become."""
    raw = getattr(stream, "buffer", stream)
    for number, line in enumerate(raw, start=1):
        if isinstance(line, bytes):
            text = _decoded(line, number, source)
        else:
            text = line
            if any("\ud800" <= char <= "\udfff" for char in text):
                raise _not_utf8(source, number, "it holds bytes that are not UTF-8")
        if number == 1 and text.startswith(_BOM):
            text = text[len(_BOM):]
        yield number, text


def _decoded(line: bytes, number: int, source: str) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(source, number, f"byte 0x{line[error.start]:02x} at position "
                                        f"{error.start + 1} is not UTF-8") from None


def _not_utf8(source: str, number: int, why: str) -> UsageError:
    return UsageError(f"{source}, line {number} is not UTF-8 text: {why}; nothing was sent")
