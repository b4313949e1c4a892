"""Reading the `content` string of a log answer as it arrives, without holding the answer.

A server may send a whole log in one JSON answer (Airflow 2's file task handler does, and
`full_content=true` asks for it): `{"content": "...80 MiB...", "continuation_token": "..."}`.
`LogContentScanner` is fed the answer's text piece by piece and gives back the text of the
top-level `content` string piece by piece, JSON escapes undone, so that memory stays flat
whatever the size of the log; the rest of the object (the continuation token, any other field)
is kept and parsed at the end.

Why a small scanner rather than a streaming JSON library: it needs to find one string of one
object and undo its escapes, and the escapes are undone by the standard `json` module itself
(each piece is decoded as a JSON string), so the hand-written part is only where a piece may be
cut: never inside an escape, nor between the two halves of a surrogate pair. ijson, the
well-kept streaming parser, yields a string only once it is whole, which is the memory this is
here to avoid, and would be a new run-time dependency.

If the answer is not shaped as expected (no `content` string at the top level, or a key written
with escapes), nothing is streamed: the whole text is kept and parsed at the end, as it would
have been without the scanner, and `finish` gives the content with the rest.

What is kept (everything outside the content) is bounded by `limit` characters, the client's
`max_answer_bytes`, as an answer read whole is: a 24 MB unknown field beside the content would
otherwise be kept, joined and parsed, 70 MB in all.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from airflow_python_sdk._errors import AnswerTooLargeError, ApiValueError

__all__ = ["LogContentScanner"]

_KEY = "content"
# The longest escape a piece must not be cut in: a surrogate pair, \uD83D\uDE00.
_SURROGATE_HIGH = range(0xD800, 0xDC00)


class LogContentScanner:
    """Feed it the text of one JSON answer; it gives the top-level `content` string's text."""

    def __init__(self, limit: Optional[int] = None) -> None:
        self._limit = limit  # the most characters kept outside the content; None: no bound
        self._kept = 0
        self._rest: list[str] = []  # the answer outside the content string, which reads ""
        self._streaming = False
        self._done = False  # the content string has ended
        self._carry = ""  # the content's text not decoded yet (an escape cut by the piece)
        # Where the scanner is in the JSON outside the content string.
        self._depth = 0
        self._in_string = False
        self._escaped = False
        self._expect_key = False
        self._key: list[str] = []
        self._after_key = ""  # the key just read, until its colon
        self._value_of = ""  # the key whose value comes next

    def feed(self, text: str) -> list[str]:
        """The content's text that `text` completes (possibly nothing)."""
        out: list[str] = []
        while text:
            text = self._content(text, out) if self._streaming else self._outside(text)
        return out

    def finish(self) -> dict[str, Any]:
        """The answer's other fields (and `content`, if it could not be streamed)."""
        if self._streaming:
            raise ApiValueError("the log answer ended inside its content")
        try:
            document = json.loads("".join(self._rest))
        except ValueError as error:
            raise ApiValueError(f"the log answer is not JSON ({error})") from None
        if not isinstance(document, dict):
            raise ApiValueError("the log answer is not a JSON object")
        return document

    # -- inside the content string ----------------------------------------------------------

    def _content(self, text: str, out: list[str]) -> str:
        buffer = self._carry + text if self._carry else text
        position = 0
        while True:
            quote = buffer.find('"', position)
            if quote < 0:
                break
            if _backslashes_before(buffer, quote) % 2 == 0:  # not escaped: the string ends
                self._emit(buffer[:quote], out)
                self._carry = ""
                self._streaming = False
                self._done = True
                self._keep('"')
                return buffer[quote + 1:]
            position = quote + 1
        cut = _safe_end(buffer)
        self._emit(buffer[:cut], out)
        self._carry = buffer[cut:]
        return ""

    @staticmethod
    def _emit(escaped: str, out: list[str]) -> None:
        if not escaped:
            return
        try:
            out.append(json.loads('"' + escaped + '"'))
        except ValueError as error:
            raise ApiValueError(f"the log's content is not a JSON string ({error})") from None

    # -- outside it ---------------------------------------------------------------------------

    def _outside(self, text: str) -> str:
        # Character by character, but only over the small part of the answer around the
        # content (or over all of it when there is nothing to stream).
        for index, char in enumerate(text):
            if self._in_string:
                self._string_char(char)
                continue
            if char in " \t\r\n":
                continue
            if (char == '"' and self._depth == 1 and self._value_of == _KEY
                    and not self._done):
                self._keep(text[:index + 1])
                self._streaming = True
                self._value_of = ""
                return text[index + 1:]
            self._structure_char(char)
        self._keep(text)
        return ""

    def _keep(self, text: str) -> None:
        self._kept += len(text)
        if self._limit is not None and self._kept > self._limit:
            raise AnswerTooLargeError(self._limit)
        self._rest.append(text)

    def _string_char(self, char: str) -> None:
        if self._escaped:
            self._escaped = False
        elif char == "\\":
            self._escaped = True
        elif char == '"':
            self._in_string = False
            if self._expect_key:
                self._after_key = "".join(self._key)
                self._expect_key = False
            return
        if self._expect_key:
            self._key.append(char)

    def _structure_char(self, char: str) -> None:
        at_top = self._depth == 1
        self._value_of = ""
        if char == '"':
            self._in_string = True
            if at_top and not self._after_key and self._expect_key:
                self._key = []
            else:
                self._expect_key = False
        elif char == ":" and at_top and self._after_key:
            self._value_of = self._after_key
            self._after_key = ""
        elif char in "{[":
            self._depth += 1
            self._expect_key = self._depth == 1 and char == "{"
        elif char in "}]":
            self._depth -= 1
        elif char == "," and at_top:
            self._expect_key = True
            self._after_key = ""


def _backslashes_before(text: str, index: int) -> int:
    count = 0
    while index > count and text[index - count - 1] == "\\":
        count += 1
    return count


def _safe_end(text: str) -> int:
    """Where `text` (content without its closing quote) may be cut: before an escape that is
    not complete yet, and before a high surrogate whose low half may come next."""
    cut = len(text)
    last = text.rfind("\\", max(0, cut - 6))
    starts_escape = last >= 0 and _backslashes_before(text, last) % 2 == 0
    if starts_escape and (last + 1 == cut or (text[last + 1] == "u" and last + 6 > cut)):
        cut = last  # an escape not complete yet
    if cut >= 6 and _is_high_surrogate_escape(text, cut - 6):
        cut -= 6
    return cut


def _is_high_surrogate_escape(text: str, start: int) -> bool:
    if text[start:start + 2] != "\\u" or _backslashes_before(text, start) % 2 == 1:
        return False
    try:
        return int(text[start + 2:start + 6], 16) in _SURROGATE_HIGH
    except ValueError:
        return False
