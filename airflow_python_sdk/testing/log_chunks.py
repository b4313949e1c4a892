"""Serving a log in chunks of whole lines, with signed continuation tokens.

Like Airflow's, a token is opaque to clients and signed, so a forged or mangled token is refused
with 400 instead of silently serving the wrong part of a log. Each token is bound to one log
(task instance and try), and says where the next chunk starts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class LogChunk:
    content: str
    continuation_token: Optional[str]  # None once the log has ended


class InvalidToken(ValueError):
    """A token this server did not issue for this log."""


class LogChunker:
    def __init__(self, lines_per_chunk: int, secret: Optional[bytes] = None) -> None:
        if lines_per_chunk < 1:
            raise ValueError("lines_per_chunk must be at least 1")
        self.lines_per_chunk = lines_per_chunk
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    def read(self, log_id: str, text: str, token: Optional[str], full_content: bool) -> LogChunk:
        """The chunk at the token's position (the start without one); all the rest if full_content.

        log_id names the log the token must belong to.
        """
        lines = text.splitlines(keepends=True)
        start = self._position(log_id, token) if token else 0
        end = len(lines) if full_content else min(start + self.lines_per_chunk, len(lines))
        content = "".join(lines[start:end])
        if end >= len(lines):
            return LogChunk(content, None)
        return LogChunk(content, self._issue(log_id, end))

    def rest(self, log_id: str, text: str, token: Optional[str]) -> str:
        """Everything from the token's position to the end, for clients that want plain text."""
        return self.read(log_id, text, token, full_content=True).content

    def _issue(self, log_id: str, position: int) -> str:
        payload = _encode(json.dumps({"pos": position}).encode("ascii"))
        return f"{payload}.{self._sign(log_id, payload)}"

    def _position(self, log_id: str, token: str) -> int:
        payload, _, signature = token.partition(".")
        expected = self._sign(log_id, payload)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            raise InvalidToken("bad signature: use only the tokens the API gave for this log")
        try:
            position = json.loads(_decode(payload))["pos"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise InvalidToken("the token's payload is unreadable") from None
        if not isinstance(position, int) or position < 0:
            raise InvalidToken("the token's position is invalid")
        return position

    def _sign(self, log_id: str, payload: str) -> str:
        message = f"{log_id}\n{payload}".encode()
        return _encode(hmac.new(self._secret, message, hashlib.sha256).digest()[:18])


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
