"""Text from elsewhere (a server's error detail, a field's value, a line of a dates file) made
safe to print on a terminal, and short enough to read.

A control character from a server (ESC starts the sequences that move the cursor, clear lines,
or set the window's title) is shown escaped, `\\x1b`, so that no server can rewrite what the
user sees. Quoted input is cut: a 50 MB line in a dates file makes a short error, not a 50 MB one.
"""

from __future__ import annotations

__all__ = ["QUOTED_CHARS", "cut", "escaped", "quoted"]

# How much of a piece of input an error message quotes.
QUOTED_CHARS = 80


def escaped(text: str) -> str:
    """`text` with every character that is not printable (other than a space) escaped."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char == " "
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def cut(text: str, limit: int = QUOTED_CHARS) -> str:
    """`text`, or its first `limit` characters and "..." when it is longer."""
    return text if len(text) <= limit else text[:limit] + "..."


def quoted(text: str, limit: int = QUOTED_CHARS) -> str:
    """`text` as an error message quotes it: cut, then as a Python literal (escapes included)."""
    return repr(cut(text, limit))
