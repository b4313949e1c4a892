"""Text from elsewhere (a server's error detail, a field's value, a line of a dates file) made
safe to print on a terminal, and short enough to read.

This is the one escaping of the command: every piece of a server's text it prints goes through
`escaped` (tables, fields, errors, summaries) or `json_text` (its JSON). A control character from
a server (ESC starts the sequences that move the cursor, clear lines, or set the window's title;
U+009B does the same alone) is shown escaped, `\\x1b`, so that no server can rewrite what the
user sees. Quoted input is cut: a 50 MB line in a dates file makes a short error, not a 50 MB one.
"""

from __future__ import annotations

import json
from typing import Any, Optional

__all__ = ["QUOTED_CHARS", "cut", "escaped", "json_text", "quoted"]

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


def json_text(document: Any, indent: Optional[int] = None) -> str:
    """`document` as JSON in which every character that is not printable is a `\\uXXXX` escape.

    json.dumps escapes only U+0000 to U+001F; C1 controls (U+0080 to U+009F), DEL, line
    separators and lone surrogates would reach the terminal as they are. Escaped, the text still
    reads back as exactly the same value. Outside strings JSON has only printable characters and
    the line breaks of `indent`, which are kept.
    """
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char in " \n" else _json_escape(char)
                   for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes characters beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
